"""What a team lead changes from the team board, queued for the hub like every change: a case
handed to another agent of the team (case.reassign, on the version the board showed). The hub
decides (a supervisor of the case's team only, on that version, audited in the case's events);
the agent's queue changes at their next sync."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.domain.mutation_args import CaseReassign
from agent_tui.domain.times import iso
from agent_tui.store import audit, outbox
from agent_tui.store.database import transaction


def queue_reassignment(connection: sqlite3.Connection, case_id: str, assigned_to: str,
                       version: int, agent_id: str, at: datetime) -> str:
    with transaction(connection):
        audit.record(connection, agent_id=agent_id, action="case.reassign", at=at,
                     detail={"case_id": case_id, "to": assigned_to})
        return outbox.enqueue(connection, "case.reassign", CaseReassign(
            case_id=case_id, base_version=version, assigned_to=assigned_to, at=iso(at)), at)
