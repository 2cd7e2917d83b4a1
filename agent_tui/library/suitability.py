"""Loading and validating the suitability rules (scripts_library/suitability.toml): every
tolerance C1-C5 mapped to a known risk level that never falls as the tolerance rises, positive
limits, every rule's text and article in both languages, products with known ratings; every
problem as file:line."""

from __future__ import annotations

from pathlib import Path

import msgspec

from agent_tui.domain.localized import Localized
from agent_tui.domain.suitability import (
    RISK_LEVELS,
    RULE_IDS,
    TOLERANCES,
    Product,
    Rule,
    SuitabilityRules,
)
from agent_tui.library.loader import SUITABILITY_FILE, LibraryError, Problem
from agent_tui.library.reading import FileProblems, read_file

Text = dict[str, str]


class _Entry(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class RawLimits(_Entry):
    valid_months: int
    per_day: int
    per_year: int


class RawRule(_Entry):
    text: Text
    article: Text


class RawProduct(_Entry):
    id: str
    name: Text
    ratings: list[str]


class RawSuitability(_Entry):
    limits: RawLimits
    tolerance: dict[str, str]
    rule: dict[str, RawRule]
    product: list[RawProduct] = msgspec.field(default_factory=list)


class Suitability(msgspec.Struct, frozen=True):
    rules: SuitabilityRules
    products: tuple[Product, ...]


def _text(raw: Text) -> Localized:
    return Localized(zh=raw.get("zh-CN", ""), en=raw.get("en", ""))


def read_suitability(path: Path) -> tuple[Suitability | None, list[Problem]]:
    problems = FileProblems(path)
    raw = read_file(path, RawSuitability, problems)
    if raw is None:
        return None, problems.problems
    for name in ("valid_months", "per_day", "per_year"):
        if getattr(raw.limits, name) < 1:
            problems.add(problems.setting("limits", name), "library.suitability.limit",
                         name=name, value=getattr(raw.limits, name))
    _tolerances(raw, problems)
    rules: dict[str, Rule] = {}
    for rule_id in RULE_IDS:
        rule = raw.rule.get(rule_id)
        if rule is None:
            problems.add(None, "library.suitability.missing_rule",
                         id=rule_id)
            continue
        problems.both_languages(rule.text, problems.setting(f"rule.{rule_id}", "text"),
                                "rule", rule_id)
        problems.both_languages(rule.article, problems.setting(f"rule.{rule_id}", "article"),
                                "rule", rule_id)
        rules[rule_id] = Rule(rule_id, _text(rule.text), _text(rule.article))
    for rule_id in sorted(set(raw.rule) - set(RULE_IDS)):
        problems.add(problems.setting(f"rule.{rule_id}"), "library.suitability.unknown_rule",
                     id=rule_id, known=", ".join(RULE_IDS))
    products = _products(raw, problems)
    if problems.problems:
        return None, problems.problems
    return Suitability(SuitabilityRules(
        highest=dict(raw.tolerance), valid_months=raw.limits.valid_months,
        per_day=raw.limits.per_day, per_year=raw.limits.per_year, rules=rules),
        tuple(products)), []


def _tolerances(raw: RawSuitability, problems: FileProblems) -> None:
    for tolerance in TOLERANCES:
        if tolerance not in raw.tolerance:
            problems.add(problems.setting("tolerance"), "library.suitability.missing_tolerance",
                         tolerance=tolerance)
    previous = -1
    for tolerance, level in raw.tolerance.items():
        line = problems.setting("tolerance", tolerance)
        if tolerance not in TOLERANCES:
            problems.add(line, "library.suitability.unknown_tolerance", tolerance=tolerance,
                         known=", ".join(TOLERANCES))
            continue
        if level not in RISK_LEVELS:
            problems.add(line, "library.suitability.unknown_level", level=level,
                         known=", ".join(RISK_LEVELS))
            continue
        # A more adventurous customer never may buy less than a more cautious one.
        if RISK_LEVELS.index(level) < previous:
            problems.add(line, "library.suitability.falls", tolerance=tolerance, level=level)
        previous = max(previous, RISK_LEVELS.index(level))


def _products(raw: RawSuitability, problems: FileProblems) -> list[Product]:
    products: list[Product] = []
    for index, product in enumerate(raw.product):
        line = problems.entry("product", index, "id")
        if product.id in {known.id for known in products}:
            problems.add(line, "library.duplicate_id", id=product.id, first=SUITABILITY_FILE)
        problems.both_languages(product.name, problems.entry("product", index, "name"),
                                "product", product.id)
        bad = [rating for rating in product.ratings if rating not in RISK_LEVELS]
        if bad or not product.ratings:
            problems.add(problems.entry("product", index, "ratings"),
                         "library.suitability.bad_ratings", id=product.id,
                         ratings=", ".join(bad) or "-", known=", ".join(RISK_LEVELS))
            continue
        products.append(Product(id=product.id, name=_text(product.name),
                                ratings=tuple(product.ratings)))
    return products


def load_suitability(folder: Path) -> Suitability:
    """The rules in ``folder``/suitability.toml, or LibraryError listing every problem."""
    suitability, problems = read_suitability(Path(folder) / SUITABILITY_FILE)
    if suitability is None:
        raise LibraryError(problems)
    return suitability
