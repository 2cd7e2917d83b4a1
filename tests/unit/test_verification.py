"""Identity verification: normalised comparison, policy, lock-out, third party, step-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_tui.domain.masking import Tier
from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.domain.verification import (
    Facts,
    Status,
    StepUp,
    StepUpResult,
    Verification,
    factor_matches,
    facts_from,
    needs_step_up,
    normalise_amount,
    normalise_date,
)

NOW = datetime(2026, 11, 23, 10, 0)
FACTS = Facts("张三明", "11010519491231002X", "13812345678", date(1949, 12, 31), (123450, 5000))


@pytest.mark.parametrize(("factor", "answer"), [
    ("name", "张三明"), ("name", " 张 三 明 "),
    ("id_last6", "31002x"), ("id_last6", "３１００２Ｘ"),
    ("mobile", "138 1234 5678"), ("mobile", "+86 138-1234-5678"), ("mobile", "１３８１２３４５６７８"),
    ("birth_date", "1949-12-31"), ("birth_date", "19491231"), ("birth_date", "1949年12月31日"),
    ("birth_date", "1949/12/31"),
    ("recent_amount", "1234.50"), ("recent_amount", "¥1,234.5"), ("recent_amount", "1234.5元"),
    ("recent_amount", "50"), ("recent_amount", "５０元"),
])
def test_answers_match_however_the_caller_says_them(factor, answer):
    assert factor_matches(factor, answer, FACTS)


@pytest.mark.parametrize(("factor", "answer"), [
    ("name", "张三"), ("id_last6", "310021"), ("mobile", "13812345679"),
    ("birth_date", "1949-12-30"), ("birth_date", "not a date"), ("recent_amount", "1234.51"),
    ("recent_amount", "abc"), ("name", ""), ("mobile", "   "),
])
def test_wrong_or_empty_answers_do_not_match(factor, answer):
    assert not factor_matches(factor, answer, FACTS)


def test_normalisers():
    assert normalise_date("1990年1月2日") == date(1990, 1, 2)
    assert normalise_date("1990-02-30") is None
    assert normalise_amount("1,000") == 100000
    assert normalise_amount("一千") is None


def test_name_plus_two_factors_pass_and_earn_the_basic_tier():
    verification = Verification(VerificationPolicy(), FACTS)
    outcome = verification.attempt({"name": "张三明", "mobile": "13812345678",
                                    "birth_date": "1949-12-31"}, NOW)
    assert outcome.passed and outcome.status is Status.PASSED
    assert verification.tier is Tier.BASIC and verification.resolved


def test_too_few_answers_is_not_an_attempt():
    verification = Verification(VerificationPolicy(), FACTS)
    outcome = verification.attempt({"name": "张三明", "mobile": "13812345678"}, NOW)
    assert not outcome.passed and outcome.missing == ("any_of:1",)
    assert verification.attempts == [] and outcome.attempts_left == 3


def test_a_wrong_name_fails_even_with_two_right_factors():
    verification = Verification(VerificationPolicy(), FACTS)
    outcome = verification.attempt({"name": "李四", "mobile": "13812345678",
                                    "id_last6": "31002X"}, NOW)
    assert not outcome.passed and outcome.failed_factors == ("name",)


def test_three_failures_lock_and_suggest_escalation():
    verification = Verification(VerificationPolicy(), FACTS)
    wrong = {"name": "张三明", "mobile": "13900000000", "id_last6": "000000"}
    left = [verification.attempt(wrong, NOW + timedelta(seconds=i)).attempts_left
            for i in range(3)]
    assert left == [2, 1, 0]
    assert verification.status is Status.LOCKED and verification.tier is Tier.MASKED
    right = {"name": "张三明", "mobile": "13812345678", "id_last6": "31002X"}
    outcome = verification.attempt(right, NOW + timedelta(minutes=1))
    assert not outcome.passed and outcome.suggest_escalation
    assert len(verification.attempts) == 3  # a locked verification takes no more attempts


def test_a_third_party_caller_is_recorded_and_sees_nothing():
    verification = Verification(VerificationPolicy(), FACTS)
    outcome = verification.record_third_party("李\x1b[31m四", "son")
    assert outcome.status is Status.THIRD_PARTY and not outcome.passed
    assert verification.tier is Tier.MASKED and verification.resolved
    assert verification.third_party == {"name": "李四", "relationship": "son"}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "id_last6", "mobile", "birth_date",
                                        "recent_amount"]), st.text(max_size=20)))
def test_an_outcome_never_carries_the_right_answer(answers):
    """What the screen may show after an attempt holds none of the facts' values."""
    verification = Verification(VerificationPolicy(), FACTS)
    outcome = verification.attempt(answers, NOW)
    shown = msgspec.json.encode(outcome).decode()
    for secret in ("张三明", "31002X", "13812345678", "1949-12-31", "123450", "1234.5"):
        assert secret not in shown


def test_facts_keep_only_recent_amounts_unsigned():
    facts = facts_from("张三", "11010519491231002X", "13812345678", date(1949, 12, 31), [
        (NOW - timedelta(days=2), -123450), (NOW - timedelta(days=40), 999),
        (NOW - timedelta(days=1), None), (NOW + timedelta(days=1), 777),
    ], NOW)
    assert facts.recent_amounts_cents == (123450,)


def test_step_up_code_passes_once_then_expires_and_locks():
    step_up = StepUp("freeze_card", "204816", NOW)
    assert step_up.tier is Tier.BASIC
    assert step_up.check("111111", NOW) is StepUpResult.WRONG
    assert step_up.check("２０４８１６", NOW + timedelta(minutes=1)) is StepUpResult.PASSED
    assert step_up.tier is Tier.FULL
    late = StepUp("reset_password", "204816", NOW)
    assert late.check("204816", NOW + timedelta(minutes=6)) is StepUpResult.EXPIRED
    locked = StepUp("change_limit", "204816", NOW)
    results = [locked.check("000000", NOW) for _ in range(3)]
    assert results[-1] is StepUpResult.LOCKED
    assert locked.check("204816", NOW) is StepUpResult.LOCKED


def test_sensitive_operations_need_a_step_up():
    policy = VerificationPolicy()
    assert needs_step_up("freeze_card", policy) and not needs_step_up("balance_enquiry", policy)
