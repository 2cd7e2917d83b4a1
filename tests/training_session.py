"""A training session for the tests: the training store beside a real store's path, and the
TrainingApp on it, as ``agent-tui train`` makes them (frozen clock, no blink, no mouse)."""

from __future__ import annotations

import functools
from pathlib import Path

from agent_tui.config import AgentSection, Config, HubSection, StoreSection, UISection
from agent_tui.training.training_store import open_training_store, training_store_path
from tests.conftest import FROZEN_NOW, shipped_library

_made: dict[Path, bytes] = {}


@functools.cache
def shipped_scenarios() -> tuple:
    from agent_tui.training.catalog import load_scenarios
    from scripts_library import LIBRARY_DIR

    return tuple(load_scenarios(LIBRARY_DIR))


def training_store(folder: Path) -> tuple[Path, Path]:
    """(the real store's path, the training store beside it, made). The first one made in a
    test process is copied for the next ones: seeding it again would cost every test."""
    real = folder / "store.db"
    path = training_store_path(real)
    folder.mkdir(parents=True, exist_ok=True)
    if _made:
        path.write_bytes(next(iter(_made.values())))
        path.chmod(0o600)
    else:
        open_training_store(path, real, shipped_scenarios()).close()
        _made[path] = path.read_bytes()
    return real, path


def training_app(folder: Path, language: str = "en", *, trainee: str = "T0001",
                 hub: HubSection | None = None):
    from agent_tui.app.training_app import TrainingApp

    real, path = training_store(folder)
    config = Config(agent=AgentSection(id=trainee, name="王芳", staff_number="0001"),
                    store=StoreSection(path=str(path)), hub=hub or HubSection(),
                    ui=UISection(mouse=False, cursor_blink=False))
    return TrainingApp(config, language, real_store=real, library=shipped_library(),
                       scenarios=shipped_scenarios(), clock=lambda: FROZEN_NOW)


async def open_scenarios(pilot):
    """The scenario list, opened from the palette as the trainee does, filled in."""
    from textual.widgets import DataTable

    from screens.search import SearchScreen
    from screens.training_scenarios import TrainingScenariosScreen
    from tests.screen import wait_for, wait_for_screen

    await wait_for_screen(pilot, SearchScreen)
    commands = {command.title: command
                for command in pilot.app.get_system_commands(pilot.app.screen)}
    commands[pilot.app.t("training_palette.scenarios")].callback()  # as chosen in the palette
    screen = await wait_for_screen(pilot, TrainingScenariosScreen)
    try:
        await wait_for(pilot, lambda: screen.query_one(DataTable).row_count > 0)
    except AssertionError as failed:  # seen once in a full run: say what the app was doing
        from screens.widgets.textual_private import notifications

        app = pilot.app
        raise AssertionError(
            f"{failed}; screens {[type(s).__name__ for s in app.screen_stack]}, store "
            f"{app.store is not None}, workers {[(w.group, w.state.name) for w in app.workers]}"
            f" and {[(w.group, w.state.name) for w in screen.workers]}, notes "
            f"{[str(note.message)[:80] for note in notifications(app)]}") from failed
    return screen
