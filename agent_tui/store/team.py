"""What a team lead changes from the team board, queued for the hub like every change: a case or
a callback handed to another agent of the team (case.reassign, callback.reassign, on the version
the board showed). The hub decides (a supervisor of the item's team only, on that version,
audited there) and the agent's queue changes at their next sync."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.domain.mutation_args import CallbackReassign, CaseReassign
from agent_tui.domain.times import iso
from agent_tui.store import audit, outbox
from agent_tui.store.database import transaction


def queue_reassignment(connection: sqlite3.Connection, kind: str, item_id: str,
                       assigned_to: str, version: int, agent_id: str, at: datetime) -> str:
    """``kind`` is the board's: "case" or "callback"."""
    with transaction(connection):
        if kind == "callback":
            name, args = "callback.reassign", CallbackReassign(
                callback_id=item_id, base_version=version, assigned_to=assigned_to, at=iso(at))
            detail = {"callback_id": item_id, "to": assigned_to}
        else:
            name, args = "case.reassign", CaseReassign(
                case_id=item_id, base_version=version, assigned_to=assigned_to, at=iso(at))
            detail = {"case_id": item_id, "to": assigned_to}
        audit.record(connection, agent_id=agent_id, action=name, at=at, detail=detail)
        return outbox.enqueue(connection, name, args, at)
