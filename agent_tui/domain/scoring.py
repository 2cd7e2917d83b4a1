"""The QA rubric scorer: a call's events and transcript in, its score out. Pure.

The events are the call's adherence record (the flow's events, as call_events rows or an
attempt's events: ``at`` in seconds from the call's start); the transcript is what was said (a
training attempt's lines, with the intents the simulator recognised; a live call has none yet,
so the items that read it score from the events alone). Training scores attempts with it; QA
review (``domain/qa_review.py``) scores live calls with the same rubric and this same code, the
reviewer's marks given in place of the checks they override.

Each item that applies to the call (its ``when``/``unless`` tags) earns a fraction of its points;
a section's score is its items' share of their points, the call's score the sections' weighted
mean over the sections that had an item. A failed fatal item zeroes the score and the compliance
score; the compliance score is the share of points earned in the compliance sections.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from agent_tui.domain.localized import Localized
from agent_tui.domain.rubric import Item, Rubric
from agent_tui.domain.scenario import SuitabilityCase
from agent_tui.domain.suitability import SUITABLE, Assessment, Verdict, may_sell
from agent_tui.domain.verification import normalise_text

SELL_INTENT = "agree_sale"  # a trainee's line that offers, or agrees to sell, the product asked
# The day the engine is asked on in a training call: fixed, so an attempt scores the same on
# replay (the assessment's age is the scenario's, counted back from it).
TRAINING_DAY = datetime(2026, 6, 1, 10, 0)


class Event(Protocol):
    at: float
    kind: str
    stage: str
    step: str
    detail: Mapping[str, str]


class Line(Protocol):
    at: float
    speaker: str
    text: str
    intent: str


class Expected(msgspec.Struct, frozen=True):
    """What the call should have done, and what applies to it (a scenario, or a live call's
    request type)."""

    tags: frozenset[str] = frozenset()
    request_type: str = ""
    operation: str = ""
    verification: str = "passed"
    pass_mark: float = 80.0
    model: Mapping[str, Localized] = msgspec.field(default_factory=dict)
    suitability: SuitabilityCase | None = None  # a suitability scenario's case for the engine


class Miss(msgspec.Struct, frozen=True):
    item: str
    section: str
    at: float  # seconds from the start: when it should have happened
    model: str  # the line that would have earned it ("" when there is none)
    fatal: bool = False


class Caught(msgspec.Struct, frozen=True):
    at: float
    rule: str
    word: str


class SectionResult(msgspec.Struct, frozen=True):
    section: str
    score: float  # 0..100
    weight: float


class Score(msgspec.Struct, frozen=True):
    score: float
    compliance: float
    passed: bool
    fatal: tuple[str, ...]
    sections: tuple[SectionResult, ...]
    misses: tuple[Miss, ...]
    caught: tuple[Caught, ...]


class _Call:
    """What the checks read, worked out once."""

    def __init__(self, events: Sequence[Event], transcript: Sequence[Line]) -> None:
        self.events = events
        self.said: list[tuple[float, set[str], str]] = [
            (line.at, set(_intents(line)), line.text) for line in transcript
            if line.speaker == "agent"]
        self.end = max([0.0, *(e.at for e in events), *(line.at for line in transcript)])
        self.hung_up = any(line.speaker == "system" and line.intent == "hung_up"
                           for line in transcript)
        self.passed_at = next((e.at for e in events if e.kind == "verification"
                               and e.detail.get("status") == "passed"), None)

    def of(self, kind: str) -> list[Event]:
        return [event for event in self.events if event.kind == kind]

    def stage_left(self, stage: str) -> float:
        """When the call left ``stage`` (the next stage entered), or its end."""
        inside = False
        for event in self.events:
            if event.kind == "stage_entered":
                if inside and event.stage != stage:
                    return event.at
                inside = event.stage == stage
        return self.end


def _intents(line: Line) -> tuple[str, ...]:
    return tuple(getattr(line, "intents", ())) or ((line.intent,) if line.intent else ())


def _done(item: Item, call: _Call, expected: Expected) -> float:
    ticked = {event.step for event in call.of("step_ticked")}
    said = set().union(*(intents for _, intents, _ in call.said)) if call.said else set()
    hits = [step in ticked for step in item.steps] + [intent in said for intent in item.intents]
    if not hits:
        return 0.0
    if item.mode == "all":
        return sum(hits) / len(hits)
    return 1.0 if any(hits) else 0.0


def _verification(item: Item, call: _Call, expected: Expected) -> float:
    statuses = {event.detail.get("status") for event in call.of("verification")}
    return 1.0 if expected.verification in statuses else 0.0


def _request_type(item: Item, call: _Call, expected: Expected) -> float:
    chosen = [event.detail.get("request_type") for event in call.of("request_type")]
    return 1.0 if chosen and chosen[-1] == expected.request_type else 0.0


def _operation(item: Item, call: _Call, expected: Expected) -> float:
    return 1.0 if any(event.detail.get("operation") == expected.operation
                      for event in call.of("operation")) else 0.0


def _step_up(item: Item, call: _Call, expected: Expected) -> float:
    passed_at = None
    for event in call.events:
        if event.kind == "step_up" and event.detail.get("operation") == expected.operation \
                and event.detail.get("result") == "passed":
            passed_at = event.at if passed_at is None else passed_at
        if event.kind == "operation" and event.detail.get("operation") == expected.operation:
            return 1.0 if passed_at is not None else 0.0
    return 0.0


def _no_forbidden(item: Item, call: _Call, expected: Expected) -> float:
    return max(0.0, 1.0 - 0.5 * len(call.of("forbidden_caught")))


def _no_disclosure(item: Item, call: _Call, expected: Expected) -> float:
    for at, intents, _text in call.said:
        if "disclose" in intents and (call.passed_at is None or at < call.passed_at):
            return 0.0
    return 1.0


def _no_words(item: Item, call: _Call, expected: Expected) -> float:
    words = [normalise_text(word) for word in item.words]
    for _at, _intents_said, text in call.said:
        spoken = normalise_text(text)
        if any(word and word in spoken for word in words):
            return 0.0
    return 1.0


def sale_verdict(call: _Call, expected: Expected) -> Verdict | None:
    """The engine's verdict on what the trainee offered: the product the caller asked about,
    once a line agreed to sell it (None: nothing offered, or no suitability case)."""
    case = expected.suitability
    if case is None or not any(SELL_INTENT in intents for _at, intents, _text in call.said):
        return None
    assessment = Assessment(level=case.level, answers_version="",
                            assessed_at=TRAINING_DAY - timedelta(days=case.assessed_days_ago))
    return may_sell(assessment, case.product, TRAINING_DAY, case.rules)


def _suitable(item: Item, call: _Call, expected: Expected) -> float:
    verdict = sale_verdict(call, expected)
    if verdict is not None and not verdict.allowed:
        return 0.0
    return _done(item, call, expected)


def refusal_text(verdict: Verdict, case: SuitabilityCase, language: str) -> str:
    """The rule that refused the sale, filled in, then its article (suitability.toml)."""
    rule = case.rules.rules[verdict.rule]
    text = rule.text(language).format(product_level=verdict.product_level,
                                      tolerance=verdict.tolerance,
                                      months=case.rules.valid_months, count="", limit="")
    return f"{text} {rule.article(language)}"


def _customer_stayed(item: Item, call: _Call, expected: Expected) -> float:
    return 0.0 if call.hung_up else 1.0


def _ended(item: Item, call: _Call, expected: Expected) -> float:
    ended = call.of("call_ended")
    cut_off = any(event.kind == "override" and event.stage == "closing" for event in call.events)
    return 1.0 if ended and not cut_off and not call.hung_up else 0.0


_CHECK: dict[str, Callable[[Item, _Call, Expected], float]] = {
    "done": _done, "verification": _verification, "request_type": _request_type,
    "operation": _operation, "step_up": _step_up, "no_forbidden": _no_forbidden,
    "no_disclosure": _no_disclosure, "no_words": _no_words, "suitable": _suitable,
    "customer_stayed": _customer_stayed, "ended": _ended,
}


def _moment(item: Item, call: _Call) -> float:
    """When a missed item should have happened: by the end of its stage, else of the call; a
    disclosure or a forbidden word, when it was said."""
    if item.check == "no_disclosure":
        return next((at for at, intents, _ in call.said if "disclose" in intents), call.end)
    if item.check == "no_forbidden":
        caught = call.of("forbidden_caught")
        return caught[0].at if caught else call.end
    if item.check == "no_words":
        words = [normalise_text(word) for word in item.words]
        return next((at for at, _, text in call.said
                     if any(word in normalise_text(text) for word in words)), call.end)
    return call.stage_left(item.stage) if item.stage else call.end


def _refused_sale(item: Item, call: _Call, expected: Expected, language: str) -> str | None:
    """A "suitable" item failed because the engine refused what was offered: the rule's text."""
    if item.check != "suitable" or expected.suitability is None:
        return None
    verdict = sale_verdict(call, expected)
    if verdict is None or verdict.rule == SUITABLE:
        return None
    return refusal_text(verdict, expected.suitability, language)


def automatic(item: Item) -> bool:
    """Whether the item scores from a call's events alone. The others read what was said (a
    training attempt's transcript); on a live call, which has none, QA's reviewer marks them."""
    if item.check in ("done", "suitable"):
        return bool(item.steps)
    return item.check not in ("no_disclosure", "no_words", "customer_stayed")


def check(item: Item, events: Sequence[Event], expected: Expected) -> float:
    """One item's fraction from the events alone (QA review prefills the automatic items)."""
    return _CHECK[item.check](item, _Call(events, ()), expected)


def score(rubric: Rubric, events: Sequence[Event], transcript: Sequence[Line],
          expected: Expected, language: str, given: Mapping[str, float] | None = None) -> Score:
    """``given``: fractions decided by a person (QA's reviewer) for these items, in place of
    their checks; the rest is scored as training scores it."""
    given = given or {}
    call = _Call(events, transcript)
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    fatal: list[str] = []
    misses: list[Miss] = []
    for item in rubric.items:
        if not item.applies(expected.tags):
            continue
        fraction = given[item.id] if item.id in given else _CHECK[item.check](item, call, expected)
        earned[item.section] = earned.get(item.section, 0.0) + fraction * item.points
        possible[item.section] = possible.get(item.section, 0.0) + item.points
        if fraction < 1.0:
            refused = _refused_sale(item, call, expected, language)
            if item.fatal or refused is not None:  # selling above tolerance is never minor
                fatal.append(item.id)
            model = expected.model.get(item.id) or item.model
            line = refused or (model(language) if model else "")
            misses.append(Miss(item.id, item.section, _moment(item, call), line,
                               item.fatal or refused is not None))
    sections = tuple(
        SectionResult(section.id, round(100 * earned[section.id] / possible[section.id], 1),
                      section.weight)
        for section in rubric.sections if possible.get(section.id))
    weights = sum(result.weight for result in sections)
    total = sum(result.score * result.weight for result in sections) / weights if weights else 0.0
    compliance_ids = {section.id for section in rubric.sections if section.compliance}
    compliance_possible = sum(possible.get(s, 0.0) for s in compliance_ids)
    compliance = (100 * sum(earned.get(s, 0.0) for s in compliance_ids) / compliance_possible
                  if compliance_possible else 100.0)
    if fatal:
        total = compliance = 0.0
    total = round(total, 1)
    misses.sort(key=lambda miss: (miss.at, miss.item))
    caught = tuple(Caught(event.at, event.detail.get("rule", ""), event.detail.get("word", ""))
                   for event in call.of("forbidden_caught"))
    return Score(total, round(compliance, 1), not fatal and total >= expected.pass_mark,
                 tuple(fatal), sections, tuple(misses), caught)
