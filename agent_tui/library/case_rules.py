"""The scripts library's rules for cases: SLA targets and calendar (``[sla]``), the groups a case
can be escalated to (``[[escalation_group]]``) and when to suggest escalation (``[[escalation]]``). Checked like the rest of the library: every problem is reported
with its file and line, and the defaults of DOMAIN.md apply where the library says nothing."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Protocol

from agent_tui.domain.cases import PRIORITIES
from agent_tui.domain.escalation import EscalationGroup, EscalationRule
from agent_tui.domain.localized import Localized
from agent_tui.domain.models import Segment
from agent_tui.domain.sla import BusinessHours, SlaPolicy, SlaRule, SlaTarget
from agent_tui.library.raw import RawEscalation, RawEscalationGroup, RawSla

FLAGS = ("possible_fraud",)
LANGUAGES = ("zh-CN", "en")


class _Where(Protocol):
    def line(self, key: str | None = None) -> int | None: ...


class _Checker(Protocol):
    def add(self, where: object, line: int | None, key: str, **values: object) -> None: ...
    def unique(self, entry_id: str, where: object) -> None: ...
    def localized(self, raw: dict[str, str], where: object, key: str, what: str,
                  entry_id: str) -> Localized: ...


def _clock(text: str) -> time | None:
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def sla_policy(found: tuple[RawSla, _Where, int | None] | None, categories: set[str],
               checker: _Checker) -> tuple[SlaPolicy, int]:
    """The SLA policy and the attach window in days; DOMAIN.md's defaults without ``[sla]``.
    ``found`` is the table, where it is, and its header line."""
    if found is None:
        return SlaPolicy(), 7
    raw, where, line = found
    if not 0 < raw.warn_at < 1:
        checker.add(where, line, "library.sla.warn_at", value=raw.warn_at)
    if raw.attach_window_days < 0:
        checker.add(where, line, "library.sla.window", value=raw.attach_window_days)
    rules = []
    for index, rule in enumerate(raw.rule):
        rule_line = where.lines.entry("sla.rule", index)  # type: ignore[attr-defined]
        if rule.category != "*" and rule.category not in categories:
            checker.add(where, rule_line, "library.sla.category", category=rule.category,
                        known=", ".join(sorted(categories)))
        if rule.priority != "*" and rule.priority not in PRIORITIES:
            checker.add(where, rule_line, "library.sla.priority", priority=rule.priority,
                        known=", ".join(PRIORITIES))
        if rule.resolution_hours <= 0 or rule.first_response_minutes <= 0:
            checker.add(where, rule_line, "library.sla.duration")
        rules.append(SlaRule(rule.category, rule.priority, SlaTarget(
            timedelta(minutes=rule.first_response_minutes),
            timedelta(hours=rule.resolution_hours))))
    return SlaPolicy(tuple(rules), _calendar(raw, where, checker), raw.pause_when_pending,
                     raw.warn_at), raw.attach_window_days


def _calendar(raw: RawSla, where: _Where, checker: _Checker) -> BusinessHours | None:
    hours = raw.business_hours
    if hours is None:
        return None
    line = where.lines.tables.get("sla.business_hours")  # type: ignore[attr-defined]
    start, end = _clock(hours.start), _clock(hours.end)
    if start is None or end is None or start >= end:
        checker.add(where, line, "library.sla.hours", start=hours.start, end=hours.end)
        return None
    if not hours.weekdays or not set(hours.weekdays) <= set(range(1, 8)):
        checker.add(where, line, "library.sla.weekdays", weekdays=hours.weekdays)
        return None
    holidays = set()
    for text in hours.holidays:
        try:
            holidays.add(date.fromisoformat(text))
        except ValueError:
            checker.add(where, line, "library.sla.holiday", value=text)
    return BusinessHours(start, end, frozenset(hours.weekdays), frozenset(holidays))


def escalation_groups(found: list[tuple[RawEscalationGroup, _Where]], root: object,
                      checker: _Checker) -> tuple[EscalationGroup, ...]:
    """The groups a case can be escalated to; a library without any cannot escalate."""
    if not found:
        checker.add(root, None, "library.escalation.no_groups")
    groups = []
    for raw, where in found:
        checker.unique(raw.id, where)
        if not raw.id.strip():
            checker.add(where, where.line("id"), "library.escalation.group_id")
        groups.append(EscalationGroup(
            raw.id, checker.localized(raw.name, where, "name", "escalation group", raw.id)))
    return tuple(groups)


def escalation_rules(found: list[tuple[RawEscalation, _Where]], categories: set[str],
                     groups: tuple[EscalationGroup, ...],
                     checker: _Checker) -> tuple[EscalationRule, ...]:
    segments = {segment.value for segment in Segment} | {"elderly", "disabled"}
    rules = []
    for raw, where in found:
        checker.unique(raw.id, where)
        reason = checker.localized(raw.reason, where, "reason", "escalation", raw.id)
        for key, values, known in (("category", raw.category, categories),
                                   ("priority", raw.priority, set(PRIORITIES)),
                                   ("segment", raw.segment, segments),
                                   ("flag", raw.flag, set(FLAGS))):
            for value in values:
                if value not in known:
                    checker.add(where, where.line(key), "library.escalation.unknown", id=raw.id,
                                key=key, value=value, known=", ".join(sorted(known)))
        for language in set(raw.words) - set(LANGUAGES):
            checker.add(where, where.line("words"), "library.unknown_language", id=raw.id,
                        language=language, languages=", ".join(LANGUAGES))
        if raw.repeat_within_days < 0 or raw.repeat_count < 1:
            checker.add(where, where.line("repeat_within_days"), "library.escalation.repeat",
                        id=raw.id)
        if raw.target not in {group.id for group in groups}:
            checker.add(where, where.line("target"), "library.escalation.unknown_group",
                        id=raw.id, target=raw.target,
                        known=", ".join(group.id for group in groups) or "-")
        rules.append(EscalationRule(
            id=raw.id, target=raw.target, reason=reason, categories=tuple(raw.category),
            priorities=tuple(raw.priority), segments=tuple(raw.segment), flags=tuple(raw.flag),
            words=tuple(word for words in raw.words.values() for word in words if word.strip()),
            repeat_within_days=raw.repeat_within_days, repeat_count=raw.repeat_count,
        ))
    return tuple(rules)
