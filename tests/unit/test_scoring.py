"""The QA rubric scorer: sections and their weights, fatal items, the compliance score, misses
with their moment and model line, forbidden phrases caught. A rubric built here, in code."""

from __future__ import annotations

import msgspec
import pytest

from agent_tui.domain.localized import Localized
from agent_tui.domain.rubric import Item, Rubric, Section
from agent_tui.domain.scoring import Expected, score


class Event(msgspec.Struct, frozen=True):
    at: float
    kind: str
    stage: str
    step: str = ""
    detail: dict[str, str] = msgspec.field(default_factory=dict)


class Line(msgspec.Struct, frozen=True):
    at: float
    speaker: str
    text: str
    intent: str = ""
    intents: tuple[str, ...] = ()


def _name(text: str) -> Localized:
    return Localized(text, text)


RUBRIC = Rubric(
    sections=(
        Section("opening", _name("opening"), 40),
        Section("verification", _name("verification"), 40, compliance=True),
        Section("compliance", _name("compliance"), 20, compliance=True),
    ),
    items=(
        Item("opening.greet", "opening", _name("greet"), "done", steps=("greeting.greet",),
             intents=("greet",), stage="greeting", model=_name("Good morning")),
        Item("opening.both", "opening", _name("both"), "done", mode="all",
             steps=("greeting.greet", "greeting.introduce"), model=_name("Both")),
        Item("verification.result", "verification", _name("result"), "verification",
             points=2, stage="verification", model=_name("Verify")),
        Item("compliance.no_forbidden", "compliance", _name("words"), "no_forbidden"),
        Item("compliance.disclosure", "compliance", _name("disclosure"), "no_disclosure",
             fatal=True, model=_name("Not before verifying")),
        Item("compliance.promise", "compliance", _name("promise"), "no_words", fatal=True,
             words=("保本", "guaranteed return")),
        Item("compliance.fraud", "compliance", _name("fraud"), "done", intents=("fraud_warning",),
             fatal=True, when=("fraud",), model=_name("Don't transfer")),
    ),
)


def _call(*extra: Event) -> list[Event]:
    return [Event(0, "call_started", "greeting"), Event(0, "stage_entered", "greeting"),
            Event(3, "step_ticked", "greeting", "greeting.greet"),
            Event(10, "stage_entered", "verification"),
            Event(30, "verification", "verification", detail={"status": "passed"}),
            Event(32, "stage_entered", "handling"), *extra]


def test_a_good_call_scores_full_marks():
    events = _call(Event(5, "step_ticked", "greeting", "greeting.introduce"))
    result = score(RUBRIC, events, [], Expected(), "en")
    assert result.score == 100.0 and result.compliance == 100.0 and result.passed
    assert result.fatal == () and result.misses == ()
    assert [(s.section, s.score, s.weight) for s in result.sections] == [
        ("opening", 100.0, 40), ("verification", 100.0, 40), ("compliance", 100.0, 20)]


def test_sections_are_weighted_and_a_miss_says_when_and_what_to_say():
    result = score(RUBRIC, _call(Event(40, "forbidden_caught", "handling",
                                       detail={"rule": "dont_know", "word": "不知道"})),
                   [], Expected(pass_mark=80), "zh-CN")
    sections = {s.section: s.score for s in result.sections}
    # opening: greet 1 of 1, both steps 1 of 2 -> 1.5 of 2; compliance: a catch halves 1 of 3
    assert sections == {"opening": 75.0, "verification": 100.0, "compliance": 83.3}
    assert result.score == pytest.approx(round((75 * 40 + 100 * 40 + 83.3333 * 20) / 100, 1))
    assert result.score == 86.7 and result.passed
    assert result.compliance == 90.0  # 4.5 of the compliance sections' 5 points
    higher = score(RUBRIC, _call(), [], Expected(pass_mark=95), "en")
    assert higher.score == 90.0 and not higher.passed  # a scenario's own pass mark
    misses = {miss.item: miss for miss in result.misses}
    assert misses["opening.both"].at == 40  # no stage given: by the end of the call
    assert misses["compliance.no_forbidden"].at == 40 and misses["opening.both"].model == "Both"
    assert [(c.rule, c.word) for c in result.caught] == [("dont_know", "不知道")]


def test_a_stage_s_item_is_due_when_the_stage_is_left():
    events = [Event(0, "call_started", "greeting"), Event(0, "stage_entered", "greeting"),
              Event(12, "stage_entered", "verification"),
              Event(50, "stage_entered", "handling")]
    result = score(RUBRIC, events, [], Expected(), "en")
    misses = {miss.item: miss.at for miss in result.misses}
    assert misses["opening.greet"] == 12 and misses["verification.result"] == 50


def test_disclosure_before_verification_is_fatal_and_zeroes_everything():
    said = [Line(20, "agent", "您的余额是100元", "disclose", ("disclose",))]
    result = score(RUBRIC, _call(), said, Expected(), "zh-CN")
    assert result.fatal == ("compliance.disclosure",)
    assert result.score == 0.0 and result.compliance == 0.0 and not result.passed
    [miss] = [m for m in result.misses if m.fatal]
    assert miss.at == 20 and miss.model == "Not before verifying"
    after = [Line(31, "agent", "您的余额是100元", "disclose", ("disclose",))]
    assert score(RUBRIC, _call(), after, Expected(), "zh-CN").fatal == ()


def test_a_guaranteed_return_is_fatal_in_either_language():
    for text in ("这款产品保本，放心", "It's a Guaranteed  Return product"):
        result = score(RUBRIC, _call(), [Line(40, "agent", text)], Expected(), "en")
        assert result.fatal == ("compliance.promise",), text
    assert score(RUBRIC, _call(), [Line(40, "customer", "保本吗？")], Expected(),
                 "en").fatal == ()  # the customer may ask


def test_an_item_applies_only_to_calls_with_its_tags():
    plain = score(RUBRIC, _call(Event(5, "step_ticked", "greeting", "greeting.introduce")), [],
                  Expected(), "en")
    assert plain.fatal == ()
    fraud = score(RUBRIC, _call(), [], Expected(tags=frozenset({"fraud"})), "en")
    assert fraud.fatal == ("compliance.fraud",)
    warned = score(RUBRIC, _call(), [Line(40, "agent", "don't transfer", "fraud_warning",
                                          ("fraud_warning",))],
                   Expected(tags=frozenset({"fraud"})), "en")
    assert warned.fatal == ()


def test_the_expected_verification_and_model_lines_come_from_the_scenario():
    locked = _call()[:4] + [Event(30, "verification", "verification",
                                  detail={"status": "locked"})]
    expected = Expected(verification="locked", model={"opening.both": _name("Scenario's own")})
    result = score(RUBRIC, locked, [], expected, "en")
    assert {s.section: s.score for s in result.sections}["verification"] == 100.0
    assert {m.item: m.model for m in result.misses}["opening.both"] == "Scenario's own"
    assert score(RUBRIC, locked, [], Expected(), "en").sections[1].score == 0.0
