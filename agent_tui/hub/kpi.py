"""The KPIs in SQL: one SQLAlchemy Core query per source (calls, cases, callbacks), the same on
SQLite and PostgreSQL, each grouped by agent (or team) and day. Only sums and counts come back
(``domain/kpi.py`` takes the ratios), so days add up to weeks exactly.

Times on the hub are ISO text in the hub's local time, so a day is the first ten characters and a
range of days is a range of text: ``started_at >= '2026-11-01' AND started_at < '2026-11-08'``
reads the (team, started_at) index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, Integer, case, cast, func, select

from agent_tui.domain.cases import OPEN_STATUSES
from agent_tui.domain.kpi import KpiCounts, KpiRow, Period, roll_up
from agent_tui.domain.times import iso
from agent_tui.hub.qa_schema import qa_reviews
from agent_tui.hub.schema import callbacks, calls, cases


@dataclass(frozen=True)
class KpiQuery:
    """Whose figures, over which days (both ends included), grouped how."""

    start: date
    end: date
    team: str | None = None
    agent: str | None = None
    by: str = "agent"  # agent | team
    period: Period = Period.ALL

    @property
    def since(self) -> str:
        return self.start.isoformat()

    @property
    def until(self) -> str:  # the day after the last, excluded
        return (self.end + timedelta(days=1)).isoformat()


def _count_if(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _call_counts(connection: Connection, query: KpiQuery) -> list[tuple[str, date, KpiCounts]]:
    c = calls.c
    who = c.agent_id if query.by == "agent" else c.team
    day = func.substr(c.started_at, 1, 10)
    statement = select(
        who, day, func.count(), func.coalesce(func.sum(c.handle_seconds), 0),
        func.count(c.handle_seconds), _count_if(c.fcr == 1), func.count(c.fcr),
        _count_if(c.csat >= 4), func.count(c.csat), _count_if(c.nps >= 9),
        _count_if(c.nps <= 6), func.count(c.nps),
        _count_if((c.forbidden_caught == 0) & (c.overrides == 0)),
        func.coalesce(func.sum(c.forbidden_caught), 0), _count_if(c.lockout == 1),
    ).where(c.ended_at.is_not(None), c.started_at >= query.since, c.started_at < query.until)
    statement = _scoped(statement, c.team, c.agent_id, query).group_by(who, day)
    names = ("calls", "handle_seconds", "timed_calls", "fcr_yes", "fcr_answered",
             "csat_satisfied", "csat_given", "nps_promoters", "nps_detractors", "nps_given",
             "compliant_calls", "forbidden_caught", "lockouts")
    return [(row[0], date.fromisoformat(row[1]),
             KpiCounts(**{name: int(value) for name, value in zip(names, row[2:], strict=True)}))
            for row in connection.execute(statement)]


def _review_counts(connection: Connection, query: KpiQuery) -> list[tuple[str, date, KpiCounts]]:
    """The QA reviews of the calls (by the call's agent or team and day), calibration left out;
    their compliance scores summed in whole tenths, so the sum is exact on both databases."""
    c, r = calls.c, qa_reviews.c
    who = c.agent_id if query.by == "agent" else c.team
    day = func.substr(c.started_at, 1, 10)
    statement = select(who, day, func.count(),
                       func.coalesce(func.sum(cast(func.round(r.compliance * 10), Integer)), 0)
                       ).select_from(qa_reviews.join(calls, r.call_id == c.id)).where(
        r.calibration.is_(False), c.started_at >= query.since, c.started_at < query.until)
    statement = _scoped(statement, c.team, c.agent_id, query).group_by(who, day)
    return [(row[0], date.fromisoformat(row[1]),
             KpiCounts(qa_reviews=int(row[2]), qa_compliance_tenths=int(row[3])))
            for row in connection.execute(statement)]


def _case_counts(connection: Connection, query: KpiQuery, now: str
                 ) -> list[tuple[str, date, KpiCounts]]:
    c = cases.c
    who = c.assigned_to if query.by == "agent" else c.team
    day = func.substr(c.due_at, 1, 10)
    breached = c.breached_at.is_not(None) | (c.status.in_(OPEN_STATUSES) & (c.due_at < now))
    statement = select(who, day, func.count()).where(
        breached, c.due_at >= query.since, c.due_at < query.until)
    statement = _scoped(statement, c.team, c.assigned_to, query).group_by(who, day)
    return [(row[0], date.fromisoformat(row[1]), KpiCounts(sla_breaches=int(row[2])))
            for row in connection.execute(statement)]


def _callback_counts(connection: Connection, query: KpiQuery, now: str
                     ) -> list[tuple[str, date, KpiCounts]]:
    c = callbacks.c
    who = c.agent_id if query.by == "agent" else c.team
    day = func.substr(c.due_at, 1, 10)
    done = c.status == "done"
    statement = select(who, day, func.count(), _count_if(done & (c.done_at <= c.due_at))).where(
        c.status != "cancelled", done | (c.due_at < now),
        c.due_at >= query.since, c.due_at < query.until)
    statement = _scoped(statement, c.team, c.agent_id, query).group_by(who, day)
    return [(row[0], date.fromisoformat(row[1]),
             KpiCounts(callbacks_due=int(row[2]), callbacks_on_time=int(row[3])))
            for row in connection.execute(statement)]


def _scoped(statement, team_column, agent_column, query: KpiQuery):
    if query.team is not None:
        statement = statement.where(team_column == query.team)
    if query.agent is not None:
        statement = statement.where(agent_column == query.agent)
    return statement


def kpi_rows(connection: Connection, query: KpiQuery, now: datetime) -> list[KpiRow]:
    """The figures of ``query``, one row per agent (or team) and bucket; nobody with nothing to
    count appears, nor what belongs to no one (a case of no team: the demo's loaded cases)."""
    moment = iso(now)
    found = [*_call_counts(connection, query), *_review_counts(connection, query),
             *_case_counts(connection, query, moment),
             *_callback_counts(connection, query, moment)]
    return roll_up((row for row in found if row[0]), query.period, query.start)


def kpi_view(connection: Connection, query: KpiQuery, now: datetime
             ) -> tuple[list[KpiRow], list[KpiRow]]:
    """What a KPI view shows, from one pass over the tables: ``query``'s rows, and the trend,
    one row a day for everyone the query covers together (a sparkline's points)."""
    daily = kpi_rows(connection, KpiQuery(query.start, query.end, query.team, query.agent,
                                          query.by, Period.DAY), now)
    rows = roll_up(((row.who, row.starts, row.counts) for row in daily), query.period,
                   query.start)
    trend = roll_up(((query.agent or query.team or "", row.starts, row.counts) for row in daily),
                    Period.DAY, query.start)
    return rows, trend
