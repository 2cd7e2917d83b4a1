"""Risk signals an agent must see on the 360 (DOMAIN.md: abnormal transactions).

Frequent large transfers and repeated password changes in a short time call for a warning, a review
and possibly a call to the customer. The thresholds are defaults; the scripts library may change them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from enum import Enum

import msgspec


class SignalKind(Enum):
    FREQUENT_LARGE_TRANSFERS = "frequent_large_transfers"
    REPEATED_PASSWORD_CHANGES = "repeated_password_changes"


class RiskRules(msgspec.Struct, frozen=True):
    large_transfer_cents: int = 5_000_000  # ¥50,000
    large_transfers_count: int = 3
    large_transfers_window: timedelta = timedelta(hours=24)
    password_changes_count: int = 3
    password_changes_window: timedelta = timedelta(days=7)
    # How far back the 360 looks for signals: only recent behaviour calls for action.
    lookback: timedelta = timedelta(days=90)


DEFAULT_RULES = RiskRules()

TRANSFER_OUT = "transfer_out"
PASSWORD_CHANGE = "password_change"


class RiskEvent(msgspec.Struct, frozen=True):
    """The part of a transaction the detector needs."""

    id: int
    at: datetime
    kind: str
    amount_cents: int | None


class RiskSignal(msgspec.Struct, frozen=True):
    kind: SignalKind
    first_at: datetime
    last_at: datetime
    event_ids: frozenset[int] = msgspec.field(default_factory=frozenset)

    @property
    def count(self) -> int:
        return len(self.event_ids)


def _is_large_transfer(event: RiskEvent, rules: RiskRules) -> bool:
    # Amounts are signed (outflows negative); the size of the transfer is what matters.
    return event.kind == TRANSFER_OUT and abs(event.amount_cents or 0) >= rules.large_transfer_cents


def _clusters(
    events: Sequence[RiskEvent], window: timedelta, minimum: int
) -> Iterable[list[RiskEvent]]:
    """Groups of time-sorted events in which at least ``minimum`` of them fit in ``window``.

    First pass: a sliding window marks every event that belongs to a dense enough window. Second
    pass: marked events no further than ``window`` apart form one signal.
    """
    ordered = sorted(events, key=lambda event: event.at)
    marked = [False] * len(ordered)
    start = marked_up_to = 0
    for end, event in enumerate(ordered):
        while event.at - ordered[start].at > window:
            start += 1
        if end - start + 1 >= minimum:
            for index in range(max(start, marked_up_to), end + 1):
                marked[index] = True
            marked_up_to = end + 1
    cluster: list[RiskEvent] = []
    for event, is_marked in zip(ordered, marked, strict=True):
        if not is_marked:
            continue
        if cluster and event.at - cluster[-1].at > window:
            yield cluster
            cluster = []
        cluster.append(event)
    if cluster:
        yield cluster


def detect_signals(
    events: Iterable[RiskEvent], now: datetime, rules: RiskRules = DEFAULT_RULES
) -> list[RiskSignal]:
    """Signals found among ``events`` within the rules' lookback before ``now``, oldest first."""
    since = now - rules.lookback
    recent = [event for event in events if since <= event.at <= now]
    found: list[RiskSignal] = []
    checks = (
        (
            SignalKind.FREQUENT_LARGE_TRANSFERS,
            [event for event in recent if _is_large_transfer(event, rules)],
            rules.large_transfers_window,
            rules.large_transfers_count,
        ),
        (
            SignalKind.REPEATED_PASSWORD_CHANGES,
            [event for event in recent if event.kind == PASSWORD_CHANGE],
            rules.password_changes_window,
            rules.password_changes_count,
        ),
    )
    for kind, candidates, window, minimum in checks:
        for cluster in _clusters(candidates, window, minimum):
            found.append(
                RiskSignal(
                    kind=kind,
                    first_at=cluster[0].at,
                    last_at=cluster[-1].at,
                    event_ids=frozenset(event.id for event in cluster),
                )
            )
    return sorted(found, key=lambda signal: signal.first_at)
