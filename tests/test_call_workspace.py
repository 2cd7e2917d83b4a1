"""The call workspace end to end, by keys, on a real store: a complaint (HEART) and a consultation,
the events they leave, and no unmasked PII on screen before verification passes."""

from __future__ import annotations

import sqlite3

from agent_tui.domain.masking import Tier
from agent_tui.store import audit
from agent_tui.store.calls import events
from screens.call import CallScreen
from screens.closing import ClosingScreen
from screens.request_type import RequestTypeScreen
from screens.verify import VerifyScreen
from tests.call_driver import a_caller, assert_no_pii, do_step, focus, start_call, type_answers
from tests.screen import screen_text, wait_for, wait_for_screen


async def _close(pilot, csat: str, nps: str) -> None:
    await pilot.press("f7")
    await wait_for_screen(pilot, ClosingScreen)
    await pilot.press(*csat, "tab", *nps, "tab", "space", "tab", "enter")
    await pilot.pause(0.1)
    await pilot.press("down", "enter")
    await pilot.press("ctrl+s")


async def test_a_whole_complaint_call_by_keys(writable_store, make_app):
    caller = a_caller(writable_store)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        call = app.call
        assert_no_pii(app, caller)
        # Greeting: the scripted opening, then the introduction; each F8 ticks its step.
        await do_step(pilot, "greeting.greet")
        await do_step(pilot, "greeting.introduce")
        assert "1024" in call.notes  # the staff number, filled in
        await pilot.press("f6")
        await wait_for_screen(pilot, VerifyScreen)
        await type_answers(pilot, {"name": caller.name, "id_last6": "000000",
                                   "mobile": caller.mobile})
        await wait_for(pilot, lambda: call.verification.failures == 1)
        assert "ID last 6" in screen_text(app) and isinstance(app.screen, VerifyScreen)
        assert_no_pii(app, caller, typed=(caller.mobile,))
        await type_answers(pilot, {"id_last6": caller.id_number[-6:]})
        await wait_for_screen(pilot, CallScreen)
        await wait_for(pilot, lambda: app.disclosure_for(caller.id).tier is Tier.BASIC)
        assert caller.mobile in screen_text(app)  # the caller line unmasked
        # Handling: the request type, then HEART.
        await pilot.press("f6")
        await wait_for_screen(pilot, RequestTypeScreen)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: call.flow.request_type == "complaint")
        heart = ("complaint.hear", "complaint.empathize", "complaint.apologize")
        for step in call.flow.checklist():
            if step.required:  # HEART's words from the phrases; the rest ticked by hand
                await do_step(pilot, step.id, "f8" if step.id in heart else "space")
        await focus(pilot, "notes")
        await pilot.press("end")
        await pilot.press(*"\n客户说不知道卡为什么被吞")
        await wait_for(pilot, lambda: len(call.hits) == 1)
        assert "=>" in screen_text(app)
        await pilot.press("f8")
        await wait_for(pilot, lambda: not call.hits)
        assert "不知道" not in call.notes
        await pilot.press("f6")
        await wait_for(pilot, lambda: call.flow.stage == "closing")
        await do_step(pilot, "closing.summarise")
        await do_step(pilot, "closing.thank")
        await _close(pilot, "5", "9")
        await wait_for(pilot, lambda: app.call is None)
        assert app.disclosure_for(caller.id).tier is Tier.MASKED  # masked again
        assert caller.mobile not in screen_text(app)

    connection = sqlite3.connect(writable_store)
    row = connection.execute(
        "SELECT id, request_type, verification, phrases_used, forbidden_caught, overrides, csat, "
        "nps, first_contact_resolution, wrap_up, notes, ended_at FROM calls").fetchone()
    call_id, *totals, notes, ended_at = row
    assert totals[:3] == ["complaint", "passed", totals[2]] and totals[2] >= 4
    assert totals[3:] == [1, 0, 5, 9, 1, "resolved"]
    assert "我来为您查询" in notes and ended_at
    kinds = [event.kind for event in events(connection, call_id)]
    assert [event.stage for event in events(connection, call_id)
            if event.kind == "stage_entered"] == ["greeting", "verification", "handling",
                                                   "closing"]
    assert [event.detail["status"] for event in events(connection, call_id)
            if event.kind == "verification"] == ["failed", "passed"]
    assert kinds.count("request_type") == 1 and kinds[-1] == "call_ended"
    ticked = {event.step for event in events(connection, call_id) if event.kind == "step_ticked"}
    assert {"complaint.hear", "complaint.empathize", "complaint.apologize",
            "verification.ask_name", "verification.ask_factors"} <= ticked
    reveals = [entry for entry in audit.entries(connection, caller.id)
               if entry.action == audit.REVEAL]
    assert [entry.detail["call_id"] for entry in reveals] == [call_id]

