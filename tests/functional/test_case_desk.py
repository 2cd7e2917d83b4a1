"""Cases by keys, on a real store: opened from a call (its number in the call's summary), a second
contact attached instead of duplicated, worked from F4 (a note, a status, an escalation, a
callback), with the customer's name masked in the queue."""

from __future__ import annotations

import sqlite3

from agent_tui.domain.call_session import Closing
from screens.case import CaseScreen
from screens.case_action import CaseActionScreen
from screens.case_form import CaseFormScreen
from screens.queue import QueueScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import (
    a_caller,
    assert_no_pii,
    focus,
    open_360,
    open_queue,
    show_case,
    start_call,
)
from tests.screen import screen_text, wait_for, wait_for_screen, widget_text


def _rows(store, sql: str, *args) -> list[tuple]:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


async def _choose_group(pilot, group_id: str) -> None:
    """In the escalate form: ↑↓ to the library's group ``group_id``, Enter (then the reason)."""
    groups = pilot.app.screen.query_one("#groups")
    await wait_for(pilot, lambda: pilot.app.focused is groups)
    await pilot.press("home")
    for _ in range(groups.option_count):
        if groups.get_option_at_index(groups.highlighted).id == group_id:
            break
        await pilot.press("down")
    assert groups.get_option_at_index(groups.highlighted).id == group_id
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.focused is pilot.app.screen.query_one("#reason"))


async def test_a_case_opened_in_a_call_then_attached_and_worked_from_the_queue(writable_store,
                                                                               make_app):
    caller = a_caller(writable_store, offset=61)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        call = app.call
        await pilot.press("f11")
        await wait_for_screen(pilot, CaseFormScreen)
        await focus(pilot, "case-title")
        await pilot.press(*"信用卡年费争议", "ctrl+s")
        await wait_for(pilot, lambda: call.case is not None)
        number = call.case.number
        assert number.startswith("CS") and number in call.summary().sentence("zh-CN")
        [(case_id, channel, call_id, status)] = _rows(
            writable_store, "SELECT id, channel, call_id, status FROM cases WHERE number = ?",
            number)
        assert (channel, call_id, status) == ("phone", call.id, "new")

        # The same customer, another contact about the same matter: offered for attaching.
        app.end_call(True)
        await open_360(pilot, caller.id)
        await pilot.press("f11")
        form = await wait_for_screen(pilot, CaseFormScreen)
        await wait_for(pilot, lambda: form.candidate is not None)
        assert number in screen_text(app)
        await focus(pilot, "case-title")
        await pilot.press(*"客户再次来电催办")
        await focus(pilot, "case-attach-button")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, CaseFormScreen))
        assert _rows(writable_store, "SELECT count(*) FROM cases WHERE customer_id = ? "
                     "AND created_by = 'A1024'", caller.id) == [(1,)]
        assert _rows(writable_store, "SELECT kind FROM case_events WHERE case_id = ? "
                     "ORDER BY seq", case_id) == [("opened",), ("attached",)]

        # F4: the queue, masked; Enter opens the case.
        await pilot.press("f4")
        queue = await wait_for_screen(pilot, QueueScreen)
        await wait_for(pilot, lambda: queue.page is not None
                       and any(item.number == number for item in queue.page.items))
        await wait_for(pilot, lambda: number in screen_text(app))
        assert_no_pii(app, caller)
        assert caller.name not in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, CaseScreen)
        await wait_for(pilot, lambda: app.screen.view is not None)
        await pilot.press(*"已联系客户说明年费减免条件", "ctrl+s")
        await wait_for(pilot, lambda: "已联系客户说明年费减免条件" in screen_text(app)
                       and not app.screen.query_one("#case-note").text)

        # F7: in progress, then escalated, then a callback.
        await pilot.press("f7")
        await wait_for_screen(pilot, CaseActionScreen)
        await pilot.press("enter", "enter")  # the first allowed status: in progress
        await wait_for(pilot, lambda: app.screen.view.case.status == "in_progress")
        await pilot.press("f7")
        await wait_for_screen(pilot, CaseActionScreen)
        await pilot.press("end", "up", "enter")  # Escalate… (the second-last entry)
        await _choose_group(pilot, "supervisor")
        await pilot.press(*"客户要求主管回复", "enter")
        await wait_for(pilot, lambda: app.screen.view.case.status == "escalated")
        await pilot.press("f7")
        await wait_for_screen(pilot, CaseActionScreen)
        await pilot.press("end", "enter")  # Schedule a callback… (tomorrow 10:00 filled in)
        await pilot.press(*"回访确认减免结果", "enter")
        await wait_for(pilot, lambda: _rows(writable_store, "SELECT count(*) FROM callbacks "
                                            "WHERE case_id = ?", case_id) == [(1,)])
        await pilot.press("f3")
        await wait_for_screen(pilot, QueueScreen)
        await wait_for(pilot, lambda: any(item.title == "回访确认减免结果"
                                          for item in queue.page.items))
    events = _rows(writable_store, "SELECT kind, from_status, to_status, agent_id FROM "
                   "case_events WHERE case_id = ? ORDER BY seq", case_id)
    assert [event[:3] for event in events] == [
        ("opened", "", "new"), ("attached", "new", "new"), ("note", "new", "new"),
        ("status", "new", "in_progress"), ("escalated", "in_progress", "escalated")]
    assert {event[3] for event in events} == {"A1024"}
    assert _rows(writable_store, "SELECT escalated_to FROM cases WHERE id = ?",
                 case_id) == [("supervisor",)]


async def test_hostile_notes_and_a_1_mb_paste_on_a_case(writable_store, make_app, hostile_strings):
    from datetime import datetime

    from agent_tui.domain.sla import SlaPolicy
    from agent_tui.store import Store
    from agent_tui.store.cases import CaseDraft, CaseError, CaseStore
    from tests.screen import unsafe_segments

    caller = a_caller(writable_store, offset=79)
    cases = CaseStore(Store.open(writable_store).connection(), SlaPolicy(), "A1024", "1024")
    case = cases.open(CaseDraft(customer_id=caller.id, title=hostile_strings[0]["text"] or "t"),
                      datetime(2026, 11, 23, 9, 0))
    added = 0
    for entry in hostile_strings:
        try:
            cases.add_note(case, entry["text"][:1000], datetime(2026, 11, 23, 9, 5))
            added += 1
        except CaseError as refused:  # nothing printable left once cleaned: said so, not stored
            assert refused.key == "case.note_empty"
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_case(pilot, case.id, loaded=True)
        assert unsafe_segments(app) == []
        # A 1 MB paste: refused with the reason, and nothing typed is lost.
        huge = "长" * (1024 * 1024)
        screen.query_one("#case-note").load_text(huge)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "a note holds at most" in screen_text(app))
        assert screen.query_one("#case-note").text == huge
    assert len(cases.notes(case.id)) == added > 0


async def test_a_callback_in_the_queue_starts_its_call_with_the_case_loaded(writable_store,
                                                                            make_app):
    from datetime import datetime

    from agent_tui.domain.sla import SlaPolicy
    from agent_tui.store import Store, callbacks
    from agent_tui.store.cases import CaseDraft, CaseStore
    from screens.call import CallScreen

    caller = a_caller(writable_store, offset=83)
    connection = Store.open(writable_store).connection()
    case = CaseStore(connection, SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=caller.id, title="退款进度"), datetime(2026, 11, 20, 9, 0))
    callback = callbacks.schedule(connection, agent_id="A1024", customer_id=caller.id,
                                  due=datetime(2026, 11, 21, 10, 0), reason="回访退款到账",
                                  at=datetime(2026, 11, 20, 9, 5), case_id=case.id)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        queue = await open_queue(pilot)
        table = queue.query_one("#queue-table")
        table.move_cursor(row=table.get_row_index(f"callback:{callback.id}"))
        await pilot.press("enter")
        await wait_for_screen(pilot, CallScreen)
        call = app.call
        assert call.customer.id == caller.id and call.callback_id == callback.id
        assert call.case is not None and call.case.number == case.number
        assert case.number in call.summary().sentence("zh-CN")
        call.flow.skip_to_closing(app.now(), "test: the callback made")
        app.call.end(Closing(wrap_up="resolved"), app.now(), "test")
        app.end_call(True)
        await wait_for(pilot, lambda: callbacks.get(connection, callback.id).status == "done")


async def test_a_callback_whose_caller_hung_up_stays_in_the_queue(writable_store, make_app):
    from datetime import datetime

    from agent_tui.store import Store, callbacks
    from screens.call import CallScreen
    from screens.closing import ClosingScreen
    from screens.override import OverrideScreen

    caller = a_caller(writable_store, offset=87)
    connection = Store.open(writable_store).connection()
    callback = callbacks.schedule(connection, agent_id="A1024", customer_id=caller.id,
                                  due=datetime(2026, 11, 21, 10, 0), reason="回访挂失进度",
                                  at=datetime(2026, 11, 20, 9, 5))
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press("f4")
        queue = await wait_for_screen(pilot, QueueScreen)
        await wait_for(pilot, lambda: queue.page is not None)
        table = queue.query_one("#queue-table")
        table.move_cursor(row=table.get_row_index(f"callback:{callback.id}"))
        await pilot.press("enter")
        await wait_for_screen(pilot, CallScreen)
        call = app.call
        await pilot.press("f6")  # nobody answers properly: the caller hangs up
        await wait_for_screen(pilot, OverrideScreen)
        await pilot.press("tab", "enter")
        await wait_for_screen(pilot, ClosingScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.call is None)
        await wait_for(pilot, lambda: callbacks.attempts(connection, callback.id) == 1)
        assert callbacks.get(connection, callback.id).status == "scheduled"
        await wait_for(pilot, lambda: any("attempt" in note.message
                                          for note in notifications(app)))
        await pilot.press("f4")
        queue = await wait_for_screen(pilot, QueueScreen)
        await wait_for(pilot, lambda: queue.page is not None and any(
            item.id == callback.id and item.attempts == 1 for item in queue.page.items))
        assert "1 attempt(s)" in widget_text(queue)
    assert _rows(writable_store, "SELECT call_id, outcome FROM callback_attempts") == [
        (call.id, "caller_hung_up")]
    assert _rows(writable_store, "SELECT count(*) FROM outbox WHERE name = "
                 "'callback.attempt'") == [(1,)]


async def test_escalation_goes_only_to_a_group_of_the_library(writable_store, make_app):
    from datetime import datetime

    from agent_tui.domain.sla import SlaPolicy
    from agent_tui.store import Store
    from agent_tui.store.cases import CaseDraft, CaseStore
    from tests.conftest import shipped_library

    caller = a_caller(writable_store, offset=89)
    case = CaseStore(Store.open(writable_store).connection(), SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=caller.id, category="complaint", priority="high",
                  title="理财产品投诉"), datetime(2026, 11, 23, 9, 0))
    groups = [group.id for group in shipped_library().escalation_groups]
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_case(pilot, case.id, loaded=True)
        assert "Complaints team" in screen_text(app)  # the rule's suggestion, by its name
        await pilot.press("f7")
        dialog = await wait_for_screen(pilot, CaseActionScreen)
        await pilot.press("end", "up", "enter")  # Escalate…
        listed = dialog.query_one("#groups")
        assert [listed.get_option_at_index(index).id
                for index in range(listed.option_count)] == groups
        # The serious complaint's suggestion is highlighted, and there is nothing to type in.
        assert listed.get_option_at_index(listed.highlighted).id == "complaints_team"
        assert not dialog.query("#first")
        await pilot.press(*"abc", "enter")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.view.case.status == "escalated")
        assert screen.view.case.escalated_to == "complaints_team"
        await wait_for(pilot, lambda: "Escalated to Complaints team" in screen_text(app))
