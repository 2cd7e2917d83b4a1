"""The outbox: every local change that must reach the hub, queued in the same transaction as the
change itself (SYNC.md), so a change is never made without its mutation or the other way round.

``seq`` counts 1, 2, 3… for this device and never reuses a number (AUTOINCREMENT), which is how
the hub sees a gap; ``mutation_id`` (UUIDv7) is how it recognises a batch sent twice. The sync
worker (issue 6) pushes the rows in ``seq`` order and deletes those the hub has answered.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.ids import new_id
from agent_tui.domain.mutation_args import NAMES, MutationArgs
from agent_tui.domain.times import iso


class Mutation(msgspec.Struct, frozen=True):
    seq: int
    mutation_id: str
    name: str  # "case.open", "case.set_status", "case.add_note", "callback.schedule", ...
    args: dict
    created_at: str


def enqueue(connection: sqlite3.Connection, name: str, args: MutationArgs | dict,
            at: datetime) -> str:
    """Queue one mutation (its arguments in the struct of ``name``, ``domain.mutation_args``;
    a dict only for a name without one); only inside the transaction that makes the change."""
    if isinstance(args, MutationArgs) and NAMES[type(args)] != name:
        raise TypeError(f"{name} queued with the arguments of {NAMES[type(args)]}")
    if not connection.in_transaction:
        raise RuntimeError("an outbox row is written in the same transaction as its change")
    mutation_id = new_id()
    connection.execute(
        "INSERT INTO outbox (mutation_id, name, args_json, created_at) VALUES (?, ?, ?, ?)",
        (mutation_id, name, msgspec.json.encode(args).decode(), iso(at)))
    return mutation_id


def pending(connection: sqlite3.Connection, limit: int = 500) -> list[Mutation]:
    rows = connection.execute(
        "SELECT seq, mutation_id, name, args_json, created_at FROM outbox ORDER BY seq LIMIT ?",
        (limit,)).fetchall()
    return [Mutation(seq, mutation_id, name, msgspec.json.decode(args), created_at)
            for seq, mutation_id, name, args, created_at in rows]


def waiting(connection: sqlite3.Connection) -> int:
    return connection.execute("SELECT count(*) FROM outbox").fetchone()[0]
