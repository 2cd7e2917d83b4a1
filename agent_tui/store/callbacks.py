"""Follow-up calls (回访): scheduled with a time and a reason, from a call's closing or a case, and
marked done by the call that reaches the customer; a call that does not (the caller hung up) is
recorded as an attempt and the callback stays open. The agent's queue lists them with the cases."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.ids import new_id
from agent_tui.domain.mutation_args import CallbackAttempt, CallbackComplete, CallbackSchedule
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.store import audit, outbox
from agent_tui.store.cases import CaseError
from agent_tui.store.database import transaction

REASON_LIMIT = 500


class Callback(msgspec.Struct, frozen=True):
    id: str
    customer_id: str
    case_id: str | None
    due_at: str
    reason: str
    status: str  # scheduled | done | cancelled


def schedule(connection: sqlite3.Connection, *, agent_id: str, customer_id: str,
             due: datetime, reason: str, at: datetime, case_id: str | None = None,
             call_id: str | None = None) -> Callback:
    reason = sanitize(reason).strip()[:REASON_LIMIT]
    if not reason:
        raise CaseError("callback.no_reason")
    if due <= at:
        raise CaseError("callback.in_the_past", due=iso(due))
    if not connection.execute("SELECT 1 FROM customers WHERE id = ?", (customer_id,)).fetchone():
        raise CaseError("case.no_customer", customer=sanitize(customer_id)[:40])
    callback_id = new_id()
    with transaction(connection):
        connection.execute(
            "INSERT INTO callbacks (id, customer_id, case_id, call_id, agent_id, due_at, reason, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (callback_id, customer_id, case_id, call_id, agent_id, iso(due), reason, iso(at)))
        outbox.enqueue(connection, "callback.schedule", CallbackSchedule(
            id=callback_id, customer_id=customer_id, case_id=case_id, call_id=call_id,
            due_at=iso(due), reason=reason, at=iso(at)), at)
        audit.record(connection, agent_id=agent_id, action="callback.schedule", at=at,
                     customer_id=customer_id,
                     detail={"callback_id": callback_id, "case_id": case_id})
    return Callback(callback_id, customer_id, case_id, iso(due), reason, "scheduled")


def get(connection: sqlite3.Connection, callback_id: str) -> Callback:
    row = connection.execute(
        "SELECT id, customer_id, case_id, due_at, reason, status FROM callbacks WHERE id = ?",
        (callback_id,)).fetchone()
    if row is None:
        raise CaseError("callback.missing")
    return Callback(*row)


def complete(connection: sqlite3.Connection, callback_id: str, *, agent_id: str,
             at: datetime, call_id: str | None = None) -> None:
    """The callback was made: it leaves the queue."""
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE callbacks SET status = 'done', done_at = ?, call_id = coalesce(?, call_id), "
            "version = version + 1 WHERE id = ? AND status = 'scheduled'",
            (iso(at), call_id, callback_id))
        if cursor.rowcount:
            outbox.enqueue(connection, "callback.complete",
                           CallbackComplete(id=callback_id, call_id=call_id, at=iso(at)), at)
            audit.record(connection, agent_id=agent_id, action="callback.done", at=at,
                         detail={"callback_id": callback_id, "call_id": call_id})


def attempt(connection: sqlite3.Connection, callback_id: str, *, agent_id: str, at: datetime,
            outcome: str, call_id: str | None = None) -> int:
    """The callback's call did not reach the customer (``outcome``: its wrap-up code): the
    attempt is recorded, the callback stays in the queue. Returns how many attempts it has."""
    with transaction(connection):
        customer = connection.execute(
            "SELECT customer_id FROM callbacks WHERE id = ? AND status = 'scheduled'",
            (callback_id,)).fetchone()
        if customer is not None:
            attempt_id = new_id()
            connection.execute(
                "INSERT INTO callback_attempts (id, callback_id, call_id, agent_id, at, outcome) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (attempt_id, callback_id, call_id, agent_id, iso(at), sanitize(outcome)[:64]))
            outbox.enqueue(connection, "callback.attempt", CallbackAttempt(
                id=attempt_id, callback_id=callback_id, call_id=call_id, outcome=outcome,
                at=iso(at)), at)
            audit.record(connection, agent_id=agent_id, action="callback.attempt", at=at,
                         customer_id=customer[0],
                         detail={"callback_id": callback_id, "call_id": call_id,
                                 "outcome": outcome})
        return attempts(connection, callback_id)


def attempts(connection: sqlite3.Connection, callback_id: str) -> int:
    return connection.execute("SELECT count(*) FROM callback_attempts WHERE callback_id = ?",
                              (callback_id,)).fetchone()[0]
