"""Autosave for a form or a note box: what it holds is written as a draft within a second of the
last keystroke, and removed once the real thing is saved. A killed process loses nothing: the next
start offers the draft back (screens/restore_drafts.py).

Twice a second the keeper asks the screen for its body (a small dict of what was typed); only a
changed body is written, by a thread. One keeper per thing being typed, under a stable key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.screen import Screen

from agent_tui.store import drafts

AUTOSAVE_S = 0.5


class DraftKeeper:
    def __init__(self, screen: Screen, key: str, kind: str, body: Callable[[], dict]) -> None:
        self.screen = screen
        self.key = key
        self.kind = kind
        self.body = body
        self._saved: dict | None = None
        self._done = False
        self._lock = threading.Lock()  # a write never lands after the discard

    def start(self, saved: dict | None = None) -> None:
        """Begin watching; ``saved`` is the body already in the store (a restored draft)."""
        self._saved = saved
        self.screen.set_interval(AUTOSAVE_S, self.tick, name=f"draft {self.key}")

    def tick(self) -> None:
        body = self.body()
        if self._done or body == self._saved:
            return
        self._saved = body
        app = self.screen.app
        at = app.now()
        agent_id = app.config.agent.id
        self.screen.run_worker(lambda: self._write(body, at, agent_id), thread=True,
                               group="draft", exit_on_error=False)

    def _write(self, body: dict, at, agent_id: str) -> None:
        store = self.screen.app.store
        with self._lock:
            if store is None or self._done:
                return
            drafts.save(store.connection(), self.key, self.kind, agent_id, body, at)

    def discard(self) -> None:
        """From a worker thread, once what was typed is saved for real."""
        store = self.screen.app.store
        with self._lock:
            self._done = True
            if store is not None:
                drafts.discard(store.connection(), self.key)

    def reopen(self) -> None:
        """Typing starts again (a note box cleared after its note was added)."""
        self._done = False
        self._saved = self.body()
