"""Autosave for what the agent is typing (the call in progress, a case note, a case form): written
as a draft within a second of the last change, removed once the real thing is saved. A killed
process loses nothing: the next start offers the draft back.

Twice a second the keeper asks whether anything changed: by default by comparing the body (a
small dict of what was typed), or by a cheaper ``state`` token when the body is costly to build
(a call's snapshot copies its whole event record). Only a changed body is built, and a thread
encodes and writes it. The owner is the screen the form lives on, or the app for the call, which outlives
its screen.

A write that fails (a full disk above all) is said once, with the place, and tried again at every
tick until it succeeds, which is said too: what was typed stays on screen meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer

from agent_tui.store import drafts

AUTOSAVE_S = 0.5  # + the write itself: within a second of the last keystroke
_UNSAVED = object()  # a state no body has: the next tick writes whatever there is


class DraftKeeper:
    def __init__(self, owner: DOMNode, key: str, kind: str, body: Callable[[], object],
                 state: Callable[[], object] | None = None) -> None:
        self.owner = owner
        self.key = key
        self.kind = kind
        self.body = body
        self.state = state or body
        self._saved: object = None
        self._done = False
        self._timer: Timer | None = None
        self._lock = threading.Lock()  # a write never lands after the discard
        self._failing = False  # the last write failed, and the agent was told

    def start(self, saved: bool = True) -> None:
        """Begin watching; ``saved``: what is there now is already in the store (a form just
        opened, a draft restored)."""
        self._saved = self.state() if saved else None
        self._timer = self.owner.set_interval(AUTOSAVE_S, self.tick, name=f"draft {self.key}")

    def tick(self) -> None:
        state = self.state()
        if self._done or state == self._saved:
            return
        self._saved = state
        app = self.owner.app
        body, at, agent_id = self.body(), app.now(), app.config.agent.id
        self.owner.run_worker(lambda: self._write(body, at, agent_id), thread=True,
                              group="draft", exit_on_error=False)

    def _write(self, body: object, at, agent_id: str) -> None:
        app = self.owner.app
        store = app.store
        with self._lock:
            if store is None or self._done:
                return
            try:
                drafts.save(store.connection(), self.key, self.kind, agent_id, body, at)
            except sqlite3.Error as error:
                self._saved = _UNSAVED  # not in the store: the next tick writes it again
                if not self._failing:
                    self._failing = True
                    message = app.catalog.error(drafts.failure(store.path, error))
                    app.call_from_thread(app.notify, message, severity="error", timeout=30)
                return
            if self._failing:
                self._failing = False
                app.call_from_thread(app.notify, app.t("store.draft_kept_again"))

    def discard(self) -> None:
        """From a worker thread, once what was typed is saved for real. If even that fails (a
        full disk) the draft stays, to be offered again: a copy too many, nothing lost."""
        store = self.owner.app.store
        with self._lock:
            self._done = True
            if store is not None:
                try:
                    drafts.discard(store.connection(), self.key)
                except sqlite3.Error:
                    return

    def stop(self) -> None:
        """Stop watching; the draft stays (a call that ended without being saved)."""
        if self._timer is not None:
            self._timer.stop()

    def forget(self) -> None:
        """From the event loop: stop watching, and discard the draft in a thread."""
        self.stop()
        self._done = True
        self.owner.run_worker(self.discard, thread=True, group="draft", exit_on_error=False)

    def reopen(self) -> None:
        """Typing starts again (a note box cleared after its note was added)."""
        self._done = False
        self._saved = self.state()
