"""The facts of one call that the KPIs read, kept on its ``calls`` row.

A call's events arrive in pieces (each call.record sends the new ones), so the facts are counted
again from all of the call's events each time, and the rating from the latest closing record.
The closing comes from a workstation: a rating outside its scale is not a rating (None)."""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import Connection, func, select, update

from agent_tui.hub.schema import call_events, calls

# msgspec writes the detail without spaces: {"status":"locked", ...}
_LOCKED = '%"status":"locked"%'


def _scaled(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def rating(closing: object) -> dict[str, int | None]:
    """CSAT (1-5), NPS (0-10) and first-contact resolution (1/0) from a closing record."""
    if isinstance(closing, str):
        try:
            closing = msgspec.json.decode(closing)
        except msgspec.DecodeError:
            closing = None
    values = closing if isinstance(closing, dict) else {}
    resolved = values.get("first_contact_resolution")
    return {"csat": _scaled(values.get("csat"), 1, 5), "nps": _scaled(values.get("nps"), 0, 10),
            "fcr": int(resolved) if isinstance(resolved, bool) else None}


def handle_seconds(started_at: str, ended_at: str | None) -> int | None:
    if not ended_at or not started_at:
        return None
    try:
        seconds = (datetime.fromisoformat(ended_at) - datetime.fromisoformat(started_at))
    except ValueError:
        return None
    return max(0, int(seconds.total_seconds()))


def event_counts(connection: Connection, call_id: str) -> dict[str, int]:
    kind = call_events.c.kind
    found = connection.execute(select(
        func.count().filter(kind == "forbidden_caught"),
        func.count().filter(kind == "override"),
        func.count().filter(kind == "verification", call_events.c.detail.like(_LOCKED)),
    ).where(call_events.c.call_id == call_id)).one()
    return {"forbidden_caught": int(found[0]), "overrides": int(found[1]),
            "lockout": 1 if found[2] else 0}


def keep(connection: Connection, call_id: str, team: str | None = None) -> None:
    """Work out the call's facts from what the hub holds of it, and write them on its row."""
    row = connection.execute(select(calls.c.started_at, calls.c.ended_at, calls.c.closing).where(
        calls.c.id == call_id)).one()
    values: dict[str, object] = {
        "handle_seconds": handle_seconds(row.started_at, row.ended_at),
        **rating(row.closing), **event_counts(connection, call_id)}
    if team is not None:
        values["team"] = team
    connection.execute(update(calls).where(calls.c.id == call_id).values(**values))
