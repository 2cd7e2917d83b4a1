"""The KPI arithmetic: days add up into weeks before any ratio is taken, nothing to count is
None (drawn "—"), and figures and targets are drawn the one way."""

from __future__ import annotations

from datetime import date

import pytest

from agent_tui.domain.kpi import (
    NOTHING,
    KpiCounts,
    KpiTarget,
    Period,
    bucket,
    roll_up,
    shown,
    target_shown,
)


def test_a_week_is_its_days_summed_then_divided():
    monday = KpiCounts(calls=1, handle_seconds=100, timed_calls=1)
    sunday = KpiCounts(calls=3, handle_seconds=900, timed_calls=3)
    [week] = roll_up([("A1", date(2026, 11, 2), monday), ("A1", date(2026, 11, 8), sunday)],
                     Period.WEEK, date(2026, 11, 2))
    assert week.starts == date(2026, 11, 2)
    assert week.counts.aht_seconds == 250  # 1,000 s / 4 calls, not the mean of 100 and 300


def test_buckets():
    wednesday = date(2026, 11, 4)
    assert bucket(wednesday, Period.DAY, date(2026, 11, 1)) == wednesday
    assert bucket(wednesday, Period.WEEK, date(2026, 11, 1)) == date(2026, 11, 2)
    assert bucket(wednesday, Period.ALL, date(2026, 11, 1)) == date(2026, 11, 1)


def test_nothing_to_count_is_none_and_drawn_as_a_dash():
    empty = KpiCounts()
    for measure in ("aht_seconds", "fcr", "csat", "nps", "compliance", "forbidden_per_100",
                    "callbacks_on_time"):
        assert empty.figure(measure) is None
        assert shown(measure, empty.figure(measure)) == NOTHING
    assert empty.figure("calls") == 0 and shown("calls", 0) == "0"


@pytest.mark.parametrize("measure, value, drawn", [
    ("aht_seconds", 299.6, "05:00"), ("nps", -12.4, "-12"), ("nps", 60, "+60"),
    ("csat", 95, "95.0%"), ("forbidden_per_100", 0.25, "0.2"), ("sla_breaches", 3, "3")])
def test_figures_are_drawn_one_way(measure, value, drawn):
    assert shown(measure, value) == drawn


def test_targets_say_their_side_and_judge_only_what_was_counted():
    aht = KpiTarget("aht_seconds", "at_most", 300)
    assert target_shown(aht) == "≤ 05:00" and target_shown(None) == ""
    assert aht.met(300) is True and aht.met(301) is False and aht.met(None) is None
    assert KpiTarget("fcr", "at_least", 85).met(84.9) is False
