"""Key performance indicators: what a team lead reads against DOMAIN.md's targets.

The hub's SQL (``hub/kpi.py``) returns sums and counts per agent (or team) and day, never ratios:
sums of days add up exactly to a week or a whole period, and a ratio is taken only at the end,
from its own numerator and denominator. A ratio with nothing to count is ``None`` (drawn "—"),
never 0: an agent with no rated call has no CSAT, not a CSAT of 0 %.

What each figure counts (docs/kpi.md says it at length):

- calls: calls ended, by the day they started.
- AHT: the mean of (ended - started) over those calls, wrap-up included (the call ends in the
  closing dialog).
- FCR: calls marked resolved at first contact / calls where the agent answered the question.
- CSAT: ratings of 4 or 5 / ratings given (the customer's 1-5 stars).
- NPS: % promoters (9-10) - % detractors (0-6) of the 0-10 answers given.
- compliance: calls with no forbidden phrase caught and no step overridden / calls. It reads the
  call's events until QA reviews with the training rubric score calls (issue 17's QA part).
- QA compliance: the mean compliance score (the rubric's compliance sections, 0-100) of the
  reviews of the calls (a calibration review not counted: it is the reviewers' exercise).
- forbidden per 100 calls, verification lockouts: counted from the call's events.
- SLA breaches: cases due in the period that were marked breached, or are still open past due.
- callbacks on time: callbacks done by their due time / callbacks due in the period that are done
  or overdue (one still ahead of its time is not counted either way).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import Enum

import msgspec

from agent_tui.domain.times import call_timer


class Period(Enum):
    DAY = "day"
    WEEK = "week"
    ALL = "all"


def bucket(day: date, period: Period, start: date) -> date:
    """The first day of the bucket ``day`` falls in: itself, its ISO week's Monday, or the
    start of the whole range."""
    if period is Period.DAY:
        return day
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    return start


class KpiCounts(msgspec.Struct, kw_only=True):
    """Sums and counts, as the SQL returns them; they add up across days and agents."""

    calls: int = 0
    handle_seconds: int = 0
    timed_calls: int = 0
    fcr_yes: int = 0
    fcr_answered: int = 0
    csat_satisfied: int = 0
    csat_given: int = 0
    nps_promoters: int = 0
    nps_detractors: int = 0
    nps_given: int = 0
    compliant_calls: int = 0
    forbidden_caught: int = 0
    lockouts: int = 0
    sla_breaches: int = 0
    callbacks_due: int = 0
    callbacks_on_time: int = 0
    qa_reviews: int = 0
    qa_compliance_tenths: int = 0  # the reviews' compliance scores, summed in tenths of a point

    def __add__(self, other: KpiCounts) -> KpiCounts:
        return KpiCounts(**{name: getattr(self, name) + getattr(other, name)
                            for name in self.__struct_fields__})

    @property
    def aht_seconds(self) -> float | None:
        return _ratio(self.handle_seconds, self.timed_calls)

    @property
    def fcr(self) -> float | None:
        return _percent(self.fcr_yes, self.fcr_answered)

    @property
    def csat(self) -> float | None:
        return _percent(self.csat_satisfied, self.csat_given)

    @property
    def nps(self) -> float | None:
        if not self.nps_given:
            return None
        return 100.0 * (self.nps_promoters - self.nps_detractors) / self.nps_given

    @property
    def compliance(self) -> float | None:
        return _percent(self.compliant_calls, self.calls)

    @property
    def qa_compliance(self) -> float | None:
        return _ratio(self.qa_compliance_tenths, self.qa_reviews * 10)

    @property
    def forbidden_per_100(self) -> float | None:
        return _percent(self.forbidden_caught, self.calls)

    @property
    def callbacks_on_time_share(self) -> float | None:
        return _percent(self.callbacks_on_time, self.callbacks_due)

    def figure(self, measure: str) -> float | int | None:
        """One figure by its measure id (``MEASURES``)."""
        return getattr(self, _FIGURES[measure])


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


# The figures shown, in order: measure id -> the KpiCounts attribute that gives it.
_FIGURES = {
    "calls": "calls", "aht_seconds": "aht_seconds", "fcr": "fcr", "csat": "csat", "nps": "nps",
    "compliance": "compliance", "qa_compliance": "qa_compliance",
    "forbidden_per_100": "forbidden_per_100",
    "lockouts": "lockouts", "sla_breaches": "sla_breaches",
    "callbacks_on_time": "callbacks_on_time_share",
}
MEASURES = tuple(_FIGURES)


class KpiTarget(msgspec.Struct, frozen=True):
    """A target from the scripts library's kpi.toml: ``at_least`` or ``at_most`` a value."""

    measure: str
    direction: str  # at_least | at_most
    value: float

    def met(self, figure: float | int | None) -> bool | None:
        if figure is None:
            return None
        return figure >= self.value if self.direction == "at_least" else figure <= self.value


DIRECTIONS = ("at_least", "at_most")


class KpiRow(msgspec.Struct, frozen=True):
    """One line of a report: an agent's (or a team's) counts over one bucket."""

    who: str
    starts: date
    counts: KpiCounts


def roll_up(rows: Iterable[tuple[str, date, KpiCounts]], period: Period, start: date
            ) -> list[KpiRow]:
    """Per-day counts summed into the period's buckets, sorted by who, then time."""
    summed: dict[tuple[str, date], KpiCounts] = {}
    for who, day, counts in rows:
        key = (who, bucket(day, period, start))
        summed[key] = summed[key] + counts if key in summed else counts
    return [KpiRow(who, starts, counts) for (who, starts), counts in sorted(summed.items())]


NOTHING = "—"  # a ratio with nothing to count


def shown(measure: str, value: float | int | None) -> str:
    """A figure as the board, the KPI views and the CLI's table show it: "—" for nothing to
    count; AHT as a call's timer (05:00); NPS signed; shares as whole percents with one
    decimal."""
    if value is None:
        return NOTHING
    if measure == "aht_seconds":
        return call_timer(timedelta(seconds=round(value)))
    if measure == "nps":
        return f"{value:+.0f}"
    if measure in ("fcr", "csat", "compliance", "qa_compliance", "callbacks_on_time"):
        return f"{value:.1f}%"
    if measure == "forbidden_per_100":
        return f"{value:.1f}"
    return str(int(value))


def target_shown(target: KpiTarget | None) -> str:
    """The target beside a figure: ``≥ 85.0%``, ``≤ 05:00``."""
    if target is None:
        return ""
    sign = "≥" if target.direction == "at_least" else "≤"
    return f"{sign} {shown(target.measure, target.value)}"
