"""Calls and their event record in the store: written as the call goes, append-only.

The flow (``agent_tui.domain.callflow``) keeps its events in memory; ``save`` writes the ones not
yet stored, with the call's running totals, in one transaction, so a call survives the process
and no event is written twice. Events are never changed once written (triggers refuse it).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime

import msgspec

from agent_tui.domain.call_session import Closing
from agent_tui.domain.callflow import CallEvent, CallFlow, EventKind
from agent_tui.domain.mutation_args import CallRecord
from agent_tui.domain.text import sanitize
from agent_tui.store import outbox
from agent_tui.store.database import transaction


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

    def __init__(self, call_id: str, agent_id: str) -> None:
        self.call_id = call_id
        self.agent_id = agent_id
        self.saved = 0  # how many of the flow's events are in the store
        # Saves run in worker threads while the agent works on: one at a time, or two would both
        # write the events neither had counted yet.
        self._lock = threading.Lock()

    def save(
        self, connection: sqlite3.Connection, flow: CallFlow, closing: Closing | None = None,
        notes: str = "",
    ) -> int:
        """Store the events not stored yet, the call's totals and its notes; returns how many
        events were new. Safe to call from any thread with that thread's connection."""
        with self._lock:
            return self._save(connection, flow, closing or Closing(), notes)

    def _save(
        self, connection: sqlite3.Connection, flow: CallFlow, closing: Closing, notes: str
    ) -> int:
        # A slice, then its length: events the agent adds meanwhile wait for the next save.
        new = flow.events[self.saved:]
        with transaction(connection):
            connection.execute(
                "INSERT INTO calls (id, agent_id, customer_id, started_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (self.call_id, self.agent_id, flow.customer_id, _iso(flow.started_at)),
            )
            connection.executemany(
                "INSERT INTO call_events (call_id, at, kind, stage, step, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(self.call_id, _iso(event.at), event.kind.value, event.stage, event.step,
                  json.dumps({key: sanitize(value) for key, value in event.detail.items()},
                             ensure_ascii=False, sort_keys=True))
                 for event in new],
            )
            # An unknown caller found during the call is the call's from then on.
            connection.execute(
                "UPDATE calls SET customer_id = coalesce(?, customer_id), ended_at = ?, "
                "request_type = ?, verification = ?, "
                "phrases_used = ?, forbidden_caught = ?, overrides = ?, csat = ?, nps = ?, "
                "first_contact_resolution = ?, wrap_up = ?, notes = ?, version = version + 1 "
                "WHERE id = ?",
                (
                    flow.customer_id, _iso(flow.ended_at) if flow.ended_at else None,
                    flow.request_type,
                    flow.verification_status, flow.count(EventKind.PHRASE_USED),
                    flow.count(EventKind.FORBIDDEN_CAUGHT), flow.count(EventKind.OVERRIDE),
                    closing.csat, closing.nps,
                    None if closing.first_contact_resolution is None
                    else int(closing.first_contact_resolution),
                    sanitize(closing.wrap_up), sanitize(notes), self.call_id,
                ),
            )
            # The hub appends events it has not seen (by call and position) and keeps the
            # latest totals and notes.
            outbox.enqueue(connection, "call.record", CallRecord(
                call_id=self.call_id, agent_id=self.agent_id,
                customer_id=flow.customer_id, started_at=_iso(flow.started_at),
                first_event=self.saved,
                events=[(_iso(event.at), event.kind.value, event.stage, event.step,
                         {key: sanitize(value) for key, value in event.detail.items()})
                        for event in new],
                ended_at=_iso(flow.ended_at) if flow.ended_at else None,
                request_type=flow.request_type, verification=flow.verification_status,
                closing=msgspec.to_builtins(closing), notes=sanitize(notes),
            ), flow.ended_at or (new[-1].at if new else flow.started_at))
        self.saved += len(new)
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


def stored_count(connection: sqlite3.Connection, call_id: str) -> int:
    """How many of the call's events are in the store already (a resumed call's recorder
    starts after them)."""
    return connection.execute("SELECT count(*) FROM call_events WHERE call_id = ?",
                              (call_id,)).fetchone()[0]
