"""A full disk is said as such, with the place ("the disk is full at PATH"), in both languages, and
loses nothing: not "reading failed", not an I/O error, not a traceback. On a real full disk: a
small tmpfs filled to the last byte (tests/small_disk.py)."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from agent_tui.cli import main
from agent_tui.config import ConfigError, load_config, remember_agent
from agent_tui.i18n import Catalog
from agent_tui.store import Store, StoreError, drafts
from agent_tui.store.database import failure
from screens.widgets.textual_private import notifications
from tests.conftest import FROZEN_NOW

FULL = {"en": "The disk is full at", "zh-CN": "磁盘已满"}


def _says_full(error, path) -> None:
    for language, words in FULL.items():
        message = Catalog.load(language).error(error)
        assert words in message and str(path) in message, message


def _store_on(disk, small_store):
    path = disk.path / "store.db"
    shutil.copyfile(small_store, path)
    return path


def test_a_store_write_on_a_full_disk_says_the_disk_is_full_and_works_once_freed(
        small_disk, small_store):
    path = _store_on(small_disk, small_store)
    connection = Store.open(path).connection()
    small_disk.fill()
    with pytest.raises(sqlite3.OperationalError) as raised:
        drafts.save(connection, "case-note:C1", "case_note", "A1", {"text": "已致电"}, FROZEN_NOW)
    assert failure(path, raised.value).key == "store.disk_full"
    _says_full(failure(path, raised.value), path)
    _says_full(drafts.failure(path, raised.value), path)
    small_disk.free()
    drafts.save(connection, "case-note:C1", "case_note", "A1", {"text": "已致电"}, FROZEN_NOW)
    assert [draft.body for draft in drafts.pending(connection, "A1")] == [{"text": "已致电"}]


def test_opening_a_store_on_a_full_disk_names_the_disk_and_changes_nothing(
        small_disk, small_store):
    path = _store_on(small_disk, small_store)
    before = path.read_bytes()
    small_disk.fill()
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    assert raised.value.key == "store.disk_full_open"
    _says_full(raised.value, path)
    assert path.read_bytes() == before


def test_a_new_store_on_a_full_disk_names_the_disk_and_leaves_no_empty_file(small_disk):
    small_disk.fill()
    path = small_disk.path / "new.db"
    with pytest.raises(StoreError) as raised:
        Store.open(path, create=True)
    assert raised.value.key == "store.disk_full_open"
    assert sorted(p.name for p in small_disk.path.iterdir()) == [".filler"]


def test_remembering_a_sign_in_on_a_full_disk_says_so_and_keeps_the_config(small_disk):
    path = small_disk.path / "config.toml"
    path.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    config = load_config(path, environ={})
    small_disk.fill()
    with pytest.raises(ConfigError) as raised:
        remember_agent(config, "A1024", "李娜", "1024")
    assert raised.value.key == "config.disk_full"
    _says_full(raised.value, path)
    assert path.read_text(encoding="utf-8") == '[ui]\nlanguage = "en"\n'
    assert sorted(p.name for p in small_disk.path.iterdir()) == [".filler", "config.toml"]
    small_disk.free()
    remember_agent(config, "A1024", "李娜", "1024")
    assert load_config(path, environ={}).agent.id == "A1024"


def test_seeding_onto_a_full_disk_says_so_and_leaves_nothing_half_written(small_disk):
    small_disk.fill()
    path = small_disk.path / "store.db"
    result = CliRunner().invoke(main, ["seed", "--customers", "200", "--store", str(path)],
                                env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2, result.output
    assert "磁盘已满" in result.output and str(path) in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in small_disk.path.iterdir()) == [".filler", "store.db.lock"]


# -- in the workstation --------------------------------------------------------------------------


def _draft(store, key: str) -> dict | None:
    connection = sqlite3.connect(store)
    try:
        row = connection.execute("SELECT body FROM drafts WHERE key = ?", (key,)).fetchone()
    finally:
        connection.close()
    return json.loads(row[0]) if row else None


def _notices(app) -> list[str]:
    return [str(notice.message) for notice in notifications(app)]


async def test_a_note_typed_on_a_full_disk_stays_and_is_kept_once_there_is_room(
        small_disk, small_store, make_app):
    from agent_tui.domain.sla import SlaPolicy
    from agent_tui.store.cases import CaseDraft, CaseStore
    from tests.call_driver import a_caller, show_case
    from tests.screen import wait_for

    path = _store_on(small_disk, small_store)
    caller = a_caller(path, offset=67)
    setup = Store.open(path)
    case = CaseStore(setup.connection(), SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=caller.id, title="挂失补卡进度"), FROZEN_NOW)
    setup.close()
    key = f"case-note:{case.id}"
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_case(pilot, case.id, loaded=True)
        small_disk.fill()
        await pilot.press(*"已致电客户")
        draft_full = f"{FULL['en']} {path}: what you are typing cannot be kept as a draft"
        await wait_for(pilot, lambda: any(n.startswith(draft_full) for n in _notices(app)))
        assert _draft(path, key) is None
        await pilot.press("ctrl+s")  # adding the note for real fails the same way
        await wait_for(pilot, lambda: any(n.startswith(f"{FULL['en']} {path}: this could not")
                                          for n in _notices(app)))
        assert not any("failed" in n for n in _notices(app))
        assert screen.query_one("#case-note").text == "已致电客户"  # still there to save
        small_disk.free()
        await wait_for(pilot, lambda: (_draft(path, key) or {}).get("text") == "已致电客户")
        await wait_for(pilot, lambda: "What you are typing is kept as a draft again."
                       in _notices(app))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: _draft(path, key) is None)
        await wait_for(pilot, lambda: [n.text for n in screen.view.notes] == ["已致电客户"])


async def test_a_sign_in_on_a_full_disk_says_where_and_signs_in_once_there_is_room(
        small_disk, small_store, make_app):
    from textual.widgets import Input

    from agent_tui.config import Config, StoreSection, UISection
    from screens.search import SearchScreen
    from screens.sign_in import SignInScreen
    from tests.screen import screen_text, wait_for, wait_for_screen

    config_file = small_disk.path / "config.toml"
    config = Config(store=StoreSection(path=str(small_store)), ui=UISection(mouse=False))
    config.source = config_file
    app = make_app(small_store, config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, SignInScreen)
        for field, value in (("#agent-id", "A2048"), ("#agent-name", "王芳"),
                             ("#staff-number", "2048")):
            screen.query_one(field, Input).value = value
        screen.set_focus(screen.query_one("#staff-number"))
        small_disk.fill()
        await pilot.press("enter")
        await wait_for(pilot, lambda: FULL["en"] in screen_text(app))
        assert str(screen.query_one("#sign-in-error").render()).startswith(
            f"{FULL['en']} {config_file}")
        assert not config_file.exists()
        small_disk.free()
        await pilot.press("enter")  # what was typed is still there
        await wait_for_screen(pilot, SearchScreen)
    assert load_config(config_file, environ={}).agent.id == "A2048"
