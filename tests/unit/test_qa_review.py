"""QA review's arithmetic (domain/qa_review.py): the items prefilled from events are what the
training scorer gives them, the reviewer's marks replace only theirs, agreement by hand, and the
weekly sample (every flagged call, the same random draw for the same week)."""

from __future__ import annotations

import pytest

from agent_tui.domain import qa_review, scoring
from agent_tui.domain.qa_review import Mark, QaEvent, SampleCall
from agent_tui.hub.qa import rubric


def _event(at: float, kind: str, step: str = "", **detail: str) -> QaEvent:
    return QaEvent(at, "", kind, "greeting", step, detail)


EVENTS = [_event(0, "stage_entered"), _event(3, "step_ticked", "greeting.greet"),
          _event(30, "verification", status="passed"), _event(200, "call_ended")]
EXPECTED = qa_review.expected_for("consultation", "passed")


def test_prefilled_items_are_the_training_scorers_and_the_rest_are_left_to_the_reviewer():
    prefill = qa_review.prefill(rubric(), EVENTS, EXPECTED)
    assert prefill["opening.greet"] == 1.0 and prefill["verification.result"] == 1.0
    assert prefill["courtesy.polite"] is None
    for item in rubric().items:
        if item.id in prefill and prefill[item.id] is not None:
            assert prefill[item.id] == scoring.check(item, EVENTS, EXPECTED)


def test_the_reviewers_marks_replace_only_their_items():
    marks = {item: Mark(1.0) for item, fraction in
             qa_review.prefill(rubric(), EVENTS, EXPECTED).items() if fraction is None}
    whole = qa_review.review_score(rubric(), EVENTS, EXPECTED, marks, "en")
    assert whole == scoring.score(rubric(), EVENTS, (), EXPECTED, "en",
                                  given={item: 1.0 for item in marks})
    fatal = qa_review.review_score(rubric(), EVENTS, EXPECTED, {
        **marks, "compliance.disclosure": Mark(0.0, "余额在核身前说出")}, "en")
    assert (fatal.score, fatal.compliance, fatal.fatal) == (0.0, 0.0, ("compliance.disclosure",))
    assert qa_review.missing_marks(rubric(), EXPECTED, {"courtesy.polite": Mark(0.5)}) == [
        "compliance.disclosure", "compliance.guaranteed_return", "courtesy.kept_customer",
        "courtesy.polite"]


@pytest.mark.parametrize("first, second, items, overall", [
    ({"a": 1.0, "b": 1.0, "c": 0.0, "d": 0.5}, {"a": 1.0, "b": 0.0, "c": 0.0, "d": 0.5},
     {"a": True, "b": False, "c": True, "d": True}, 75.0),
    ({"a": 1.0}, {"b": 1.0}, {}, None),  # nothing in common: no figure, not 0
])
def test_agreement_by_hand(first, second, items, overall):
    found = qa_review.agreement(first, second)
    assert (found.items, found.overall) == (items, overall)
    assert found.on_target is (overall is not None and overall >= 85)


def test_the_weekly_sample_keeps_every_flagged_call_and_draws_the_same_others():
    calls = [SampleCall(f"c{n}", "A1" if n % 2 else "A2", f"2026-11-2{n % 7}T10:00:00",
                        ("lockout",) if n in (3, 4) else ()) for n in range(20)]
    first = qa_review.weekly_sample(calls, 2, "T1:2026-11-16")
    assert {call.call_id for call in first if call.reasons} == {"c3", "c4"}
    assert sorted(sum(1 for call in first if call.agent_id == agent and not call.reasons)
                  for agent in ("A1", "A2")) == [2, 2]
    assert first == qa_review.weekly_sample(list(reversed(calls)), 2, "T1:2026-11-16")
