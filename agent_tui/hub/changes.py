"""The change log: what each workstation pulls, one row per audience that may read a change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import msgspec
from sqlalchemy import Connection, bindparam, select

from agent_tui.domain.times import iso
from agent_tui.hub.schema import CASE_FIELDS, cases, change_log, customers


def record(connection: Connection, entity: str, entity_id: str, version: int, data: dict,
           audiences: Iterable[str], at: datetime, op: str = "upsert") -> None:
    body = msgspec.json.encode(data).decode()
    rows = [{"audience": audience, "entity": entity, "entity_id": entity_id, "version": version,
             "op": op, "data": body, "at": iso(at)}
            for audience in dict.fromkeys(audience for audience in audiences if audience)]
    if rows:  # one multi-row INSERT: one round trip, where executemany made one per row
        connection.execute(change_log.insert().values(rows))


def customer_row(connection: Connection, customer_id: str) -> dict | None:
    row = connection.execute(_CUSTOMER, {"customer_id": customer_id}).first()
    return dict(row._mapping) if row else None


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
