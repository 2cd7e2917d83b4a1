"""The append-only audit log: every reveal of customer PII, and every other audited act.

The table's triggers refuse updates and deletes, so a written row cannot be taken back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from agent_tui.domain.ids import new_id
from agent_tui.domain.masking import Disclosure, Tier
from agent_tui.domain.mutation_args import AuditAppend
from agent_tui.store import outbox
from agent_tui.store.database import transaction

REVEAL = "pii.reveal"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    id: str
    at: str
    agent_id: str
    action: str
    customer_id: str | None
    detail: dict[str, object]


def append(
    connection: sqlite3.Connection,
    *,
    agent_id: str,
    action: str,
    at: datetime,
    customer_id: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> str:
    """Write one audit row in its own transaction and return its id."""
    with transaction(connection):
        return record(connection, agent_id=agent_id, action=action, at=at,
                      customer_id=customer_id, detail=detail)


def record(
    connection: sqlite3.Connection,
    *,
    agent_id: str,
    action: str,
    at: datetime,
    customer_id: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> str:
    """Write one audit row in the caller's transaction: the change and its audit commit (or
    roll back) together, in one write to disk."""
    entry_id = new_id()
    row = (entry_id, at.isoformat(timespec="milliseconds"), agent_id, action, customer_id,
           json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True))
    connection.execute(
        "INSERT INTO audit_log (id, at, agent_id, action, customer_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)", row)
    # Audit events reach the hub too (append-only there, by their id).
    outbox.enqueue(connection, "audit.append", AuditAppend(
        id=entry_id, at=row[1], agent_id=agent_id, action=action, customer_id=customer_id,
        detail=row[5]), at)
    return entry_id


def reveal(
    connection: sqlite3.Connection,
    *,
    agent_id: str,
    customer_id: str,
    tier: Tier,
    at: datetime,
    reason: str,
    call_id: str | None = None,
    source: str = "store",
) -> Disclosure:
    """Unmask ``customer_id`` to ``tier`` for this agent: audited first, then granted.

    The call-flow's identity verification is what calls this; nothing else may unmask.
    ``source`` says who compared the answers: the hub, a sealed copy opened offline (the hub
    adds that one to its own releases when the audit row reaches it), or the store.
    """
    if tier is Tier.MASKED:
        return Disclosure(Tier.MASKED)
    append(
        connection,
        agent_id=agent_id,
        action=REVEAL,
        at=at,
        customer_id=customer_id,
        detail={"tier": tier.name.lower(), "reason": reason, "call_id": call_id,
                "source": source},
    )
    return Disclosure(tier)


def entries(connection: sqlite3.Connection, customer_id: str | None = None) -> list[AuditEntry]:
    where, params = ("WHERE customer_id = ?", (customer_id,)) if customer_id else ("", ())
    rows = connection.execute(
        "SELECT seq, id, at, agent_id, action, customer_id, detail FROM audit_log "
        f"{where} ORDER BY seq",
        params,
    ).fetchall()
    return [AuditEntry(*row[:6], detail=json.loads(row[6])) for row in rows]
