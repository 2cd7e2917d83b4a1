"""Flags on a customer that outlive the call that raised them.

A verification locked after repeated failures flags the customer for possible fraud: the next agent
to open the customer sees it, and a supervisor reviews it. Raising a flag is audited.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain import mutation_args
from agent_tui.domain.ids import call_flag_id, new_id
from agent_tui.domain.text import sanitize
from agent_tui.store import audit, outbox
from agent_tui.store.database import transaction

POSSIBLE_FRAUD = "possible_fraud"


class CustomerFlag(msgspec.Struct, frozen=True):
    id: str
    customer_id: str
    flag: str
    at: str
    agent_id: str
    call_id: str | None
    reason: str


def raise_flag(
    connection: sqlite3.Connection, *, customer_id: str, flag: str, agent_id: str,
    at: datetime, reason: str, call_id: str | None = None,
) -> str:
    """Raise ``flag`` on the customer, once: a call's flag has one id (the hub, which may raise
    the same one, stores it once too), and raising it again changes nothing."""
    flag_id = call_flag_id(call_id, flag) if call_id else new_id()
    with transaction(connection):  # the flag and its audit, together
        inserted = connection.execute(
            "INSERT OR IGNORE INTO customer_flags (id, customer_id, flag, at, agent_id, call_id, "
            "reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (flag_id, customer_id, flag, at.isoformat(timespec="milliseconds"), agent_id,
             call_id, sanitize(reason)),
        ).rowcount
        if inserted:
            outbox.enqueue(connection, "customer.flag", mutation_args.CustomerFlag(
                id=flag_id, customer_id=customer_id, flag=flag, call_id=call_id,
                reason=sanitize(reason), at=at.isoformat(timespec="milliseconds")), at)
            audit.record(connection, agent_id=agent_id, action=f"flag.{flag}", at=at,
                         customer_id=customer_id,
                         detail={"call_id": call_id, "reason": sanitize(reason)})
    return flag_id


def open_flags(connection: sqlite3.Connection, customer_id: str) -> list[CustomerFlag]:
    rows = connection.execute(
        "SELECT id, customer_id, flag, at, agent_id, call_id, reason FROM customer_flags "
        "WHERE customer_id = ? AND cleared_at IS NULL ORDER BY at",
        (customer_id,),
    ).fetchall()
    return [CustomerFlag(*row) for row in rows]
