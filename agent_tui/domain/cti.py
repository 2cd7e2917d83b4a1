"""The screen pop's rules (issue 18), pure: what a ringing call shows, and how the telephony
system's events move one call along. The app (``agent_tui.app.cti``) does the I/O and the
drawing.

- ringing: the caller's number is looked up as the agent would type it in the search; one
  customer → their 360 (masked: nothing is verified on a call that has not started); none →
  "unknown caller", the number in the search box; several → the search's list of them.
- answered: the call starts from the pop (the existing call flow: its timer starts).
- ended: a call still open goes to its wrap-up (the closing stage), the notes kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from agent_tui.domain.identifiers import without_country_code
from agent_tui.domain.masking import mask_mobile
from agent_tui.domain.models import Customer


class PopKind(Enum):
    CUSTOMER = "customer"  # one customer has this number: their 360
    SEVERAL = "several"  # a shared number: the list, the agent picks
    UNKNOWN = "unknown"  # nobody (or a withheld number): search, the number prefilled


def pop_kind(matches: int) -> PopKind:
    if matches == 1:
        return PopKind.CUSTOMER
    return PopKind.SEVERAL if matches > 1 else PopKind.UNKNOWN


def search_text(caller: str) -> str:
    """The caller's number as it goes in the search box: without +86, the rest as it came."""
    return without_country_code(caller.strip())


def shown_number(caller: str) -> str:
    """The number on a banner: masked as a customer's mobile is, until verification."""
    return mask_mobile(search_text(caller))


@dataclass
class Ring:
    """One call from the telephony system, from ringing to ended."""

    event_id: str
    caller: str
    rang_at: datetime
    call_id: str = ""  # the telephony system's, if it sends one
    matches: list[str] = field(default_factory=list)  # customer ids with the caller's number
    customer: Customer | None = None  # the one match, for the call started from the pop
    looked_up: bool = False
    shown: bool = False  # popped on screen (or taken with the key)
    answered: bool = False
    ended: bool = False
    session_id: str | None = None  # the workstation's call started from this ring

    @property
    def kind(self) -> PopKind:
        return pop_kind(len(self.matches))

    def same_call(self, call_id: str) -> bool:
        """Does an answered or ended event with ``call_id`` belong to this ring? An event
        without a call id belongs to the agent's current ring."""
        return not call_id or not self.call_id or call_id == self.call_id
