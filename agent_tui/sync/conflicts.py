"""What the hub refused or answered with a conflict, for the agent to redo or drop, consciously.

Nothing leaves this list by itself. Redo makes the change again on the case as the hub holds it
now (a new mutation, with the version the agent now sees); a refused note or record is queued
again as it was. Drop keeps the row, marked dropped, and audits the decision.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.times import iso
from agent_tui.store import audit, outbox
from agent_tui.store.cases import CaseStore
from agent_tui.store.database import transaction


class Conflict(msgspec.Struct, frozen=True):
    id: int
    name: str
    args: dict
    created_at: str
    status: str
    reason: str
    current: dict | None
    damaged: bool = False  # its stored JSON does not read: shown marked, cannot be redone


def _json(text: str | None) -> tuple[dict | None, bool]:
    """A stored JSON object, and whether it was damaged (not JSON, or not an object)."""
    if not text:
        return None, False
    try:
        value = msgspec.json.decode(text)
    except msgspec.DecodeError:
        return None, True
    return (value, False) if isinstance(value, dict) else (None, True)


class CannotRedo(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_conflicts(connection: sqlite3.Connection) -> list[Conflict]:
    rows = connection.execute(
        "SELECT id, name, args_json, created_at, status, reason, current_json FROM "
        "sync_conflicts WHERE resolved_at IS NULL ORDER BY id").fetchall()
    conflicts = []
    for row in rows:
        (args, bad_args), (current, bad_current) = _json(row[2]), _json(row[6])
        conflicts.append(Conflict(row[0], row[1], args or {}, row[3], row[4], row[5], current,
                                  damaged=bad_args or bad_current))
    return conflicts


def _get(connection: sqlite3.Connection, conflict_id: int) -> Conflict:
    for conflict in open_conflicts(connection):
        if conflict.id == conflict_id:
            return conflict
    raise CannotRedo("already settled")


def _resolve(connection: sqlite3.Connection, conflict: Conflict, resolution: str,
             agent_id: str, at: datetime) -> None:
    connection.execute("UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
                       (iso(at), resolution, conflict.id))
    audit.record(connection, agent_id=agent_id, action=f"sync.conflict_{resolution}", at=at,
                 customer_id=None, detail={"mutation": conflict.name,
                                           "reason": conflict.reason})


def drop(connection: sqlite3.Connection, conflict_id: int, agent_id: str, at: datetime) -> None:
    with transaction(connection):
        _resolve(connection, _get(connection, conflict_id), "dropped", agent_id, at)


def redo(connection: sqlite3.Connection, cases: CaseStore, conflict_id: int,
         at: datetime) -> None:
    """Make the change again on the current state; refused with the reason if it no longer can
    be (the case moved somewhere the change does not go from)."""
    from agent_tui.store.cases import CaseError

    conflict = _get(connection, conflict_id)
    if conflict.damaged:
        raise CannotRedo("conflicts.damaged")
    args = conflict.args
    try:
        if conflict.name in ("case.status", "case.reopened"):
            case = cases.get(args["case_id"])
            cases.change_status(case, args["changes"]["status"], at,
                                (args.get("detail") or {}).get("reason", ""))
        elif conflict.name == "case.escalated":
            case = cases.get(args["case_id"])
            cases.escalate(case, args["changes"].get("escalated_to", ""),
                           args["changes"].get("escalation_reason", ""), at)
        else:  # append-only records: queued again as they were, under a new mutation id
            with transaction(connection):
                outbox.enqueue(connection, conflict.name, args, at)
    except CaseError as error:
        raise CannotRedo(error.key) from None
    with transaction(connection):
        _resolve(connection, conflict, "redone", cases.agent_id, at)
