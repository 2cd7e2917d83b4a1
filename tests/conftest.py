"""Test isolation (Harlequin's discipline): temp dirs, no user config, a frozen clock, no blink."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from agent_tui.config import AgentSection, Config, StoreSection, UISection
from data.generator import SeedPlan
from data.seed import seed_store

FROZEN_NOW = datetime(2026, 11, 23, 10, 0, 0)
AS_OF = date(2026, 11, 23)
SMALL_STORE_CUSTOMERS = 2000
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HOSTILE_STRINGS = Path(__file__).parent / "data" / "hostile_strings.json"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's config, data or locale."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for variable in ("LC_ALL", "LC_MESSAGES", "AGENT_TUI_CONFIG", "AGENT_TUI_STORE",
                     "AGENT_TUI_LANGUAGE", "AGENT_TUI_AGENT", "NO_COLOR", "AGENT_TUI_HUB_URL",
                     "AGENT_TUI_HUB_TOKEN", "AGENT_TUI_HUB_DB", "AGENT_TUI_HUB_FAULTS"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory) -> Path:
    """A deterministic 2,000-customer store, seeded once per test session (read-only use)."""
    path = tmp_path_factory.mktemp("store") / "store.db"
    seed_store(path, SeedPlan(SMALL_STORE_CUSTOMERS, seed=7, as_of=AS_OF), workers=1)
    return path


@pytest.fixture
def writable_store(small_store, tmp_path) -> Path:
    """A private copy of the small store, for tests that write."""
    copy = tmp_path / "store.db"
    copy.write_bytes(small_store.read_bytes())
    return copy


@pytest.fixture
def connection(writable_store):
    """A connection to the private copy of the small store (a test file may mean another)."""
    from agent_tui.store import Store

    connection = Store.open(writable_store).connection()
    yield connection
    connection.close()


@pytest.fixture
def library_copy(tmp_path) -> Path:
    """A copy of the shipped scripts library's TOML files, for tests that change them."""
    import shutil

    from scripts_library import LIBRARY_DIR

    folder = tmp_path / "library"
    shutil.copytree(LIBRARY_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB disk that really fills up (tests/small_disk.py); skips, loudly, without root."""
    from tests.small_disk import SmallDisk

    disk = SmallDisk(tmp_path / "disk", 16)
    disk.mount()
    yield disk
    disk.unmount()


@pytest.fixture
def signed_in_config() -> Callable[[Path], Config]:
    def make(store_path: Path) -> Config:
        return Config(
            agent=AgentSection(id="A1024", name="李娜", staff_number="1024"),
            store=StoreSection(path=str(store_path)),
            ui=UISection(mouse=False, cursor_blink=False),
        )

    return make


@pytest.fixture
def make_app(signed_in_config):
    """An AgentApp on ``store_path`` with a frozen clock (imported late: core tests stay UI-free)."""

    def make(store_path: Path, language: str = "en", config: Config | None = None):
        from agent_tui.app import AgentApp

        return AgentApp(
            config or signed_in_config(store_path), language, clock=lambda: FROZEN_NOW,
            library=shipped_library(),
        )

    return make


@functools.cache
def shipped_library():
    """The scripts library agent-tui ships, loaded once per test process."""
    from agent_tui.library.loader import load_library
    from scripts_library import LIBRARY_DIR

    return load_library(LIBRARY_DIR)


@pytest.fixture(scope="session")
def hostile_strings() -> list[dict[str, str]]:
    return json.loads(HOSTILE_STRINGS.read_text(encoding="utf-8"))


@pytest.fixture
def hub(tmp_path):
    """A real hub (``agent-tui hub serve``) on a SQLite file, seeded, on 127.0.0.1."""
    from tests.hub_process import HubProcess

    process = HubProcess(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path)
    process.seed()
    process.start()
    yield process
    process.close()


@pytest.fixture
def agent(hub, tmp_path):
    """Agent A1024's workstation, with the hub's customers, syncing with ``hub``."""
    from tests.workstation import Workstation

    station = Workstation(tmp_path / "ws", "A1024", hub.token("A1024"))
    yield station
    station.close()


@pytest.fixture
def engine(tmp_path):
    """A hub database on SQLite with 30 demo customers: the in-process hub tests' usual one."""
    from agent_tui.hub.database import connect
    from agent_tui.hub.seed import seed_hub
    from data.generator import SeedPlan
    from tests.hub_process import AS_OF

    hub = connect(f"sqlite:///{tmp_path / 'hub.db'}")
    seed_hub(hub, SeedPlan(30, 1, AS_OF))
    yield hub
    hub.dispose()


@pytest.fixture
def snap_compare(snap_compare):
    """pytest-textual-snapshot's ``snap_compare``; at 80x24 the screen in front must also be
    whole (tests/whole.py): no word of its own cut, no essential column out of sight, Chinese
    broken by its rules. Every snapshot at 80x24 checks it, in both languages, at no extra run."""
    from tests.whole import defects

    def compare(app, *args, terminal_size=(80, 24), run_before=None, **kwargs):
        if tuple(terminal_size) != (80, 24):
            return snap_compare(app, *args, terminal_size=terminal_size,
                                run_before=run_before, **kwargs)

        async def then_whole(pilot) -> None:
            if run_before is not None:
                await run_before(pilot)
            found = defects(pilot.app)
            assert not found, "not whole at 80x24:\n" + "\n".join(found)

        return snap_compare(app, *args, terminal_size=terminal_size, run_before=then_whole,
                            **kwargs)

    return compare
