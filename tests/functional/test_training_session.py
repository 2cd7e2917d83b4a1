"""A training session (issue 15): its own store (never the real one), its banner and colour on
every screen, "Training" in a live session's palette, and ``agent-tui train``'s refusals."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from textual.color import Color
from textual.widgets import Header

from agent_tui.cli import main
from agent_tui.store import Store
from agent_tui.training.training_store import training_store_path
from screens.call import CallScreen
from screens.conflicts import ConflictsScreen
from screens.help import HelpScreen
from screens.queue import QueueScreen
from screens.quit_call import QuitCallScreen
from screens.search import SearchScreen
from tests.call_driver import open_360
from tests.screen import settled, wait_for, wait_for_screen
from tests.training_session import training_app

pytestmark = pytest.mark.xdist_group("snapshots")
CUSTOMER = "C00000000001"  # a synthetic customer of the training store
BANNER = {"en": "TRAINING", "zh-CN": "训练模式"}


def _header_of(app):
    """The header in view: the screen's own, or for a dialog the one of the screen under it."""
    for screen in reversed(app.screen_stack):
        headers = screen.query(Header)
        if headers:
            return screen, headers.first()
    raise AssertionError("no header in view")


def _shows_training(app, language: str) -> None:
    screen, header = _header_of(app)
    title = screen.title or app.title
    assert BANNER[language] in title, (type(app.screen).__name__, title)
    assert app.has_class("-training")
    assert _is_warning(app, header.styles.background), type(app.screen).__name__


def _is_warning(app, colour) -> bool:
    """The theme's warning colour (give or take the rounding of its shades)."""
    warning = Color.parse(app.current_theme.warning)
    return all(abs(a - b) <= 2 for a, b in zip(colour.rgb, warning.rgb, strict=True))


async def _open_search_result(pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.store is not None)
    await pilot.press(*"zhang")
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#results").row_count > 0)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
async def test_the_banner_and_colour_are_on_every_screen_of_a_session(tmp_path, language):
    app = training_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        _shows_training(app, language)
        await open_360(pilot, CUSTOMER)
        _shows_training(app, language)
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, CallScreen)
        _shows_training(app, language)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, QuitCallScreen)  # a dialog, over the call
        _shows_training(app, language)
        await pilot.press("f3")
        await wait_for_screen(pilot, CallScreen)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        _shows_training(app, language)
        await pilot.press("f3")
        app.push_screen(QueueScreen())
        await wait_for_screen(pilot, QueueScreen)
        _shows_training(app, language)
        app.push_screen(ConflictsScreen())
        await wait_for_screen(pilot, ConflictsScreen)
        _shows_training(app, language)


async def test_a_live_session_shows_no_training_colours(tmp_path, make_app, writable_store):
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        header = app.screen.query_one(Header)
        assert not app.has_class("-training")
        assert "TRAINING" not in app.title
        assert not _is_warning(app, header.styles.background)


async def test_a_training_session_never_opens_the_real_store(tmp_path, monkeypatch,
                                                            small_store):
    app = training_app(tmp_path)
    real = app.real_store
    real.write_bytes(small_store.read_bytes())  # a real store is there, full of customers
    before = hashlib.sha256(real.read_bytes()).hexdigest()
    opened = []
    original = Store.open.__func__

    def spy(cls, path, **options):
        opened.append(path)
        return original(cls, path, **options)

    monkeypatch.setattr(Store, "open", classmethod(spy))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_search_result(pilot)
        await open_360(pilot, CUSTOMER)
        await settled(pilot)
    assert opened and all(path == training_store_path(real) for path in opened)
    assert app.store.path == training_store_path(real)
    assert hashlib.sha256(real.read_bytes()).hexdigest() == before


async def test_training_in_a_live_palette_closes_the_session_for_training(make_app,
                                                                         writable_store):
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert "Training" in commands
        commands["Training"].callback()
        await wait_for(pilot, lambda: app.return_code is not None or not app.is_running)
    assert app.training_next


def test_train_refuses_a_file_that_is_not_a_training_store(tmp_path):
    real = tmp_path / "store.db"
    Store.open(training_store_path(real), create=True).close()  # a store, but no training mark
    result = CliRunner().invoke(main, ["train"], env={"AGENT_TUI_STORE": str(real)})
    assert result.exit_code == 2
    assert "is not a training store" in result.output


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_a_training_session_at_80x24(snap_compare, tmp_path, language):
    async def run_before(pilot) -> None:
        await _open_search_result(pilot)
        await settled(pilot)

    assert snap_compare(training_app(tmp_path, language), terminal_size=(80, 24),
                        run_before=run_before)
