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
from screens.widgets.textual_private import SelectOverlay
from tests.call_driver import (
    a_caller,
    assert_no_pii,
    do_step,
    focus,
    open_360,
    start_call,
    type_answers,
)
from tests.screen import screen_text, wait_for, wait_for_screen


async def _close(pilot, csat: str, nps: str) -> None:
    await pilot.press("f7")
    await wait_for_screen(pilot, ClosingScreen)
    await pilot.press(*csat, "tab", *nps, "tab", "space", "tab", "enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, SelectOverlay))  # the list open
    await pilot.press("enter")  # the list opens on its first code: resolved
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
        await wait_for_screen(pilot, ClosingScreen)  # its form opens, as every stage's does
        await pilot.press("f3")  # back to say the closing words first
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



async def test_a_consultation_for_an_unknown_caller_found_during_the_call(writable_store,
                                                                          make_app):
    caller = a_caller(writable_store, offset=23)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press("ctrl+n")  # from the search: nobody in view
        await wait_for_screen(pilot, CallScreen)
        assert "Unknown caller" in screen_text(app)
        await do_step(pilot, "greeting.greet")
        await do_step(pilot, "greeting.introduce")
        await pilot.press("f2")  # find the caller; the call goes on
        await open_360(pilot, caller.id)
        assert_no_pii(app, caller)
        await pilot.press("ctrl+n")  # attach and return to the same call
        await wait_for_screen(pilot, CallScreen)
        call = app.call
        assert call.customer_id == caller.id and call.flow.stage == "greeting"
        await wait_for(pilot, lambda: call.verification is not None)
        assert_no_pii(app, caller)
        await pilot.press("f6")
        await wait_for_screen(pilot, VerifyScreen)
        await type_answers(pilot, {"name": caller.name, "birth_date": caller.birth_date,
                                   "id_last6": caller.id_number[-6:]})
        await wait_for(pilot, lambda: app.disclosure_for(caller.id).tier is Tier.BASIC)
        await pilot.press("f6")
        await wait_for_screen(pilot, RequestTypeScreen)
        await pilot.press("enter")  # consultation, the first
        await wait_for(pilot, lambda: call.flow.request_type == "consultation")
        for step in ("consultation.listen", "consultation.look_up", "consultation.answer",
                     "consultation.confirm"):
            await do_step(pilot, step)
        await focus(pilot, "notes")
        await pilot.press(*"\n客户咨询信用卡年费。已告知免年费条件。")
        await pilot.press("f6")
        await wait_for(pilot, lambda: call.flow.stage == "closing")
        await wait_for_screen(pilot, ClosingScreen)
        await pilot.press("f3")
        await do_step(pilot, "closing.summarise")
        assert "客户咨询信用卡年费" in call.notes.split("\n")[-1]  # the summary, read out
        # The caller hangs up before the thanks: ending asks for a reason, and records it.
        await pilot.press("f7")
        await wait_for_screen(pilot, ClosingScreen)
        await pilot.press("tab", "tab", "tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.focused, SelectOverlay))  # the list open
        await pilot.press("end", "enter")  # the last code: the caller hung up
        await pilot.press("ctrl+s")
        assert "give a reason" in screen_text(app)
        await pilot.press(*"caller hung up", "ctrl+s")  # the form put the cursor there
        await wait_for(pilot, lambda: app.call is None)

    connection = sqlite3.connect(writable_store)
    call_id, customer_id, request_type, wrap_up, csat, overrides = connection.execute(
        "SELECT id, customer_id, request_type, wrap_up, csat, overrides FROM calls").fetchone()
    assert customer_id == caller.id  # found during the call: the call is theirs
    assert (request_type, csat, overrides) == ("consultation", None, 1)
    assert wrap_up == "caller_hung_up"
    stored = events(connection, call_id)
    assert [event.detail["customer_id"] for event in stored
            if event.kind == "customer_found"] == [caller.id]
    override = next(event for event in stored if event.kind == "override")
    assert override.detail["reason"] == "caller hung up"
    assert "closing.thank" in override.detail["open_steps"]


async def test_three_failures_lock_verification_and_flag_the_customer(writable_store, make_app):
    caller = a_caller(writable_store, offset=31)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await pilot.press("f7")
        await wait_for_screen(pilot, VerifyScreen)
        for attempt in range(3):
            await type_answers(pilot, {"name": caller.name, "id_last6": f"00000{attempt}",
                                       "mobile": "13000000000"})
            assert_no_pii(app, caller)
        await wait_for_screen(pilot, CallScreen)
        assert app.call.flow.verification_status == "locked"
        await wait_for(pilot, lambda: "locked" in screen_text(app))
        await pilot.press("f12")  # no sensitive operation for a locked caller
        await wait_for(pilot, lambda: "Verify the caller's identity first" in screen_text(app))
        assert_no_pii(app, caller)
    connection = sqlite3.connect(writable_store)
    await_flags = connection.execute(
        "SELECT flag FROM customer_flags WHERE customer_id = ?", (caller.id,)).fetchall()
    assert await_flags == [("possible_fraud",)]
    assert app.disclosure_for(caller.id).tier is Tier.MASKED


async def test_a_third_party_caller_is_recorded_and_sees_nothing(writable_store, make_app):
    caller = a_caller(writable_store, offset=37)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await pilot.press("f7")
        await wait_for_screen(pilot, VerifyScreen)
        await focus(pilot, "third-name")
        await pilot.press(*"王小明", "tab", *"son", "enter")
        await wait_for_screen(pilot, CallScreen)
        assert app.call.flow.verification_status == "third_party"
        assert "third-party caller" in screen_text(app)
        assert_no_pii(app, caller)


async def test_freezing_a_card_needs_the_code_read_back(writable_store, make_app):
    caller = a_caller(writable_store, offset=41)
    app = make_app(writable_store)
    outbox = writable_store.with_name("sms-outbox.log")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await pilot.press("f7")
        await wait_for_screen(pilot, VerifyScreen)
        await type_answers(pilot, {"name": caller.name, "id_last6": caller.id_number[-6:],
                                   "mobile": caller.mobile})
        await wait_for(pilot, lambda: app.disclosure_for(caller.id).tier is Tier.BASIC)
        await pilot.press("f12")
        await wait_for(pilot, lambda: app.screen.query("#operations")
                       and app.screen.query_one("#operations").option_count > 0)
        await pilot.press("enter")  # the first: freeze the active card
        await wait_for(pilot, lambda: outbox.exists())
        code = outbox.read_text().split("code ")[1][:6]
        assert caller.mobile in outbox.read_text()
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "step-up-code")
        wrong = "000000" if code != "000000" else "111111"
        await pilot.press(*wrong, "enter")
        assert "Wrong code" in screen_text(app)
        app.screen.query_one("#step-up-code").value = ""
        await pilot.press(*code, "enter")
        await wait_for_screen(pilot, CallScreen)
        await wait_for(pilot, lambda: app.disclosure_for(caller.id).tier is Tier.FULL)
        assert app.call.operations == ["freeze_card"]
    connection = sqlite3.connect(writable_store)
    frozen = connection.execute(
        "SELECT count(*) FROM accounts WHERE customer_id = ? AND status = 'frozen'",
        (caller.id,)).fetchone()[0]
    assert frozen >= 1
    actions = [entry.action for entry in audit.entries(connection, caller.id)]
    assert actions[-2:] == ["operation.freeze_card", audit.REVEAL]


async def test_hostile_text_pasted_into_the_notes_never_reaches_the_terminal(
        writable_store, make_app, hostile_strings):
    from textual import events as textual_events

    from screens.widgets.notes_editor import NOTES_LIMIT, NotesEditor
    from tests.screen import unsafe_segments

    caller = a_caller(writable_store, offset=43)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        editor = app.screen.query_one(NotesEditor)
        for entry in hostile_strings:
            editor.load_text("")
            editor.post_message(textual_events.Paste(entry["text"] + "\n您必须"))
            await pilot.pause()
            assert unsafe_segments(app) == [], entry["what"]
            assert "\x1b" not in app.call.notes
            # The forbidden word after it is caught, unless the paste ran past the notes' limit.
            assert len(app.call.hits) == 1 or len(entry["text"]) >= NOTES_LIMIT, entry["what"]
