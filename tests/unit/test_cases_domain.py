"""The pure rules of cases: the lifecycle, case numbers, attaching instead of duplicating, SLA
clocks on the wall clock and on a business calendar, and escalation suggestions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_tui.domain.cases import (
    STATUSES,
    Case,
    allowed_next,
    attach_candidate,
    case_number,
    is_reopening,
    transition_refusal,
)
from agent_tui.domain.escalation import CaseFacts, EscalationRule, suggest
from agent_tui.domain.localized import Localized
from agent_tui.domain.sla import (
    BusinessHours,
    ClockState,
    SlaPolicy,
    SlaRule,
    SlaTarget,
    due_at,
    read_clock,
)

NOW = datetime(2026, 11, 23, 10, 0)  # a Monday


def _case(**changes) -> Case:
    values = dict(id="c1", number="CS261123-1024-001", customer_id="u1", channel="phone",
                  category="complaint", title="t", opened_at=NOW, due_at=NOW, updated_at=NOW)
    return Case(**{**values, **changes})


# -- lifecycle -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("current", "wanted"), [
    ("new", "in_progress"), ("in_progress", "pending_customer"), ("pending_customer", "escalated"),
    ("escalated", "resolved"), ("resolved", "closed"), ("resolved", "in_progress"),
    ("closed", "in_progress"),
])
def test_the_lifecycle_moves_forward_and_reopens(current, wanted):
    assert transition_refusal(current, wanted) is None


@pytest.mark.parametrize(("current", "wanted", "key"), [
    ("new", "closed", "case.refused.resolve_first"),
    ("closed", "resolved", "case.refused.closed"),
    ("in_progress", "new", "case.refused.never_new"),
    ("resolved", "escalated", "case.refused.reopen_to_progress"),
    ("new", "new", "case.refused.already"),
    ("new", "lost", "case.refused.unknown_status"),
])
def test_a_refused_move_says_why_and_where_it_can_go(current, wanted, key):
    refusal = transition_refusal(current, wanted)
    assert refusal is not None and refusal.reason_key == key
    assert set(refusal.allowed) == set(allowed_next(current))


@given(st.sampled_from(STATUSES), st.sampled_from(STATUSES))
def test_every_pair_is_either_allowed_or_refused_with_the_allowed_list(current, wanted):
    refusal = transition_refusal(current, wanted)
    assert (refusal is None) == (wanted in allowed_next(current))
    assert is_reopening(current, wanted) == (current in ("resolved", "closed")
                                            and wanted == "in_progress")


def test_case_numbers_are_readable_and_per_agent_per_day():
    assert case_number(NOW, "1024", 7) == "CS261123-1024-007"


def test_an_open_case_of_the_same_category_within_the_window_is_offered_for_attaching():
    old = _case(id="old", opened_at=NOW - timedelta(days=9), updated_at=NOW - timedelta(days=1))
    recent = _case(id="recent", opened_at=NOW - timedelta(days=2), updated_at=NOW - timedelta(hours=1),
                   channel="wechat")
    other = _case(id="other", category="consultation", opened_at=NOW, updated_at=NOW)
    closed = _case(id="closed", status="closed", opened_at=NOW, updated_at=NOW)
    found = attach_candidate([old, recent, other, closed], "complaint", NOW, timedelta(days=7))
    assert found is not None and found.id == "recent"  # from another channel too
    assert attach_candidate([old, closed], "complaint", NOW, timedelta(days=7)) is None


# -- SLA ------------------------------------------------------------------------------------------

def test_domain_defaults_when_the_library_has_no_rule():
    policy = SlaPolicy()
    assert policy.target("consultation", "normal").resolution == timedelta(hours=24)
    assert policy.target("complaint", "high").resolution == timedelta(hours=48)
    assert policy.target("complaint", "high").first_response == timedelta(minutes=2)


def test_the_most_specific_rule_wins():
    rule = lambda c, p, h: SlaRule(c, p, SlaTarget(timedelta(minutes=2), timedelta(hours=h)))  # noqa: E731
    policy = SlaPolicy((rule("*", "*", 10), rule("complaint", "*", 20), rule("*", "urgent", 30),
                        rule("complaint", "urgent", 40)))
    assert policy.target("complaint", "urgent").resolution == timedelta(hours=40)
    assert policy.target("complaint", "low").resolution == timedelta(hours=20)
    assert policy.target("business", "urgent").resolution == timedelta(hours=30)
    assert policy.target("business", "low").resolution == timedelta(hours=10)


def test_the_clock_warns_at_80_percent_and_breaches_past_100():
    policy, day = SlaPolicy(), timedelta(hours=24)
    read = lambda hours, **kw: read_clock(policy, opened_at=NOW, resolution=day,  # noqa: E731
                                          now=NOW + timedelta(hours=hours), **kw)
    assert read(10).state is ClockState.OK and read(10).left == timedelta(hours=14)
    assert read(19.2).state is ClockState.WARNING
    assert read(25).state is ClockState.BREACHED and read(25).left == timedelta(hours=-1)
    # Breached stays breached: resolved later, or paused, it is still marked.
    assert read(1, breached_at=NOW, closed=True).state is ClockState.BREACHED
    assert read(1, closed=True).state is ClockState.STOPPED


def test_paused_time_does_not_count():
    policy, day = SlaPolicy(), timedelta(hours=24)
    paused = read_clock(policy, opened_at=NOW, resolution=day, now=NOW + timedelta(hours=30),
                        paused_since=NOW + timedelta(hours=5))
    assert paused.state is ClockState.PAUSED and paused.left == timedelta(hours=19)
    resumed = read_clock(policy, opened_at=NOW, resolution=day, now=NOW + timedelta(hours=30),
                         paused_seconds=20 * 3600)
    assert resumed.left == timedelta(hours=14)
    assert due_at(policy, NOW, day, 20 * 3600) == NOW + timedelta(hours=44)


HOURS = BusinessHours(time(9), time(18), holidays=frozenset({date(2026, 11, 25)}))


def test_a_business_calendar_counts_working_hours_only():
    policy = SlaPolicy(calendar=HOURS)
    # Opened Monday 10:00 with 24 working hours: Mon 8 h, Tue 9 h, Wed a holiday, Thu 7 h.
    assert due_at(policy, NOW, timedelta(hours=24)) == datetime(2026, 11, 26, 16, 0)
    # Opened on Friday evening: the clock starts on Monday morning.
    friday_evening = datetime(2026, 11, 27, 20, 0)
    assert due_at(policy, friday_evening, timedelta(hours=2)) == datetime(2026, 11, 30, 11, 0)
    assert HOURS.between(friday_evening, datetime(2026, 11, 30, 11, 0)) == timedelta(hours=2)


@given(st.integers(0, 24 * 14), st.integers(1, 60 * 40))
def test_adding_working_time_then_measuring_it_gives_it_back(offset_hours, minutes):
    start = NOW + timedelta(hours=offset_hours)
    end = HOURS.add(start, timedelta(minutes=minutes))
    assert HOURS.between(start, end) == timedelta(minutes=minutes)


# -- escalation -----------------------------------------------------------------------------------

REASON = Localized("原因", "reason")
RULES = (
    EscalationRule(id="serious", target="complaints_team", reason=REASON,
                   categories=("complaint",), priorities=("high", "urgent")),
    EscalationRule(id="repeat", target="complaints_team", reason=REASON,
                   categories=("complaint",), repeat_within_days=30, repeat_count=1),
    EscalationRule(id="vip", target="vip_team", reason=REASON, segments=("vip", "private")),
    EscalationRule(id="media", target="pr", reason=REASON, words=("媒体", "regulator", "sue")),
    EscalationRule(id="fraud", target="fraud_team", reason=REASON, flags=("possible_fraud",)),
)


def _ids(**facts) -> list[str]:
    return [found.rule_id for found in suggest(RULES, CaseFacts(**{
        "category": "consultation", "priority": "normal", **facts}))]


def test_each_rule_suggests_on_its_own_evidence():
    assert _ids() == []
    assert _ids(category="complaint", priority="high") == ["serious"]
    assert _ids(category="complaint", earlier_cases_by_days=(45, 12)) == ["repeat"]
    assert _ids(category="complaint", earlier_cases_by_days=(45,)) == []
    assert _ids(segments=frozenset({"vip"})) == ["vip"]
    assert _ids(text="客户说要找媒体曝光") == ["media"]
    assert _ids(text="He will complain to the Regulator.") == ["media"]
    assert _ids(flags=frozenset({"possible_fraud"})) == ["fraud"]


def test_an_english_word_counts_as_a_whole_word_only():
    assert _ids(text="the issue is the card fee") == []  # "sue" inside "issue"
    assert _ids(text="they will sue the bank") == ["media"]
