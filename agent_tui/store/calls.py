"""Calls and their event record in the store: written as the call goes, append-only.

The flow (``agent_tui.domain.callflow``) keeps its events in memory; ``save`` writes the ones not
yet stored, with the call's running totals, in one transaction, so a call survives the process
and no event is written twice. Events are never changed once written (triggers refuse it).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.callflow import CallEvent, CallFlow, EventKind
from agent_tui.domain.text import sanitize


class Closing(msgspec.Struct, frozen=True):
    """What the closing stage records: the customer's rating if given, FCR, a wrap-up code."""

    csat: int | None = None  # 1-5
    nps: int | None = None  # 0-10
    first_contact_resolution: bool | None = None
    wrap_up: str = ""

    def __post_init__(self) -> None:
        if self.csat is not None and not 1 <= self.csat <= 5:
            raise ValueError(f"CSAT is 1 to 5, not {self.csat}")
        if self.nps is not None and not 0 <= self.nps <= 10:
            raise ValueError(f"NPS is 0 to 10, not {self.nps}")


class StoredEvent(msgspec.Struct, frozen=True):
    seq: int
    at: str
    kind: str
    stage: str
    step: str
    detail: dict[str, str]


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds")


class CallRecorder:
    """Writes one call's events to the store as the call goes."""

    def __init__(self, connection: sqlite3.Connection, call_id: str, agent_id: str) -> None:
        self.connection = connection
        self.call_id = call_id
        self.agent_id = agent_id
        self.saved = 0  # how many of the flow's events are in the store

    def save(self, flow: CallFlow, closing: Closing | None = None) -> int:
        """Store the events not stored yet and the call's totals; returns how many were new."""
        new = flow.events[self.saved:]
        closing = closing or Closing()
        with self.connection:
            self.connection.execute(
                "INSERT INTO calls (id, agent_id, customer_id, started_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (self.call_id, self.agent_id, flow.customer_id, _iso(flow.started_at)),
            )
            self.connection.executemany(
                "INSERT INTO call_events (call_id, at, kind, stage, step, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(self.call_id, _iso(event.at), event.kind.value, event.stage, event.step,
                  json.dumps({key: sanitize(value) for key, value in event.detail.items()},
                             ensure_ascii=False, sort_keys=True))
                 for event in new],
            )
            self.connection.execute(
                "UPDATE calls SET ended_at = ?, request_type = ?, verification = ?, "
                "phrases_used = ?, forbidden_caught = ?, overrides = ?, csat = ?, nps = ?, "
                "first_contact_resolution = ?, wrap_up = ?, version = version + 1 WHERE id = ?",
                (
                    _iso(flow.ended_at) if flow.ended_at else None, flow.request_type,
                    flow.verification_status, flow.count(EventKind.PHRASE_USED),
                    flow.count(EventKind.FORBIDDEN_CAUGHT), flow.count(EventKind.OVERRIDE),
                    closing.csat, closing.nps,
                    None if closing.first_contact_resolution is None
                    else int(closing.first_contact_resolution),
                    sanitize(closing.wrap_up), self.call_id,
                ),
            )
        self.saved = len(flow.events)
        return len(new)


def events(connection: sqlite3.Connection, call_id: str) -> list[StoredEvent]:
    rows = connection.execute(
        "SELECT seq, at, kind, stage, step, detail FROM call_events WHERE call_id = ? ORDER BY seq",
        (call_id,),
    ).fetchall()
    return [StoredEvent(*row[:5], detail=json.loads(row[5])) for row in rows]


def as_flow_events(stored: list[StoredEvent]) -> list[CallEvent]:
    """The stored record as the flow's events again (for QA, scoring, or resuming a call)."""
    return [
        CallEvent(datetime.fromisoformat(event.at), EventKind(event.kind), event.stage,
                  event.step, event.detail)
        for event in stored
    ]
