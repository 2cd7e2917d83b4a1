"""A case: every contact that needs follow-up, from any channel, until it is resolved and closed.

The lifecycle is new → in progress → pending customer → escalated → resolved → closed, and a
resolved or closed case can be reopened. Which moves are allowed lives here, and a move that is
not gets its reason (a catalog key) rather than an exception: the screen says why and what to do.
DOMAIN.md: complaints from every channel feed one system "so a complaint is neither handled twice
nor lost", hence ``attach_candidate``: before a new case is opened, the customer's open case of
the same category, from any channel, within a window, is offered instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import msgspec

STATUSES = ("new", "in_progress", "pending_customer", "escalated", "resolved", "closed")
OPEN_STATUSES = ("new", "in_progress", "pending_customer", "escalated")
CHANNELS = ("phone", "branch", "app", "wechat", "web_chat", "email")
PRIORITIES = ("low", "normal", "high", "urgent")
REOPENED = "in_progress"  # where a resolved or closed case goes back to

_ALLOWED: dict[str, frozenset[str]] = {
    "new": frozenset({"in_progress", "pending_customer", "escalated", "resolved"}),
    "in_progress": frozenset({"pending_customer", "escalated", "resolved"}),
    "pending_customer": frozenset({"in_progress", "escalated", "resolved"}),
    "escalated": frozenset({"in_progress", "pending_customer", "resolved"}),
    "resolved": frozenset({"closed", REOPENED}),
    "closed": frozenset({REOPENED}),
}
DEFAULT_ATTACH_WINDOW = timedelta(days=7)


class Case(msgspec.Struct, frozen=True, kw_only=True):
    id: str  # UUIDv7, made here: cases opened offline sync without colliding
    number: str  # what the agent reads out: CS261123-1024-007
    customer_id: str
    channel: str
    category: str  # a request type of the scripts library: complaint, consultation, ...
    sub_category: str = ""
    priority: str = "normal"
    status: str = "new"
    title: str
    description: str = ""
    opened_at: datetime
    due_at: datetime
    updated_at: datetime
    created_by: str = ""
    assigned_to: str = ""
    call_id: str | None = None
    first_response_due: datetime | None = None
    first_response_at: datetime | None = None
    paused_since: datetime | None = None  # pending the customer, when the policy pauses the clock
    paused_seconds: int = 0
    breached_at: datetime | None = None  # once past its due time: stays marked
    escalated_to: str = ""
    escalation_reason: str = ""
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


# A case's fields in order: the store's columns, the hub's and the sync payload's, all one list.
CASE_FIELDS: tuple[str, ...] = Case.__struct_fields__
# A callback as the hub sends it (a reassigned one) and the store holds it.
CALLBACK_FIELDS = ("id", "customer_id", "case_id", "call_id", "agent_id", "due_at", "reason",
                   "status", "created_at", "done_at", "version")


class TransitionRefusal(msgspec.Struct, frozen=True):
    """Why a status change is refused: a catalog key, and the statuses it may go to."""

    reason_key: str
    allowed: tuple[str, ...]


def allowed_next(status: str) -> tuple[str, ...]:
    """The statuses a case in ``status`` may move to, in lifecycle order."""
    return tuple(wanted for wanted in STATUSES if wanted in _ALLOWED.get(status, ()))


def transition_refusal(current: str, wanted: str) -> TransitionRefusal | None:
    """None if ``current`` → ``wanted`` is allowed; otherwise why not."""
    allowed = allowed_next(current)
    if wanted not in STATUSES or current not in STATUSES:
        return TransitionRefusal("case.refused.unknown_status", allowed)
    if wanted == current:
        return TransitionRefusal("case.refused.already", allowed)
    if wanted in allowed:
        return None
    if current == "closed":
        key = "case.refused.closed"  # reopen first
    elif wanted == "closed":
        key = "case.refused.resolve_first"
    elif wanted == "new":
        key = "case.refused.never_new"
    else:
        key = "case.refused.reopen_to_progress"
    return TransitionRefusal(key, allowed)


def is_reopening(current: str, wanted: str) -> bool:
    return current in ("resolved", "closed") and wanted == REOPENED


def case_number(opened_at: datetime, staff_number: str, sequence: int) -> str:
    """Readable over the phone and unique without asking the hub: the day, the agent's staff
    number and the agent's count of cases that day (CS261123-1024-007)."""
    return f"CS{opened_at:%y%m%d}-{staff_number}-{sequence:03d}"


def attach_candidate(open_cases: Iterable[Case], category: str, now: datetime,
                     window: timedelta = DEFAULT_ATTACH_WINDOW) -> Case | None:
    """The customer's open case of this category, from any channel, opened within ``window``
    of ``now``; the most recently updated if several. Offered for attaching instead of opening a
    second case for the same matter."""
    candidates = [case for case in open_cases
                  if case.is_open and case.category == category
                  and now - case.opened_at <= window]
    return max(candidates, key=lambda case: case.updated_at, default=None)
