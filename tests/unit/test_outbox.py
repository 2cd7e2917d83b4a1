"""The outbox (SYNC.md): every local change that must reach the hub is queued in the same
transaction as the change, in order, never reusing a number; a change that fails queues nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import callbacks, outbox
from agent_tui.store.cases import CaseConflict, CaseDraft, CaseStore

NOW = datetime(2026, 11, 23, 10, 0)


def _names(connection) -> list[str]:
    return [mutation.name for mutation in outbox.pending(connection)]


def test_each_change_queues_its_mutation_and_its_audit_in_order(connection):
    customer_id = connection.execute("SELECT id FROM customers LIMIT 1").fetchone()[0]
    cases = CaseStore(connection, SlaPolicy(), "A1024", "1024")
    case = cases.open(CaseDraft(customer_id=customer_id, title="年费争议"), NOW)
    cases.add_note(case, "已联系客户", NOW + timedelta(minutes=1))
    cases.change_status(case, "in_progress", NOW + timedelta(minutes=2))
    callbacks.schedule(connection, agent_id="A1024", customer_id=customer_id,
                       due=NOW + timedelta(days=1), reason="回访", at=NOW, case_id=case.id)
    assert _names(connection) == [
        "case.open", "audit.append", "case.add_note", "case.status", "audit.append",
        "callback.schedule", "audit.append"]
    queued = outbox.pending(connection)
    assert [mutation.seq for mutation in queued] == sorted(mutation.seq for mutation in queued)
    status = next(mutation for mutation in queued if mutation.name == "case.status")
    assert status.args["base_version"] == 1  # the version the agent saw, for the hub to check
    assert status.args["changes"] == {"status": "in_progress"}
    assert len({mutation.mutation_id for mutation in queued}) == len(queued)


def test_a_refused_or_failed_change_queues_nothing(writable_store, connection):
    customer_id = connection.execute("SELECT id FROM customers LIMIT 1").fetchone()[0]
    cases = CaseStore(connection, SlaPolicy(), "A1024", "1024")
    case = cases.open(CaseDraft(customer_id=customer_id, title="t"), NOW)
    before = outbox.waiting(connection)
    other = CaseStore(sqlite3.connect(writable_store, isolation_level=None), SlaPolicy(),
                      "A2048", "2048")
    other.change_status(other.get(case.id), "in_progress", NOW)
    after_other = outbox.waiting(connection)
    with pytest.raises(CaseConflict):  # a stale change: nothing queued for it
        cases.change_status(case, "resolved", NOW)
    assert outbox.waiting(connection) == after_other > before


def test_a_number_is_never_reused_once_sent(connection):
    from agent_tui.store.database import transaction

    with transaction(connection):
        outbox.enqueue(connection, "test.one", {}, NOW)
    first = outbox.pending(connection)[-1].seq
    connection.execute("DELETE FROM outbox")  # sent and answered
    with transaction(connection):
        outbox.enqueue(connection, "test.two", {}, NOW)
    assert outbox.pending(connection)[-1].seq == first + 1


def test_a_mutation_outside_a_transaction_is_refused(connection):
    with pytest.raises(RuntimeError):
        outbox.enqueue(connection, "test.loose", {}, NOW)
