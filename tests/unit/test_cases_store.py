"""Cases in a real store: opening (numbered, due per SLA), the audited lifecycle, append-only notes,
escalation, callbacks in the queue, two agents on one case, and bad input refused with a reason."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import callbacks, drafts
from agent_tui.store.cases import NOTE_LIMIT, CaseConflict, CaseDraft, CaseError, CaseStore
from agent_tui.store.database import Store
from agent_tui.store.queue import my_queue

NOW = datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def customer_id(connection) -> str:
    return connection.execute("SELECT id FROM customers ORDER BY id LIMIT 1").fetchone()[0]


def _cases(connection, agent: str = "A1024") -> CaseStore:
    return CaseStore(connection, SlaPolicy(), agent, agent[1:])


def _draft(customer_id: str, **changes) -> CaseDraft:
    values = dict(category="complaint", priority="high", title="转账未到账",
                  description="客户反映转账未到账")
    return CaseDraft(customer_id=customer_id, **{**values, **changes})


def test_a_case_is_numbered_due_per_sla_and_audited(connection, customer_id):
    cases = _cases(connection)
    first = cases.open(_draft(customer_id), NOW)
    second = cases.open(_draft(customer_id, priority="normal"), NOW + timedelta(minutes=1))
    assert (first.number, second.number) == ("CS261123-1024-001", "CS261123-1024-002")
    assert first.status == "new" and first.due_at == NOW + timedelta(hours=48)
    assert second.due_at == NOW + timedelta(minutes=1, hours=24)
    assert first.first_response_due == NOW + timedelta(minutes=2)
    assert [event.kind for event in cases.events(first.id)] == ["opened"]
    audited = connection.execute(
        "SELECT action FROM audit_log WHERE customer_id = ? AND action = 'case.open'",
        (customer_id,)).fetchall()
    assert len(audited) == 2


def test_the_lifecycle_is_enforced_and_every_change_recorded(connection, customer_id):
    cases = _cases(connection)
    case = cases.open(_draft(customer_id), NOW)
    with pytest.raises(CaseError) as refused:
        cases.change_status(case, "closed", NOW)
    assert refused.value.key == "case.refused.resolve_first"
    case = cases.change_status(case, "in_progress", NOW + timedelta(minutes=5))
    case = cases.change_status(case, "resolved", NOW + timedelta(hours=1), "refunded")
    case = cases.change_status(case, "closed", NOW + timedelta(hours=2))
    case = cases.change_status(case, "in_progress", NOW + timedelta(hours=3), "customer called back")
    events = cases.events(case.id)
    assert [(event.kind, event.from_status, event.to_status) for event in events] == [
        ("opened", "", "new"), ("status", "new", "in_progress"),
        ("status", "in_progress", "resolved"), ("status", "resolved", "closed"),
        ("reopened", "closed", "in_progress")]
    assert all(event.agent_id == "A1024" for event in events)
    with pytest.raises(sqlite3.DatabaseError):  # the record cannot be rewritten
        connection.execute("UPDATE case_events SET to_status = 'new'")


def test_pending_the_customer_pauses_the_clock(connection, customer_id):
    cases = _cases(connection)
    case = cases.open(_draft(customer_id), NOW)
    case = cases.change_status(case, "pending_customer", NOW + timedelta(hours=1))
    assert case.paused_since == NOW + timedelta(hours=1)
    case = cases.change_status(case, "in_progress", NOW + timedelta(hours=11))
    assert case.paused_seconds == 10 * 3600 and case.paused_since is None
    assert case.due_at == NOW + timedelta(hours=58)


def test_notes_are_append_only_and_the_first_is_the_first_response(connection, customer_id):
    cases = _cases(connection)
    case = cases.open(_draft(customer_id), NOW)
    cases.add_note(case, "已联系客户\x1b[31m，核实中", NOW + timedelta(minutes=1))
    cases.add_note(case, "款项已退回", NOW + timedelta(minutes=30))
    assert [note.text for note in cases.notes(case.id)] == ["已联系客户，核实中", "款项已退回"]
    assert cases.get(case.id).first_response_at == NOW + timedelta(minutes=1)
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("DELETE FROM case_notes")
    with pytest.raises(CaseError) as too_long:
        cases.add_note(case, "长" * (1024 * 1024), NOW)
    assert too_long.value.key == "case.note_too_long"
    assert len(cases.notes(case.id)) == 2  # refused, nothing half-written
    assert NOTE_LIMIT < 1024 * 1024


def test_two_agents_on_one_case_never_overwrite_each_other(writable_store, customer_id):
    mine, theirs = Store.open(writable_store).connection(), sqlite3.connect(writable_store)
    case = _cases(mine).open(_draft(customer_id), NOW)
    seen_by_them = _cases(theirs, "A2048").get(case.id)
    _cases(mine).change_status(case, "in_progress", NOW + timedelta(minutes=1))
    with pytest.raises(CaseConflict) as conflict:
        _cases(theirs, "A2048").change_status(seen_by_them, "escalated",
                                             NOW + timedelta(minutes=2))
    assert conflict.value.current.status == "in_progress"  # what they are shown instead
    _cases(theirs, "A2048").add_note(seen_by_them, "我也在跟进", NOW + timedelta(minutes=2))
    assert [note.agent_id for note in _cases(mine).notes(case.id)] == ["A2048"]


def test_bad_input_is_refused_with_its_reason(connection, customer_id):
    cases = _cases(connection)
    for draft, key in ((_draft("C-nobody"), "case.no_customer"),
                       (_draft(customer_id, title="  "), "case.title_missing"),
                       (_draft(customer_id, channel="fax"), "case.bad_field")):
        with pytest.raises(CaseError) as refused:
            cases.open(draft, NOW)
        assert refused.value.key == key
    assert connection.execute("SELECT count(*) FROM cases WHERE created_by = 'A1024'"
                              ).fetchone()[0] == 0


def test_escalation_records_the_group_the_reason_and_who(connection, customer_id):
    cases = _cases(connection)
    case = cases.open(_draft(customer_id), NOW)
    case = cases.escalate(case, "complaints_team", "严重投诉", NOW + timedelta(minutes=3))
    assert (case.status, case.escalated_to, case.escalation_reason) == (
        "escalated", "complaints_team", "严重投诉")
    event = cases.events(case.id)[-1]
    assert (event.kind, event.agent_id, event.detail["target"]) == (
        "escalated", "A1024", "complaints_team")


def test_the_queue_puts_overdue_first_and_paused_last(connection, customer_id):
    cases = _cases(connection, "A9999")
    late = cases.open(_draft(customer_id, priority="normal", title="late"), NOW - timedelta(days=3))
    cases.open(_draft(customer_id, title="soon"), NOW)
    paused = cases.open(_draft(customer_id, priority="low", title="paused"),
                        NOW - timedelta(days=5))
    cases.change_status(paused, "pending_customer", NOW)
    callbacks.schedule(connection, agent_id="A9999", customer_id=customer_id,
                       due=NOW + timedelta(hours=2), reason="回访满意度", at=NOW)
    assert cases.mark_breaches(NOW) == 1  # the late one; the paused one is not at risk
    assert cases.get(paused.id).breached_at is None  # paused: not at risk while it waits
    items, total = my_queue(connection, "A9999")
    assert total == 4
    assert [item.title for item in items] == ["late", "回访满意度", "soon", "paused"]
    assert items[0].breached and items[0].overdue(NOW) and not items[1].overdue(NOW)
    assert _cases(connection).get(late.id).breached_at is not None


def test_a_callback_needs_a_reason_and_a_time_to_come(connection, customer_id):
    for due, reason, key in ((NOW + timedelta(hours=1), " ", "callback.no_reason"),
                             (NOW - timedelta(hours=1), "回访", "callback.in_the_past")):
        with pytest.raises(CaseError) as refused:
            callbacks.schedule(connection, agent_id="A1024", customer_id=customer_id, due=due,
                               reason=reason, at=NOW)
        assert refused.value.key == key


def test_a_callback_call_that_did_not_reach_the_customer_is_an_attempt(connection,
                                                                      customer_id):
    callback = callbacks.schedule(connection, agent_id="A1024", customer_id=customer_id,
                                  due=NOW + timedelta(hours=1), reason="回访退款", at=NOW)
    assert callbacks.attempt(connection, callback.id, agent_id="A1024", outcome="caller_hung_up",
                             at=NOW + timedelta(hours=1), call_id="call-1") == 1
    assert callbacks.attempt(connection, callback.id, agent_id="A1024", outcome="caller_hung_up",
                             at=NOW + timedelta(hours=2), call_id="call-2") == 2
    assert callbacks.get(connection, callback.id).status == "scheduled"  # still to be made
    [item] = [item for item in my_queue(connection, "A1024")[0] if item.id == callback.id]
    assert item.attempts == 2
    sent = [name for (name,) in connection.execute(
        "SELECT name FROM outbox WHERE name LIKE 'callback.%' ORDER BY seq")]
    assert sent == ["callback.schedule", "callback.attempt", "callback.attempt"]
    audited = connection.execute("SELECT count(*) FROM audit_log WHERE action = "
                                 "'callback.attempt'").fetchone()[0]
    assert audited == 2
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM callback_attempts")
    callbacks.complete(connection, callback.id, agent_id="A1024", at=NOW + timedelta(hours=3))
    assert callbacks.attempt(connection, callback.id, agent_id="A1024", outcome="caller_hung_up",
                             at=NOW + timedelta(hours=4)) == 2  # done: nothing more to try


def test_drafts_are_replaced_on_each_save_and_gone_when_discarded(connection):
    drafts.save(connection, "call:1", "call", "A1024", {"notes": "客户"}, NOW)
    drafts.save(connection, "call:1", "call", "A1024", {"notes": "客户来电"}, NOW)
    connection.execute("INSERT INTO drafts VALUES ('bad', 'call', 'A1024', '2026', '{')")
    connection.commit()
    assert [draft.body["notes"] for draft in drafts.pending(connection, "A1024")] == ["客户来电"]
    drafts.discard(connection, "call:1")
    assert drafts.pending(connection, "A1024") == []


def _escalate_in_another_process(store: str, case_id: str) -> None:
    connection = Store.open(Path(store)).connection()
    cases = CaseStore(connection, SlaPolicy(), "A2048", "2048")
    cases.escalate(cases.get(case_id), "supervisor", "另一进程升级", NOW + timedelta(minutes=1))


def test_two_processes_on_one_store_one_change_wins_the_other_is_told(writable_store,
                                                                       customer_id):
    # The fixture's connection is open in this process too: the case that once lost the
    # other process's write (a header read outside SQLite dropped this process's locks).
    import multiprocessing

    cases = _cases(Store.open(writable_store).connection())
    case = cases.open(_draft(customer_id), NOW)
    child = multiprocessing.get_context("spawn").Process(
        target=_escalate_in_another_process, args=(str(writable_store), case.id))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    with pytest.raises(CaseConflict) as conflict:  # this agent still saw version 1
        cases.change_status(case, "resolved", NOW + timedelta(minutes=2))
    assert conflict.value.current.escalated_to == "supervisor"
    assert cases.get(case.id).status == "escalated"
    with Store.open(writable_store).connection() as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_change_and_its_record_commit_together_or_not_at_all(connection, customer_id):
    cases = _cases(connection)
    case = cases.open(_draft(customer_id), NOW)
    # The event cannot be written (a full disk, a lock): the change must not be there either.
    connection.execute("CREATE TEMP TRIGGER no_events BEFORE INSERT ON case_events "
                       "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.DatabaseError):
        cases.change_status(case, "in_progress", NOW + timedelta(minutes=1))
    connection.execute("DROP TRIGGER no_events")
    assert cases.get(case.id).status == "new" and cases.get(case.id).version == 1
    assert not connection.in_transaction
