"""The KPI SQL on SQLite and on PostgreSQL, against figures worked out by hand (in the comments),
with the empty cases: nobody with nothing to count, and every ratio None without a denominator.

The calls go in as the hub holds them (a row, its closing record, its events) and their facts are
worked out by ``call_facts.keep``, as call.record does."""

from __future__ import annotations

from datetime import date, datetime

import msgspec
import pytest

from agent_tui.domain.kpi import KpiCounts, Period
from agent_tui.hub import call_facts
from agent_tui.hub.database import connect, reading
from agent_tui.hub.kpi import KpiQuery, kpi_rows, kpi_view
from agent_tui.hub.qa_schema import qa_reviews
from agent_tui.hub.schema import call_events, callbacks, calls, cases
from tests.postgres_cluster import PostgresCluster, unavailable_reason

NOW = datetime(2026, 11, 10, 12, 0)
WEEK = (date(2026, 11, 2), date(2026, 11, 8))  # Monday to Sunday

# agent, team, id, started, ended, closing, event kinds (verification details separately)
_CALLS = [
    ("A1", "T1", "c1", "2026-11-02T09:00:00", "2026-11-02T09:04:00",  # 240 s
     {"csat": 5, "nps": 10, "first_contact_resolution": True}, []),
    ("A1", "T1", "c2", "2026-11-02T10:00:00", "2026-11-02T10:06:00",  # 360 s
     {"csat": 3, "nps": 6, "first_contact_resolution": False},
     ["forbidden_caught", "forbidden_caught"]),
    ("A1", "T1", "c3", "2026-11-03T11:00:00", "2026-11-03T11:05:00",  # 300 s, no rating
     {"csat": None, "nps": None, "first_contact_resolution": None},
     ["override", "verification:locked"]),
    ("A1", "T1", "c4", "2026-11-03T12:00:00", None, None, []),  # still open: not counted
    ("A2", "T1", "c5", "2026-11-09T09:00:00", "2026-11-09T09:02:00",  # next week, 120 s
     {"csat": 4, "nps": 8, "first_contact_resolution": True}, []),
    ("A3", "T2", "c6", "2026-11-02T09:00:00", "2026-11-02T09:10:00",  # 600 s
     {"csat": 1, "nps": 0, "first_contact_resolution": False, "wrap_up": "resolved"},
     ["verification:failed"]),
    ("A3", "T2", "c7", "2026-11-01T23:59:59", "2026-11-02T00:03:00",  # started before the week
     {"csat": 9, "nps": 11}, []),  # and rated off the scales: no rating
]
_CASES = [  # id, agent, team, status, due, breached_at
    ("k1", "A1", "T1", "resolved", "2026-11-04T12:00:00", "2026-11-04T12:00:00"),  # breached
    ("k2", "A1", "T1", "in_progress", "2026-11-05T12:00:00", None),  # open past due: breached
    ("k3", "A1", "T1", "resolved", "2026-11-06T12:00:00", None),  # in time
    ("k4", "A1", "T1", "new", "2026-11-20T12:00:00", None),  # not due yet, out of range
]
_CALLBACKS = [  # id, agent, team, status, due, done
    ("b1", "A1", "T1", "done", "2026-11-03T10:00:00", "2026-11-03T09:30:00"),  # on time
    ("b2", "A1", "T1", "done", "2026-11-04T10:00:00", "2026-11-04T11:00:00"),  # late
    ("b3", "A1", "T1", "scheduled", "2026-11-05T10:00:00", None),  # overdue
    ("b4", "A1", "T1", "cancelled", "2026-11-06T10:00:00", None),  # not counted
]

_REVIEWS = [  # id, call, compliance, calibration (ids apart from test_hub_qa_sql's, on the same hub)
    ("kpi-r1", "c1", 87.5, False), ("kpi-r2", "c2", 62.5, False),
    ("kpi-r3", "c2", 25.0, True),  # a calibration review: the reviewers', not counted
]


def _load(engine) -> None:
    with engine.begin() as connection:
        for agent, team, call_id, started, ended, closing, kinds in _CALLS:
            connection.execute(calls.insert().values(
                id=call_id, agent_id=agent, started_at=started, ended_at=ended,
                closing=msgspec.json.encode(closing).decode()))
            for position, kind in enumerate(kinds):
                kind, _, status = kind.partition(":")
                connection.execute(call_events.insert().values(
                    call_id=call_id, position=position, at=started, kind=kind,
                    detail=msgspec.json.encode({"status": status} if status else {}).decode()))
            call_facts.keep(connection, call_id, team)
        for review_id, call_id, compliance, calibration in _REVIEWS:
            connection.execute(qa_reviews.insert().values(
                id=review_id, call_id=call_id, agent_id="A1", reviewer_id="S1", team="T1",
                marks="{}", score=compliance, compliance=compliance, passed=True, fatal="[]",
                created_at="2026-11-05T09:00:00", calibration=calibration))
        for case_id, agent, team, status, due, breached in _CASES:
            connection.execute(cases.insert().values(
                id=case_id, number=case_id, customer_id="C1", status=status, due_at=due,
                breached_at=breached, assigned_to=agent, team=team))
        for callback_id, agent, team, status, due, done in _CALLBACKS:
            connection.execute(callbacks.insert().values(
                id=callback_id, customer_id="C1", agent_id=agent, team=team, status=status,
                due_at=due, done_at=done))


@pytest.fixture(scope="module")
def cluster():
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    running = PostgresCluster()
    yield running
    running.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.slow,
                                                                 pytest.mark.postgres])])
def hub_engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hub.db'}"
    else:
        url = request.getfixturevalue("cluster").new_database()
    engine = connect(url)
    _load(engine)
    yield engine
    engine.dispose()


def _rows(engine, query: KpiQuery):
    with reading(engine) as connection:
        return kpi_rows(connection, query, NOW)


def test_an_agents_week_against_the_hand_count(hub_engine):
    [row] = _rows(hub_engine, KpiQuery(*WEEK, agent="A1"))
    figures = row.counts
    assert (row.who, row.starts, figures.calls) == ("A1", WEEK[0], 3)
    assert figures.aht_seconds == pytest.approx(300)  # (240 + 360 + 300) / 3
    assert figures.fcr == pytest.approx(50)  # c1 yes, c2 no; c3 not answered
    assert figures.csat == pytest.approx(50)  # 5 satisfied, 3 not; c3 not rated
    assert figures.nps == pytest.approx(0)  # one promoter (10), one detractor (6) of two
    assert figures.compliance == pytest.approx(100 / 3)  # c2 forbidden, c3 overridden
    assert figures.qa_compliance == pytest.approx(75.0)  # (87.5 + 62.5) / 2, c3 not reviewed
    assert figures.forbidden_per_100 == pytest.approx(200 / 3)  # 2 caught in 3 calls
    assert figures.lockouts == 1  # c3 (c6 failed without locking)
    assert figures.sla_breaches == 2  # k1 marked, k2 open past due
    assert (figures.callbacks_due, figures.callbacks_on_time) == (3, 1)
    assert figures.callbacks_on_time_share == pytest.approx(100 / 3)


def test_teams_days_and_weeks(hub_engine):
    teams = {row.who: row.counts for row in _rows(hub_engine, KpiQuery(*WEEK, by="team"))}
    assert sorted(teams) == ["T1", "T2"]
    assert teams["T2"].calls == 1 and teams["T2"].nps == pytest.approx(-100)  # c7 is before
    assert teams["T2"].csat == 0.0 and teams["T2"].sla_breaches == 0
    assert teams["T1"].qa_compliance == pytest.approx(75.0) and teams["T2"].qa_compliance is None
    days = _rows(hub_engine, KpiQuery(*WEEK, agent="A1", period=Period.DAY))
    assert [(row.starts.day, row.counts.calls, row.counts.sla_breaches) for row in days] == [
        (2, 2, 0), (3, 1, 0), (4, 0, 1), (5, 0, 1)]
    weeks = _rows(hub_engine, KpiQuery(WEEK[0], date(2026, 11, 9), team="T1", by="team",
                                       period=Period.WEEK))
    assert [(row.starts, row.counts.calls, row.counts.aht_seconds) for row in weeks] == [
        (WEEK[0], 3, 300), (date(2026, 11, 9), 1, 120)]


def test_a_trend_is_one_point_a_day_for_everyone_together(hub_engine):
    with reading(hub_engine) as connection:
        rows, trend = kpi_view(connection, KpiQuery(WEEK[0], date(2026, 11, 9), team="T1"), NOW)
    assert [(row.starts.day, row.counts.calls) for row in trend] == [
        (2, 2), (3, 1), (4, 0), (5, 0), (9, 1)]
    assert [(row.who, row.counts.calls) for row in rows] == [("A1", 3), ("A2", 1)]


def test_nothing_to_count_is_nobody_and_no_ratio(hub_engine):
    assert _rows(hub_engine, KpiQuery(date(2026, 10, 1), date(2026, 10, 7))) == []
    assert _rows(hub_engine, KpiQuery(*WEEK, agent="nobody")) == []
    assert _rows(hub_engine, KpiQuery(*WEEK, team="T9", by="team")) == []
    [row] = _rows(hub_engine, KpiQuery(date(2026, 11, 4), date(2026, 11, 4), agent="A1"))
    assert row.counts.calls == 0 and row.counts.sla_breaches == 1  # a breach, no calls
    for ratio in (row.counts.aht_seconds, row.counts.fcr, row.counts.csat, row.counts.nps,
                  row.counts.compliance, row.counts.qa_compliance, row.counts.forbidden_per_100):
        assert ratio is None
    assert KpiCounts().callbacks_on_time_share is None


def test_the_call_facts_migration_works_out_the_calls_already_held(tmp_path):
    """A hub from before the call facts: its calls get them from their closing and events, and
    their agent's team from the newest token."""
    from sqlalchemy import select, text

    from agent_tui.hub.auth import create_token
    from agent_tui.hub.database import LATEST, MIGRATIONS, schema_version

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = connect(url)
    _load(engine)
    create_token(engine, "A1", "agent", "T7", NOW, None)
    # Back to just before the call facts, whatever their number once every branch is in.
    before = [migration.__name__ for migration in MIGRATIONS].index("_v6_call_facts")
    with engine.begin() as connection:
        connection.execute(text(
            "UPDATE calls SET team = '', handle_seconds = NULL, csat = NULL, nps = NULL, "
            "fcr = NULL, forbidden_caught = 0, overrides = 0, lockout = 0"))
        connection.execute(text("UPDATE hub_meta SET value = :before WHERE key = "
                                "'schema_version'"), {"before": str(before)})
    engine.dispose()
    engine = connect(url)
    with reading(engine) as connection:
        assert schema_version(connection) == LATEST
        facts = {row.id: row for row in connection.execute(select(calls))}
    assert (facts["c2"].team, facts["c2"].handle_seconds, facts["c2"].csat,
            facts["c2"].forbidden_caught) == ("T7", 360, 3, 2)
    assert (facts["c3"].overrides, facts["c3"].lockout, facts["c3"].csat) == (1, 1, None)
    assert facts["c6"].team == ""  # A3 holds no token: no team to give
    engine.dispose()
