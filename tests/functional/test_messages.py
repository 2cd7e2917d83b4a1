"""Messages say what happened: after a deliberate quit the next start says "you quit", not "the
workstation ended"; F5 without a hub says how to set one up."""

from __future__ import annotations

from screens.case import CaseScreen
from screens.quit_call import QuitCallScreen
from screens.restore_call import RestoreCallScreen
from screens.restore_drafts import RestoreDraftsScreen
from screens.search import SearchScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import a_caller, a_case, focus, show_case, start_call
from tests.screen import screen_text, wait_for, wait_for_screen


async def test_a_call_quit_on_purpose_is_offered_back_as_quit_not_ended(writable_store,
                                                                        make_app):
    caller = a_caller(writable_store, offset=151)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await focus(pilot, "notes")
        await pilot.press("end", *"\n客户稍后回电")
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, QuitCallScreen)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: app.return_code is not None)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreCallScreen)
        await wait_for(pilot, lambda: "You quit during a call" in screen_text(app))
        text = screen_text(app)
        assert "saved unfinished" in text
        assert "ended" not in text and "客户稍后回电" in text
        await pilot.press("tab", "enter")  # left unfinished
    app = make_app(writable_store)  # the mark is used once: nothing more to say
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._settled)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_a_note_typed_when_quitting_is_kept_to_the_last_key_and_offered_as_kept(
        writable_store, make_app):
    caller = a_caller(writable_store, offset=157)
    case = a_case(writable_store, caller.id, "挂失")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_case(pilot, case.id)
        await pilot.press(*"已寄出新卡", "ctrl+q")  # before any autosave
        await wait_for(pilot, lambda: app.return_code is not None)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreDraftsScreen)
        await wait_for(pilot, lambda: "Kept when you quit" in screen_text(app))
        assert "ended" not in screen_text(app)
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, CaseScreen)
        assert screen.query_one("#case-note").text == "已寄出新卡"


async def test_f5_without_a_hub_says_how_to_set_one_up(small_store, make_app):
    app = make_app(small_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        assert "F5" not in screen_text(app)  # not offered where there is no hub
        await pilot.press("f5")
        await wait_for(pilot, lambda: notifications(app))
        [note] = notifications(app)
        assert "[hub]" in note.message and "url" in note.message and "token" in note.message
        assert "AGENT_TUI_HUB_URL" in note.message
