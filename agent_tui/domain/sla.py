"""SLA clocks: when a case is due, how much time it has left, and whether it is at risk or breached.

Targets come from the scripts library per category and priority, with DOMAIN.md's defaults: a
first response within 2 minutes, a consultation answered within 24 hours, a solution for a major
matter within 48 hours. A clock runs on the wall clock, or on a business-hours calendar with
holidays when the library gives one. At 80 % of its time a case warns; past 100 % it is breached,
and stays marked breached even if it is later paused or resolved. Pausing while the case waits
for the customer is a policy option: paused time does not count.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import Enum

import msgspec

FIRST_RESPONSE = timedelta(minutes=2)
ANSWER = timedelta(hours=24)  # a consultation, and anything without a rule of its own
MAJOR = timedelta(hours=48)  # a solution for a major matter (a complaint, high or urgent)
WARN_AT = 0.8


class ClockState(Enum):
    OK = "ok"
    WARNING = "warning"  # 80 % of the time used
    BREACHED = "breached"
    PAUSED = "paused"  # pending the customer, under a pausing policy
    STOPPED = "stopped"  # resolved or closed in time


class BusinessHours(msgspec.Struct, frozen=True):
    """Working time: ``start``-``end`` on ``weekdays`` (Monday is 1), except ``holidays``."""

    start: time
    end: time
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    holidays: frozenset[date] = frozenset()

    def _open_on(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def _windows(self, since: datetime):
        """The working periods from ``since`` on, as (from, to), the first cut at ``since``."""
        day = since.date()
        for _ in range(3 * 366):  # a calendar with no working day at all ends here
            if self._open_on(day):
                opens = datetime.combine(day, self.start, since.tzinfo)
                closes = datetime.combine(day, self.end, since.tzinfo)
                if closes > since:
                    yield max(opens, since), closes
            day += timedelta(days=1)
        raise ValueError("the business-hours calendar has no working time in three years")

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """``start`` plus ``duration`` of working time."""
        left = duration
        for opens, closes in self._windows(start):
            if closes - opens >= left:
                return opens + left
            left -= closes - opens
        raise AssertionError("unreachable: _windows raises first")

    def between(self, since: datetime, until: datetime) -> timedelta:
        """The working time from ``since`` to ``until`` (zero if ``until`` is earlier)."""
        total = timedelta()
        if until <= since:
            return total
        for opens, closes in self._windows(since):
            if opens >= until:
                return total
            total += min(closes, until) - opens
        return total


class SlaTarget(msgspec.Struct, frozen=True):
    first_response: timedelta
    resolution: timedelta


class SlaRule(msgspec.Struct, frozen=True):
    category: str  # "*" for any
    priority: str  # "*" for any
    target: SlaTarget


class SlaPolicy(msgspec.Struct, frozen=True):
    rules: tuple[SlaRule, ...] = ()
    calendar: BusinessHours | None = None  # None: the clock runs around the clock
    pause_when_pending: bool = True
    warn_at: float = WARN_AT

    def target(self, category: str, priority: str) -> SlaTarget:
        """The most specific rule that fits; DOMAIN.md's defaults when none does."""
        best: tuple[int, SlaTarget] | None = None
        for rule in self.rules:
            if rule.category not in ("*", category) or rule.priority not in ("*", priority):
                continue
            fit = (rule.category != "*") * 2 + (rule.priority != "*")
            if best is None or fit > best[0]:
                best = (fit, rule.target)
        if best is not None:
            return best[1]
        major = category == "complaint" and priority in ("high", "urgent")
        return SlaTarget(FIRST_RESPONSE, MAJOR if major else ANSWER)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return self.calendar.add(start, duration) if self.calendar else start + duration

    def between(self, since: datetime, until: datetime) -> timedelta:
        if self.calendar:
            return self.calendar.between(since, until)
        return max(until - since, timedelta())


class Reading(msgspec.Struct, frozen=True):
    state: ClockState
    left: timedelta  # negative once breached
    used: float  # fraction of the time used: 0.8 warns, 1.0 is breached


def read_clock(policy: SlaPolicy, *, opened_at: datetime, resolution: timedelta, now: datetime,
               paused_seconds: int = 0, paused_since: datetime | None = None,
               breached_at: datetime | None = None, closed: bool = False) -> Reading:
    """Where a case's resolution clock stands at ``now``."""
    until = paused_since if paused_since is not None else now
    spent = policy.between(opened_at, until) - timedelta(seconds=paused_seconds)
    left = resolution - spent
    used = spent / resolution if resolution else 1.0
    if breached_at is not None or used >= 1.0:
        state = ClockState.BREACHED
    elif closed:
        state = ClockState.STOPPED
    elif paused_since is not None:
        state = ClockState.PAUSED
    elif used >= policy.warn_at:
        state = ClockState.WARNING
    else:
        state = ClockState.OK
    return Reading(state, left, used)


def due_at(policy: SlaPolicy, opened_at: datetime, resolution: timedelta,
           paused_seconds: int = 0) -> datetime:
    """When the case is due: its resolution time (plus any paused time) after it was opened."""
    return policy.add(opened_at, resolution + timedelta(seconds=paused_seconds))
