"""A call survives the workstation ending mid-call: autosaved as a draft within a second, offered
back at the next start, resumed exactly as it was, with no event stored twice; or left unfinished.
(The real-process version, killed with SIGKILL in a pseudo-terminal, is test_kill_pty.py.)"""

from __future__ import annotations

import sqlite3

from screens.call import CallScreen
from screens.restore_call import RestoreCallScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import a_caller, do_step, drafted_notes, focus, start_call
from tests.screen import screen_text, wait_for, wait_for_screen


async def _interrupted_call(store, make_app, caller, typed: str):
    """A call with a step done and notes typed, in an app that ends without ending the call."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await do_step(pilot, "greeting.greet")
        await focus(pilot, "notes")
        await pilot.press("end", *typed)
        call = app.call
        await wait_for(pilot, lambda: typed.strip() in drafted_notes(store))
    return call


async def test_an_interrupted_call_is_resumed_exactly_as_it_was(writable_store, make_app):
    caller = a_caller(writable_store, offset=53)
    call = await _interrupted_call(writable_store, make_app, caller, "\n客户询问年费减免")
    app = make_app(writable_store)  # the restart
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreCallScreen)
        assert "客户询问年费减免" in screen_text(app)  # the notes' last lines, to recognise it
        await pilot.press("enter")
        await wait_for_screen(pilot, CallScreen)
        resumed = app.call
        assert (resumed.id, resumed.notes, resumed.flow.stage) == (call.id, call.notes,
                                                                   call.flow.stage)
        assert resumed.flow.ticked == call.flow.ticked == {"greeting.greet"}
        assert resumed.customer is not None and resumed.customer.id == caller.id
        assert "客户询问年费减免" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(app.t("call.saved") == str(note.message)
                                          for note in notifications(app)))
        await app.workers.wait_for_complete()
    connection = sqlite3.connect(writable_store)
    stored = connection.execute("SELECT count(*) FROM call_events WHERE call_id = ?",
                                (call.id,)).fetchone()[0]
    assert stored == len(resumed.flow.events)  # every event once: none lost, none doubled


async def test_an_interrupted_call_can_be_left_unfinished(writable_store, make_app):
    caller = a_caller(writable_store, offset=59)
    call = await _interrupted_call(writable_store, make_app, caller, "\n稍后回电")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreCallScreen)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: not drafted_notes(writable_store))
        assert app.call is None
    connection = sqlite3.connect(writable_store)
    ended_at = connection.execute("SELECT ended_at FROM calls WHERE id = ?",
                                  (call.id,)).fetchone()[0]
    assert ended_at is None  # kept as it was left
