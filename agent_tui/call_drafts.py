"""The call in progress, autosaved as a draft within a second of any change, and offered back after
the process was killed.

The app keeps the draft (the call outlives its screen) with the same keeper as the case forms.
Whether the call changed is a length and an identity comparison (an event recorded, the notes
edited), nothing on the event loop that grows with the call; only then is a snapshot taken (the
event list copied, the notes) for a thread to write. The draft is removed when the call ends and
is saved for real.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import msgspec

from agent_tui.store import drafts
from screens.widgets.draft_keeper import DraftKeeper

if TYPE_CHECKING:
    from agent_tui.app import AgentApp
    from agent_tui.domain.call_session import CallSession, CallSnapshot

KIND = "call"


def draft_key(call_id: str) -> str:
    return f"{KIND}:{call_id}"


def keep(app: AgentApp, call: CallSession, saved: bool) -> DraftKeeper:
    """Start autosaving ``call``; ``saved``: its draft is in the store already (resumed)."""
    keeper = DraftKeeper(app, draft_key(call.id), KIND,
                         body=call.snapshot,  # encoded by the thread that writes it
                         state=lambda: (len(call.flow.events), id(call.notes)))
    keeper.start(saved)
    return keeper


def interrupted_call(connection: sqlite3.Connection, agent_id: str) -> CallSnapshot | None:
    """The agent's most recent call draft, if the process ended with a call open."""
    from agent_tui.domain.call_session import CallSnapshot
    for draft in reversed(drafts.pending(connection, agent_id)):
        if draft.kind == KIND:
            try:
                return msgspec.convert(draft.body, CallSnapshot)
            except msgspec.ValidationError:
                continue
    return None


def stored_events(connection: sqlite3.Connection, call_id: str) -> int:
    return connection.execute("SELECT count(*) FROM call_events WHERE call_id = ?",
                              (call_id,)).fetchone()[0]


def restore(snapshot: CallSnapshot, app: AgentApp, connection: sqlite3.Connection
            ) -> CallSession:
    """From a thread: the call of ``snapshot`` with its customer read again from the store."""
    from agent_tui.domain.call_session import CallSession
    from agent_tui.store.customers import CustomerRepository

    customer = (CustomerRepository(connection).customer(snapshot.customer_id)
                if snapshot.customer_id else None)
    return CallSession.restore(snapshot, app.library, app.phrase_guard(), customer)
