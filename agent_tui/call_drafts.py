"""The call in progress, autosaved as a draft within a second of any change, and offered back after
the process was killed.

Twice a second the app looks whether the call changed (an event recorded, the notes edited): a
length and an identity comparison, nothing on the event loop that grows with the call. If it did,
a snapshot (the event list copied, the notes) goes to a thread that writes it as one committed
row. The draft outlives the process; it is removed when the call ends and is saved for real.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from agent_tui.store import drafts

if TYPE_CHECKING:
    from agent_tui.app import AgentApp
    from agent_tui.domain.call_session import CallSession, CallSnapshot

AUTOSAVE_S = 0.5  # + the write itself: within a second of the last keystroke
KIND = "call"


def draft_key(call_id: str) -> str:
    return f"{KIND}:{call_id}"


class CallAutosave:
    def __init__(self, app: AgentApp) -> None:
        self.app = app
        self._saved: tuple[str, int, int] | None = None  # call id, events, id() of the notes
        self.saves = 0
        # Writes and the discard at the end of a call run in threads: one at a time, and a write
        # that comes after the call ended writes nothing, so no ended call is offered back.
        self._lock = threading.Lock()

    def start(self) -> None:
        self.app.set_interval(AUTOSAVE_S, self.tick, name="call-autosave")

    def tick(self) -> None:
        call = self.app.call
        if call is None or self.app.store is None:
            return
        state = (call.id, len(call.flow.events), id(call.notes))
        if state == self._saved:
            return
        self._saved = state
        snapshot = call.snapshot()
        self.app.run_worker(lambda: self._write(snapshot, self.app.now()), thread=True,
                            group="call-draft", exit_on_error=False)

    def _write(self, snapshot: CallSnapshot, at: datetime) -> None:
        store = self.app.store
        if store is None:
            return
        with self._lock:
            call = self.app.call
            if call is None or call.id != snapshot.call_id:
                return
            try:
                drafts.save(store.connection(), draft_key(snapshot.call_id), KIND,
                            self.app.config.agent.id, msgspec.to_builtins(snapshot), at)
                self.saves += 1
            except sqlite3.Error:
                self._saved = None  # try again at the next tick; the call is still in memory

    def forget(self, call_id: str) -> None:
        """The call ended and is saved: its draft goes."""
        store = self.app.store
        if store is None:
            return

        def discard() -> None:
            with self._lock:
                drafts.discard(store.connection(), draft_key(call_id))

        self.app.run_worker(discard, thread=True, group="call-draft", exit_on_error=False)


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
