"""The change log: what each workstation pulls, one row per audience that may read a change."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime

import msgspec
from sqlalchemy import Connection, bindparam, select, text

from agent_tui.domain.cases import CASE_FIELDS
from agent_tui.domain.times import iso
from agent_tui.hub import masked
from agent_tui.hub.schema import cases, customers


def record(connection: Connection, entity: str, entity_id: str, version: int, data: dict,
           audiences: Iterable[str], at: datetime, op: str = "upsert") -> None:
    body = msgspec.json.encode(data).decode()
    rows = [{"audience": audience, "entity": entity, "entity_id": entity_id, "version": version,
             "op": op, "data": body, "at": iso(at)}
            for audience in dict.fromkeys(audience for audience in audiences if audience)]
    collected = connection.info.get(_COLLECTED)
    if collected is not None:  # a push batch: written together before it commits
        collected.extend(rows)
    elif rows:
        _write(connection, rows)


_COLLECTED = "agent_tui.hub.change_rows"
_CHUNK = 100


def collect(connection: Connection) -> None:
    """From now on, keep this connection's change rows for ``flush`` (one push batch)."""
    connection.info[_COLLECTED] = []


def flush(connection: Connection) -> None:
    """Write the rows kept since ``collect``, a hundred to a statement (on PostgreSQL one
    round trip each, where writing them one mutation at a time cost one per mutation)."""
    rows = connection.info.pop(_COLLECTED, None) or []
    for start in range(0, len(rows), _CHUNK):
        _write(connection, rows[start:start + _CHUNK])


def collected(connection: Connection) -> int:
    """How many rows are kept for ``flush`` so far."""
    return len(connection.info.get(_COLLECTED) or ())


def discard(connection: Connection) -> None:
    connection.info.pop(_COLLECTED, None)


def _write(connection: Connection, rows: list[dict]) -> None:
    connection.execute(_insert_rows(len(rows)), {
        f"{column}_{index}": value for index, row in enumerate(rows)
        for column, value in row.items()})


_COLUMNS = ("audience", "entity", "entity_id", "version", "op", "data", "at")


@functools.cache
def _insert_rows(count: int):
    """One INSERT of ``count`` rows: one round trip (executemany made one per row on
    PostgreSQL), and a cached statement (``insert().values([...])`` was compiled anew for
    every change, half the hub's push time)."""
    values = ", ".join("(" + ", ".join(f":{column}_{index}" for column in _COLUMNS) + ")"
                       for index in range(count))
    return text(f"INSERT INTO change_log ({', '.join(_COLUMNS)}) VALUES {values}")


def customer_row(connection: Connection, customer_id: str) -> dict | None:
    """A customer as workstations may hold it: masked (``hub.masked``)."""
    row = connection.execute(_CUSTOMER, {"customer_id": customer_id}).first()
    return masked.customer(dict(row._mapping)) if row else None


# Built once (a statement object keeps its cache key): read for every case mutation.
_CASE = select(*(cases.c[name] for name in CASE_FIELDS), cases.c.team).where(
    cases.c.id == bindparam("case_id"))
_CASE_LOCKED = _CASE.with_for_update()
_CUSTOMER = select(customers).where(customers.c.id == bindparam("customer_id"))


def case_row(connection: Connection, case_id: str, *, lock: bool = False) -> dict | None:
    row = connection.execute(_CASE_LOCKED if lock else _CASE, {"case_id": case_id}).first()
    return dict(row._mapping) if row else None


def case_audiences(case: dict, *also: str) -> list[str]:
    """Who reads a case's changes: whoever it is assigned to, who opened it, its team's
    supervisors, and anyone it was just taken from."""
    audiences = [f"agent:{case['assigned_to']}", f"agent:{case['created_by']}",
                 *(f"agent:{agent}" for agent in also)]
    if case.get("team"):
        audiences.append(f"team:{case['team']}")
    return audiences


def record_case(connection: Connection, case: dict, at: datetime, *also: str) -> None:
    """A case's new state, with its customer's profile so a workstation that has never seen
    that customer can still hold the case."""
    data = {name: case[name] for name in CASE_FIELDS}
    data["customer"] = customer_row(connection, case["customer_id"])
    record(connection, "case", case["id"], case["version"], data,
           case_audiences(case, *also), at)
