"""Type-ahead is never lost (3270 did this): keys typed while a screen opens go to the screen that
opens, in the order they were typed.

Textual hands each key to the screen in front the moment the App reads it. Typed in a burst (a
search, Enter, ctrl+n, the first words of the notes, before anything has drawn), a key was read
before the last one had done its work: ctrl+n reached the search before Enter had opened the 360
(a call for an unknown caller), and characters reached a screen that had nothing focused yet
(lost). Here a key is handed on only once the screen in front has handled everything the keys
before it led to and says it is ready (``ready_for_keys``: mounted, its focus set, and what the
screen itself waits for, such as the search's results when Enter came first); until then keys
wait, in order. Typed at a human pace nothing waits: the screen is idle between two keys.
"""

from __future__ import annotations

import time

from textual import events
from textual.message_pump import MessagePump
from textual.screen import Screen

# A screen that never gets ready (it failed to load) still gets the keys: late, never lost.
HOLD_LIMIT = 5.0
# How soon a waiting key is offered again: the screen is busy for a few ms (one message hop) to
# a few hundred (a 360 loading).
RETRY = 0.005


def _busy(node: MessagePump) -> bool:
    return node.message_queue_size > 0


def ready_for_keys(screen: Screen) -> bool:
    """Whether ``screen`` has handled all it was sent, and can take the next key where the agent
    expects it to go: mounted, with its focus set (on_mount has run), idle."""
    if not screen.is_mounted or _busy(screen):
        return False
    if any(_busy(node) or not node.is_mounted for node in screen.walk_children(with_self=False)):
        return False
    ready = getattr(screen, "ready_for_keys", None)
    return not callable(ready) or bool(ready())


class TypeAhead:
    """Mixed into the App, before Textual's App: keys wait while the screen in front is busy."""

    _held_keys: list[events.Key]
    _holding_since: float
    _keys_started = False  # the first screen has been ready once

    def _typed(self, event: events.Key) -> events.Key:
        """A copy of the key to hold. Typed before the workstation had started, Enter reached it
        as a newline: the terminal was still in line mode, which turns a carriage return into
        one (ICRNL) before any program reads it."""
        if not self._keys_started and event.key == "ctrl+j":
            return events.Key("enter", "\r")
        return events.Key(event.key, event.character)

    def _keys_ready(self) -> bool:
        ready = ready_for_keys(self.screen)  # type: ignore[attr-defined]
        self._keys_started = self._keys_started or ready
        return ready

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            held = getattr(self, "_held_keys", None)
            if held or not self._keys_ready():
                if not held:
                    self._held_keys = held = []
                    self._holding_since = time.monotonic()
                    self.set_timer(RETRY, self._offer_held_keys)  # type: ignore[attr-defined]
                held.append(self._typed(event))
                return
        await super().on_event(event)  # type: ignore[misc]

    async def _offer_held_keys(self) -> None:
        """One waiting key to the screen in front, once it is ready; then the next, later: what
        this key leads to must be handled before the next is read."""
        held = self._held_keys
        if held and time.monotonic() - self._holding_since > HOLD_LIMIT:
            while held:  # the screen never got ready: it gets them all, in order, now
                await super().on_event(held.pop(0))  # type: ignore[misc]
        elif held and self._keys_ready():
            self._holding_since = time.monotonic()
            await super().on_event(held.pop(0))  # type: ignore[misc]
        if held:
            self.set_timer(RETRY, self._offer_held_keys)  # type: ignore[attr-defined]
