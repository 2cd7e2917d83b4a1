"""Product suitability (《金融机构产品适当性管理办法》, in force 2026-02-01): whether an agent may
recommend or sell a product to a customer, and whether a customer may be reassessed now.

Pure: the rules come as data (scripts_library/suitability.toml, read by library/suitability.py),
the clock as an argument. The workstation asks before it lets an action through, and the hub asks
the same functions before it records one (the hub is the authority).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import datetime

import msgspec

from agent_tui.domain.localized import Localized

TOLERANCES = ("C1", "C2", "C3", "C4", "C5")  # the customer's risk tolerance, C1 the most cautious
RISK_LEVELS = ("R1", "R2", "R3", "R4", "R5")  # the product's risk, R1 the lowest

# What a verdict says, by rule id (the ids of [rule.*] in suitability.toml).
SUITABLE = "suitable"
NO_ASSESSMENT = "no_assessment"
EXPIRED = "expired"
ABOVE_TOLERANCE = "above_tolerance"
PER_DAY = "reassess_per_day"
PER_YEAR = "reassess_per_year"
RULE_IDS = (NO_ASSESSMENT, EXPIRED, ABOVE_TOLERANCE, PER_DAY, PER_YEAR)


class Rule(msgspec.Struct, frozen=True):
    """A refusal's wording and the article of the measures it rests on, in both languages."""

    id: str
    text: Localized
    article: Localized


class SuitabilityRules(msgspec.Struct, frozen=True):
    highest: Mapping[str, str]  # tolerance -> the highest product risk level it may buy
    valid_months: int  # an assessment is valid this long
    per_day: int  # reassessments a customer may have in one calendar day
    per_year: int  # ... and in one calendar year
    rules: Mapping[str, Rule]


class Assessment(msgspec.Struct, frozen=True, kw_only=True):
    """A customer's risk-tolerance assessment: the level, when it was made, and the version of
    the questionnaire answered."""

    level: str
    assessed_at: datetime
    answers_version: str
    pending: bool = False  # made on this workstation, not yet recorded by the hub


class Product(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: Localized
    ratings: tuple[str, ...]  # the bank's own and the issuer's: where they differ, the higher counts


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    allowed: bool
    rule: str  # SUITABLE or one of RULE_IDS
    tolerance: str = ""
    product_level: str = ""
    expires_at: datetime | None = None

    @property
    def reassess_first(self) -> bool:
        """The agent is led to reassess the customer before anything is sold."""
        return self.rule in (NO_ASSESSMENT, EXPIRED)


def product_level(product: Product) -> str:
    """The product's risk level: the highest of its ratings (two ratings that differ: the
    higher risk counts)."""
    return max(product.ratings, key=RISK_LEVELS.index)


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` ``months`` later, the day clamped to the month's last (31 Jan + 1 = 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def expires_at(assessment: Assessment, rules: SuitabilityRules) -> datetime:
    return add_months(assessment.assessed_at, rules.valid_months)


def is_valid(assessment: Assessment, now: datetime, rules: SuitabilityRules) -> bool:
    return assessment.assessed_at <= now < expires_at(assessment, rules)


def may_sell(assessment: Assessment | None, product: Product, now: datetime,
             rules: SuitabilityRules) -> Verdict:
    """Whether ``product`` may be recommended or sold to a customer with ``assessment`` now."""
    level = product_level(product)
    if assessment is None:
        return Verdict(allowed=False, rule=NO_ASSESSMENT, product_level=level)
    expiry = expires_at(assessment, rules)
    if not is_valid(assessment, now, rules):
        return Verdict(allowed=False, rule=EXPIRED, tolerance=assessment.level,
                       product_level=level, expires_at=expiry)
    highest = rules.highest[assessment.level]
    allowed = RISK_LEVELS.index(level) <= RISK_LEVELS.index(highest)
    return Verdict(allowed=allowed, rule=SUITABLE if allowed else ABOVE_TOLERANCE,
                   tolerance=assessment.level, product_level=level, expires_at=expiry)


def may_reassess(earlier: Iterable[datetime], now: datetime,
                 rules: SuitabilityRules) -> Verdict:
    """Whether the customer may be assessed again now, given when they were assessed before:
    at most ``per_day`` in one calendar day and ``per_year`` in one calendar year."""
    before = [moment for moment in earlier if moment <= now]
    if sum(moment.date() == now.date() for moment in before) >= rules.per_day:
        return Verdict(allowed=False, rule=PER_DAY)
    if sum(moment.year == now.year for moment in before) >= rules.per_year:
        return Verdict(allowed=False, rule=PER_YEAR)
    return Verdict(allowed=True, rule=SUITABLE)


def limit_reached(rule: str, earlier: Iterable[datetime], now: datetime,
                  rules: SuitabilityRules) -> tuple[int, int]:
    """For a reassessment refused by ``rule`` (PER_DAY or PER_YEAR): how many the customer has
    had in that day or year, and the limit, as the rule's text says them."""
    per_day = rule == PER_DAY
    count = sum((at.date() == now.date()) if per_day else (at.year == now.year)
                for at in earlier if at <= now)
    return count, rules.per_day if per_day else rules.per_year


def suitable_products(assessment: Assessment | None, products: Iterable[Product],
                      now: datetime, rules: SuitabilityRules) -> list[Product]:
    """The products that may be offered: none without a valid assessment."""
    return [product for product in products
            if may_sell(assessment, product, now, rules).allowed]
