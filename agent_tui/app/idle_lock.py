"""The idle lock of an SSH session: after ``[ssh] idle_lock_minutes`` without a key the screen
locks. Every customer is masked through the one way what is shown changes
(``AgentHost.set_disclosure``: every screen in the stack redraws masked), and the lock screen
covers the terminal; the call, its draft and every form are left exactly as they were. The
staff number and the PIN unlock it, and what verification had earned is shown again (it was
earned in this call, and audited then). The PIN is chosen on first use (``pin_lock``).

``IdleWatch`` is a base class of the App, like ``TerminalGuard``: it sees every key before any
widget does (``on_event``), and refuses the App's actions while locked (``check_action``)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events

from agent_tui.pin_lock import PinFile, default_pin_path

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost
    from agent_tui.domain.masking import Disclosure

# What still works on the lock screen (and while the first PIN is chosen): moving between its
# boxes, and its help.
_WHILE_LOCKED = frozenset({"focus_next", "focus_previous", "help"})
# How often the idle time is looked at: a quarter of the lock's time, at most every 15 s.
_CHECKS_PER_LOCK = 4
_MAX_CHECK_S = 15.0


class IdleLock:
    def __init__(self, app: AppHost, minutes: float, pins: PinFile | None = None,
                 clock=time.monotonic) -> None:
        self.app = app
        self.minutes = minutes
        self.pins = pins or PinFile(default_pin_path())
        self.clock = clock
        self.last_key = clock()
        self.locked = False
        self.choosing = False  # the first PIN is being chosen: nothing else until it is
        self._known_set = False
        self._hidden: dict[str, Disclosure] = {}

    def start(self) -> None:
        """On the App's mount: the idle check, and the PIN chosen first if there is none."""
        self.app.set_interval(min(_MAX_CHECK_S, self.minutes * 60 / _CHECKS_PER_LOCK),
                              self.check)
        self.ask_for_pin()

    def ask_for_pin(self) -> None:
        """First use: a PIN before anything else (once the agent has said who they are)."""
        if self.choosing or not self.app.config.agent.is_signed_in or self.pins.is_set():
            return
        from screens.lock import LockScreen

        def chosen(_chosen: bool | None) -> None:
            self.choosing = False
            self.touched()

        self.choosing = True
        self.app.push_screen(LockScreen(self.pins, choosing=True, minutes=self.minutes),
                             callback=chosen)

    def touched(self) -> None:
        self.last_key = self.clock()

    def check(self) -> None:
        if not self.locked and not self.choosing \
                and self.clock() - self.last_key >= self.minutes * 60 \
                and self.app.config.agent.is_signed_in and self._pin_set():
            self.lock()

    def _pin_set(self) -> bool:
        """Read once it is there (the file, every 15 s on the event loop, is not read again)."""
        self._known_set = self._known_set or self.pins.is_set()
        return self._known_set

    def lock(self) -> None:
        from screens.lock import LockScreen

        self.locked = True
        self._hidden = dict(self.app.disclosures)
        for customer_id in self._hidden:
            self.app.set_disclosure(customer_id, None)
        self.app.push_screen(LockScreen(self.pins, choosing=False, minutes=self.minutes),
                             callback=self._unlocked)

    def _unlocked(self, _unlocked: bool | None) -> None:
        hidden, self._hidden = self._hidden, {}
        self.locked = False
        self.touched()
        for customer_id, disclosure in hidden.items():
            if self.app.engine.call is not None:  # ended meanwhile: masked it stays
                self.app.set_disclosure(customer_id, disclosure)


class IdleWatch:
    """The App's part: every key is activity; while locked, no App action runs."""

    idle_lock: IdleLock | None = None

    @property
    def agent_fixed(self) -> bool:
        """Over SSH (``ssh-session``, which sets the idle lock) the agent is the key's."""
        return self.idle_lock is not None

    def on_mount(self) -> None:  # Textual calls each class's own handler, the App's first
        if self.idle_lock is not None:
            self.idle_lock.start()

    async def on_event(self, event: events.Event) -> None:
        if self.idle_lock is not None and isinstance(event, events.Key | events.Paste):
            self.idle_lock.touched()
        await super().on_event(event)  # type: ignore[misc]

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        lock = self.idle_lock
        if lock is not None and (lock.locked or lock.choosing) and action not in _WHILE_LOCKED:
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]
