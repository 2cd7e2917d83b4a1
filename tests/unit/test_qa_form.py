"""The reviewer's scoring form (domain/qa_form.py): it starts from the hub's prefill, sends only
what the reviewer decided, says what the hub would refuse before it is sent, and its running score
is the hub's (``qa_review.review_score`` on the marks sent)."""

from __future__ import annotations

import pytest

from agent_tui.domain import qa_review
from agent_tui.domain.qa_form import ScoringForm
from agent_tui.domain.qa_review import Mark
from agent_tui.hub.qa import rubric
from tests.unit.test_qa_review import EVENTS, EXPECTED


def _form() -> ScoringForm:
    return ScoringForm(rubric(), EVENTS, "consultation", "passed",
                       qa_review.prefill(rubric(), EVENTS, EXPECTED))


def test_a_fresh_form_sends_nothing_and_lists_the_reviewers_items():
    form = _form()
    assert form.marks() == {}
    assert form.unmarked() == [item for item, fraction in form.prefill.items() if fraction is None]
    assert not form.complete()
    assert form.items == [item.id for item in rubric().items if item.id in form.prefill]


def test_the_form_sends_what_the_reviewer_decided_and_scores_as_the_hub():
    form = _form()
    for item in form.unmarked():
        form.mark(item, 1.0)
    form.mark("courtesy.polite", 0.5)
    form.mark("opening.greet", 0.0)  # a prefilled 1 corrected
    form.comment("verification.result", "  核身完整  ")  # a prefilled one commented, kept as is
    assert form.uncommented() == ["opening.greet", "courtesy.polite"]
    assert not form.complete()
    form.comment("opening.greet", "没有问候")
    form.comment("courtesy.polite", "语气生硬")
    sent = form.marks()
    assert sent["opening.greet"] == Mark(0.0, "没有问候")
    assert sent["verification.result"] == Mark(1.0, "核身完整")
    assert "opening.introduce" not in sent  # prefilled, unchanged: the hub works it out again
    assert form.complete()
    assert form.score("en") == qa_review.review_score(rubric(), EVENTS, EXPECTED, sent, "en")


def test_a_mark_is_zero_a_half_or_one():
    with pytest.raises(ValueError):
        _form().mark("courtesy.polite", 0.7)


def test_a_draft_keeps_what_the_reviewer_entered_and_puts_it_back():
    from agent_tui.store.drafts import blank

    form = _form()
    assert form.draft() == {"marks": {}, "comments": {}}
    assert blank("qa_score", form.draft())  # a form opened and left: nothing to keep
    form.mark("courtesy.polite", 0.5)
    form.mark("opening.greet", 1.0)  # its prefill: nothing entered
    form.comment("courtesy.polite", "语气生硬")
    kept = form.draft()
    assert kept == {"marks": {"courtesy.polite": 0.5}, "comments": {"courtesy.polite": "语气生硬"}}
    assert not blank("qa_score", kept)

    again = _form()
    again.restore({**kept, "marks": {**kept["marks"], "gone.item": 1.0, "opening.greet": 0.7}})
    assert again.draft() == kept  # an item not on the form, a mark that is not one: left out
    assert again.marks() == form.marks()
    again.restore({"marks": "not a mapping", "comments": None})  # old data never breaks it
    assert again.draft() == kept
