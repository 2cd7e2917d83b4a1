"""Calls that do not end the standard way: the caller hangs up mid-stage, the agent presses ctrl+q
with a call open. Each leaves a record that says what happened, and nothing typed is lost."""

from __future__ import annotations

import sqlite3

from agent_tui.domain.masking import Tier
from agent_tui.store.calls import events
from screens.call import CallScreen
from screens.closing import HUNG_UP, ClosingScreen
from screens.override import OverrideScreen
from screens.quit_call import QuitCallScreen
from tests.call_driver import a_caller, assert_no_pii, focus, start_call
from tests.screen import screen_text, wait_for, wait_for_screen


async def test_a_caller_who_hangs_up_in_the_greeting_is_closed_in_two_keys(writable_store,
                                                                           make_app):
    caller = a_caller(writable_store, offset=41)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        call = app.call
        await pilot.press("f6")  # the greeting's steps are open: refused, with the way out
        await wait_for_screen(pilot, OverrideScreen)
        assert "The caller hung up" in screen_text(app)
        await pilot.press("tab", "enter")
        closing = await wait_for_screen(pilot, ClosingScreen)
        assert call.flow.stage == "closing"
        assert closing.query_one("#wrap-up").value == HUNG_UP
        assert_no_pii(app, caller)
        await pilot.press("enter")  # the form is filled in: Enter ends the call
        await wait_for(pilot, lambda: app.call is None)
        assert not isinstance(app.screen, CallScreen)
    connection = sqlite3.connect(writable_store)
    wrap_up, ended_at, overrides = connection.execute(
        "SELECT wrap_up, ended_at, overrides FROM calls WHERE id = ?", (call.id,)).fetchone()
    assert wrap_up == HUNG_UP and ended_at is not None
    stored = events(connection, call.id)
    skipped = [event for event in stored if event.kind == "override"]
    # Every stage passed and the end, each with what it left open, for QA.
    assert [event.stage for event in skipped] == ["greeting", "verification", "handling",
                                                  "closing"]
    assert overrides == len(skipped)
    assert all(event.detail["reason"] == "caller hung up" for event in skipped)
    assert "greeting.greet" in skipped[0].detail["open_steps"]
    assert app.disclosure_for(caller.id).tier is Tier.MASKED


async def test_ctrl_q_without_a_call_quits_at_once(writable_store, make_app):
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0


async def test_ctrl_q_during_a_call_asks_and_saves_the_unfinished_call(writable_store, make_app):
    caller = a_caller(writable_store, offset=43)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        call = app.call
        await focus(pilot, "notes")
        await pilot.press("end", *"\ncustomer asks about the annual fee")
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, QuitCallScreen)
        assert "unfinished" in screen_text(app)
        await pilot.press("enter")  # the default answer keeps the call
        await wait_for_screen(pilot, CallScreen)
        assert app.call is call and app.return_code is None
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, QuitCallScreen)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    connection = sqlite3.connect(writable_store)
    ended_at, notes, wrap_up = connection.execute(
        "SELECT ended_at, notes, wrap_up FROM calls WHERE id = ?", (call.id,)).fetchone()
    assert ended_at is None and not wrap_up  # saved as it stood: not ended, nothing invented
    assert notes.endswith("customer asks about the annual fee")


async def test_the_closing_form_wants_a_wrap_up_code(writable_store, make_app):
    caller = a_caller(writable_store, offset=47)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        app.call.flow.skip_to_closing(app.now(), "test: straight to the form")
        await pilot.press("f7")
        await wait_for_screen(pilot, ClosingScreen)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Choose a wrap-up code" in screen_text(app))
        assert app.call is not None and not app.call.closing.wrap_up and not app.call.flow.ended_at


async def test_a_callback_is_scheduled_from_the_closing_form(writable_store, make_app):
    import sqlite3 as db

    caller = a_caller(writable_store, offset=73)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        call = app.call
        call.flow.skip_to_closing(app.now(), "test: straight to the form")
        await pilot.press("f7")
        closing = await wait_for_screen(pilot, ClosingScreen)
        closing.set_focus(closing.query_one("#schedule-callback"))
        await pilot.press("enter")
        await pilot.press(*"回访确认挂失进度", "enter")
        await wait_for(pilot, lambda: "Callback scheduled" in screen_text(app))
    connection = db.connect(writable_store)
    assert connection.execute(
        "SELECT customer_id, call_id, reason, status FROM callbacks WHERE call_id = ?",
        (call.id,)).fetchall() == [(caller.id, call.id, "回访确认挂失进度", "scheduled")]
