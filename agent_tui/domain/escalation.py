"""When to suggest escalating a case (DOMAIN.md: serious complaints are escalated per rules; the path
reaches media and regulator cases). The rules are the scripts library's; each names the group it
escalates to and why. A rule's conditions must all hold; a case matching several rules gets each
suggestion, the first rule's target first. Suggesting is all this does: the agent escalates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import msgspec

from agent_tui.domain.localized import Localized


class EscalationGroup(msgspec.Struct, frozen=True):
    """A group a case can be escalated to (the scripts library's list): the F7 dialog offers
    these and nothing else, and every rule names one of them."""

    id: str  # complaints_team, supervisor, fraud_team ...: what the case records
    name: Localized  # what the agent reads


class EscalationRule(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    target: str  # the group: complaints_team, supervisor, fraud_team, pr_compliance ...
    reason: Localized
    categories: tuple[str, ...] = ()  # empty: any
    priorities: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()  # the customer's: vip, private, elderly, disabled
    flags: tuple[str, ...] = ()  # on the customer: possible_fraud
    words: tuple[str, ...] = ()  # in the case's title, description or notes, either language
    repeat_within_days: int = 0  # the customer had another case of the category within N days
    repeat_count: int = 1  # ... at least this many of them


class CaseFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the rules look at, gathered by the store."""

    category: str
    priority: str
    segments: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    text: str = ""  # title, description and notes
    earlier_cases_by_days: Sequence[float] = ()  # age in days of the customer's other cases
    # of the same category


class Suggestion(msgspec.Struct, frozen=True):
    rule_id: str
    target: str
    reason: Localized
    evidence: str = ""  # the word found, the number of repeats...


def _mentions(text: str, words: Iterable[str]) -> str:
    """The first of ``words`` in ``text``, in any case. A word in Latin letters counts as a whole
    word only ("sue" is not in "issue"); Chinese has no spaces, so anywhere."""
    folded = text.casefold()
    for word in words:
        wanted = word.casefold()
        if not wanted:
            continue
        if not wanted.isascii():
            if wanted in folded:
                return word
        elif re.search(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])", folded):
            return word
    return ""


def _match(rule: EscalationRule, facts: CaseFacts) -> tuple[bool, str]:
    if rule.categories and facts.category not in rule.categories:
        return False, ""
    if rule.priorities and facts.priority not in rule.priorities:
        return False, ""
    if rule.segments and not facts.segments & set(rule.segments):
        return False, ""
    if rule.flags and not facts.flags & set(rule.flags):
        return False, ""
    evidence = ""
    if rule.words:
        evidence = _mentions(facts.text, rule.words)
        if not evidence:
            return False, ""
    if rule.repeat_within_days:
        repeats = sum(1 for age in facts.earlier_cases_by_days if age <= rule.repeat_within_days)
        if repeats < rule.repeat_count:
            return False, ""
        evidence = evidence or str(repeats)
    return True, evidence


def suggest(rules: Iterable[EscalationRule], facts: CaseFacts) -> list[Suggestion]:
    found = []
    for rule in rules:
        matched, evidence = _match(rule, facts)
        if matched:
            found.append(Suggestion(rule.id, rule.target, rule.reason, evidence))
    return found
