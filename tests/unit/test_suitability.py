"""Product suitability (issue 18): the engine on the shipped rules, and its properties."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_tui.domain.localized import Localized
from agent_tui.domain.suitability import (
    ABOVE_TOLERANCE,
    EXPIRED,
    NO_ASSESSMENT,
    PER_DAY,
    PER_YEAR,
    RISK_LEVELS,
    SUITABLE,
    TOLERANCES,
    Assessment,
    Product,
    add_months,
    may_reassess,
    may_sell,
    product_level,
    suitable_products,
)
from agent_tui.library.suitability import load_suitability, read_suitability

LIBRARY = Path(__file__).resolve().parents[2] / "scripts_library"
SHIPPED = load_suitability(LIBRARY)
RULES = SHIPPED.rules
NOW = datetime(2026, 11, 23, 10, 0)


def _assessment(level: str, days_ago: int = 30) -> Assessment:
    return Assessment(level=level, assessed_at=NOW - timedelta(days=days_ago),
                      answers_version="Q2026-01")


def _product(*ratings: str) -> Product:
    return Product(id="p", name=Localized("产品", "product"), ratings=ratings)


def test_a_cautious_customer_is_refused_an_equity_fund_with_the_rule_and_its_article():
    fund = next(p for p in SHIPPED.products if p.id == "FD-EQUITY")
    verdict = may_sell(_assessment("C1"), fund, NOW, RULES)
    assert (verdict.allowed, verdict.rule, verdict.tolerance, verdict.product_level) == (
        False, ABOVE_TOLERANCE, "C1", "R4")
    assert "第十二条" in RULES.rules[verdict.rule].article("zh-CN")
    assert "Art. 12" in RULES.rules[verdict.rule].article("en")


def test_where_two_ratings_differ_the_higher_counts():
    bond_plus = next(p for p in SHIPPED.products if p.id == "WM-BOND")
    assert product_level(bond_plus) == "R3"
    assert may_sell(_assessment("C2"), bond_plus, NOW, RULES).rule == ABOVE_TOLERANCE
    assert may_sell(_assessment("C3"), bond_plus, NOW, RULES).allowed


def test_an_assessment_holds_12_months_then_the_agent_reassesses_first():
    made = datetime(2025, 11, 23, 10, 0)
    held = Assessment(level="C5", assessed_at=made, answers_version="Q2025-02")
    deposit = _product("R1")
    assert may_sell(held, deposit, made + timedelta(days=364), RULES).allowed
    verdict = may_sell(held, deposit, datetime(2026, 11, 23, 10, 0), RULES)
    assert (verdict.allowed, verdict.rule, verdict.reassess_first) == (False, EXPIRED, True)
    assert may_sell(None, deposit, NOW, RULES).rule == NO_ASSESSMENT


def test_add_months_clamps_to_the_month_end():
    assert add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert add_months(datetime(2024, 2, 29), 12) == datetime(2025, 2, 28)
    assert add_months(datetime(2026, 11, 30), 3) == datetime(2027, 2, 28)


def test_reassessed_at_most_twice_a_day_and_eight_times_a_year():
    today = [NOW - timedelta(hours=2), NOW - timedelta(hours=1)]
    assert may_reassess(today[:1], NOW, RULES).allowed
    assert may_reassess(today, NOW, RULES).rule == PER_DAY
    this_year = [datetime(2026, month, 1, 9) for month in range(1, 9)]
    assert may_reassess(this_year, NOW, RULES).rule == PER_YEAR
    assert may_reassess(this_year[:7], NOW, RULES).allowed
    last_year = [datetime(2025, month, 1, 9) for month in range(1, 13)]
    assert may_reassess(last_year, NOW, RULES).allowed


levels = st.sampled_from(RISK_LEVELS)
tolerances = st.sampled_from(TOLERANCES)


@given(tolerance=tolerances, ratings=st.lists(levels, min_size=1, max_size=3),
       days_ago=st.integers(0, 400))
def test_nothing_above_the_tolerance_is_ever_allowed(tolerance, ratings, days_ago):
    verdict = may_sell(_assessment(tolerance, days_ago), _product(*ratings), NOW, RULES)
    highest = RISK_LEVELS.index(RULES.highest[tolerance])
    if verdict.allowed:
        assert verdict.rule == SUITABLE
        assert all(RISK_LEVELS.index(rating) <= highest for rating in ratings)
        assert days_ago < 365
    else:
        assert verdict.rule in (ABOVE_TOLERANCE, EXPIRED)


@given(tolerance=tolerances, more=tolerances, level=levels)
def test_a_higher_tolerance_never_buys_less(tolerance, more, level):
    if TOLERANCES.index(more) < TOLERANCES.index(tolerance):
        tolerance, more = more, tolerance
    if may_sell(_assessment(tolerance), _product(level), NOW, RULES).allowed:
        assert may_sell(_assessment(more), _product(level), NOW, RULES).allowed


@given(moments=st.lists(st.datetimes(min_value=datetime(2025, 1, 1),
                                     max_value=datetime(2026, 11, 23, 10)), max_size=12))
def test_an_allowed_reassessment_keeps_within_both_limits(moments):
    if may_reassess(moments, NOW, RULES).allowed:
        after = [*moments, NOW]
        assert sum(m.date() == NOW.date() for m in after) <= RULES.per_day
        assert sum(m.year == NOW.year for m in after) <= RULES.per_year


def test_an_expired_customer_is_offered_nothing():
    assert suitable_products(_assessment("C5", 400), SHIPPED.products, NOW, RULES) == []
    offered = suitable_products(_assessment("C2"), SHIPPED.products, NOW, RULES)
    assert {p.id for p in offered} == {"TD-1Y", "TD-3Y", "WM-CASH"}


@pytest.mark.parametrize(("change", "key", "line_of"), [
    (('C2 = "R2"', 'C2 = "R0"'), "library.suitability.unknown_level", 'C2 = "R0"'),
    (('C3 = "R3"', 'C3 = "R1"'), "library.suitability.falls", 'C3 = "R1"'),
    (("per_day = 2", "per_day = 0"), "library.suitability.limit", "per_day = 0"),
    (('ratings = ["R4", "R4"]', 'ratings = ["R4", "R9"]'), "library.suitability.bad_ratings",
     'ratings = ["R4", "R9"]'),
])
def test_scripts_check_names_the_file_and_line(tmp_path, change, key, line_of):
    text = (LIBRARY / "suitability.toml").read_text(encoding="utf-8").replace(*change)
    path = tmp_path / "suitability.toml"
    path.write_text(text, encoding="utf-8")
    suitability, problems = read_suitability(path)
    assert suitability is None
    line = next(number for number, content in enumerate(text.splitlines(), 1)
                if content.startswith(line_of))
    assert [(problem.key, problem.line) for problem in problems] == [(key, line)]


def test_every_product_is_in_the_banks_list_and_its_first_rating_is_the_banks():
    from data.reference import PRODUCTS

    bank = {code: f"R{level}" for code, _kind, _zh, _en, level in PRODUCTS}
    assert all(bank[product.id] == product.ratings[0] for product in SHIPPED.products)
