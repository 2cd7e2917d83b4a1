"""Autosave for what the agent is typing (the call in progress, a case note, a case form): written
as a draft within a second of the last change, removed once the real thing is saved, or once the
box is cleared (nothing empty is kept). A killed process loses nothing: the next start offers the
draft back; a form closed with text in it writes it at once (``save_now``), and so does the
workstation quitting (``last_write``).

Twice a second the keeper asks whether anything changed: by default by comparing the body (a
small dict of what was typed), or by a cheaper ``state`` token when the body is costly to build
(a call's snapshot copies its whole event record). Only a changed body is built, and a thread
encodes and writes it. The owner is the screen the form lives on, or the app for the call, which outlives
its screen.

A write that fails (a full disk above all) is said once, with the place, and tried again at every
tick until it succeeds, which is said too: what was typed stays on screen meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer

from agent_tui.store import QueryError, drafts

AUTOSAVE_S = 0.5  # + the write itself: within a second of the last keystroke
_UNSAVED = object()  # a state no body has: the next tick writes whatever there is


class DraftKeeper:
    def __init__(self, owner: DOMNode, key: str, kind: str, body: Callable[[], object],
                 state: Callable[[], object] | None = None) -> None:
        self.owner = owner
        # Held, not looked up: a thread writing for a screen already closed cannot find the
        # app through it.
        self.app = owner.app
        self.key = key
        self.kind = kind
        self.body = body
        self.state = state or body
        self._saved: object = None
        self._done = False
        self._kept = False  # a draft of what is typed is in the store (or on its way)
        self._queued = self._written = 0  # writes handed to threads, and the last one done
        self._timer: Timer | None = None
        self._lock = threading.Lock()  # a write never lands after the discard
        self._failing = False  # the last write failed, and the agent was told

    def start(self, saved: bool = True, kept: bool = False) -> None:
        """Begin watching; ``saved``: what is there now needs no writing (a form just opened, a
        draft restored); ``kept``: a draft of it is in the store already (restored)."""
        self._saved = self.state() if saved else None
        self._kept = kept
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.owner.set_interval(AUTOSAVE_S, self.tick, name=f"draft {self.key}")

    def tick(self) -> None:
        state = self.state()
        if self._done or state == self._saved:
            return
        self._saved = state
        self._keep(self.owner)

    def save_now(self) -> bool:
        """What is typed, written now, on the app's worker (the screen may be closing): True if
        a draft of it is kept. Nothing typed since it was opened, or nothing at all: none."""
        if self._done:
            return False
        state = self.state()
        if state != self._saved:
            self._saved = state
            self._keep(self.app)
        return self._kept

    def last_write(self) -> Callable[[], None] | None:
        """The workstation quits: what is typed and not yet written, as a write to run on the
        quitting thread (None: nothing to write)."""
        state = self.state()
        if self._done or state == self._saved:
            return None
        self._saved = state
        return self._prepare()

    def _keep(self, worker_owner: DOMNode) -> None:
        worker_owner.run_worker(self._prepare(), thread=True, group="draft",
                                exit_on_error=False)

    def _prepare(self) -> Callable[[], None]:
        """On the event loop: the body as it is now, and the write of it for a thread."""
        app = self.app
        body, at, agent_id = self.body(), app.now(), app.config.agent.id
        blank = isinstance(body, dict) and drafts.blank(self.kind, body)
        self._kept = not blank  # a box cleared: its draft goes, nothing empty is offered
        # Known at once, before the thread has written it: a box reopened a moment later
        # (F3 then Enter) gets what was typed last, not the autosave before it.
        kept = getattr(app, "kept_typing", None)
        if kept is not None:
            kept[self.key] = None if blank else body
        self._queued += 1
        generation = self._queued
        return lambda: self._write(body, at, agent_id, blank, generation)

    def _write(self, body: object, at, agent_id: str, blank: bool, generation: int) -> None:
        app = self.app
        store = app.store
        with self._lock:
            # Two writes in flight (the autosave, then the box closing): the later one wins,
            # whichever thread gets here first.
            if store is None or self._done or generation < self._written:
                return
            self._written = generation
            try:
                if blank:
                    drafts.discard(store.connection(), self.key)
                else:
                    drafts.save(store.connection(), self.key, self.kind, agent_id, body, at)
            except QueryError as error:
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
        store = self.app.store
        with self._lock:
            self._done = True
            getattr(self.app, "kept_typing", {}).pop(self.key, None)
            if store is not None:
                try:
                    drafts.discard(store.connection(), self.key)
                except QueryError:
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
        self._kept = False
        self._saved = self.state()
