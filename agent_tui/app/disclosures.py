"""What may be shown of each customer in this session: what identity verification (or a step-up)
earned, masked by default, and the screens told at once when it changes, so none keeps showing
what the call no longer allows.

Changed on the event loop only, like everything a user sees: a worker thread hands what it earned
to the loop (``call_from_thread``), and ``set`` refuses to run anywhere else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from agent_tui.domain.masking import MASKED, Disclosure, Tier
from screens.widgets.agent_screen import AgentScreen

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost


class ShownCustomers:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        self.disclosures: dict[str, Disclosure] = {}
        self._loop_thread = threading.get_ident()

    def on_loop(self) -> None:
        """Called from the running event loop (the App's mount): the one thread that may set."""
        self._loop_thread = threading.get_ident()

    def disclosure_for(self, customer_id: str) -> Disclosure:
        return self.disclosures.get(customer_id, MASKED)

    def set(self, customer_id: str, disclosure: Disclosure | None) -> None:
        """The only way what is shown of a customer changes: ``disclosure`` (what a reveal
        earned, audited by the caller) or None (masked again). Every screen in the stack is
        told at once and redraws what it shows of that customer."""
        if threading.get_ident() != self._loop_thread:
            raise RuntimeError("what is shown of a customer changes on the event loop only")
        current = self.disclosures.get(customer_id)
        if disclosure is None or disclosure.tier is Tier.MASKED:
            if self.disclosures.pop(customer_id, None) is None:
                return
        elif current is not None and current.tier == disclosure.tier \
                and current.revealed is disclosure.revealed:
            return  # nothing new to show
        else:
            self.disclosures[customer_id] = disclosure
        self._tell_screens(lambda screen: screen.disclosure_changed(customer_id))

    def mask_all(self) -> None:
        """The call is over (ended, or the workstation quits): every customer masked again."""
        for customer_id in list(self.disclosures):
            self.set(customer_id, None)

    def facts_changed(self, customer_id: str) -> None:
        """A case of ``customer_id`` was opened or changed, or their call ended: the screens
        showing them read them again."""
        self._tell_screens(lambda screen: screen.facts_changed(customer_id))

    def _tell_screens(self, tell: Callable[[AgentScreen], None]) -> None:
        for screen in list(self.app.screen_stack):
            if isinstance(screen, AgentScreen):
                tell(screen)
