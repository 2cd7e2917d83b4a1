"""The reviewer's scoring form for a live call (issue 17), kept apart from the screen. Pure.

The form starts from the hub's prefill (``domain.qa_review.prefill``): an automatic item has its
fraction from the call's events, a reviewer's item has none. The reviewer marks their items and may
correct a prefilled one, with a comment on any mark not earned. What goes to the hub is what the
reviewer decided: their items, every corrected prefilled one, and a prefilled one they commented
on; the unchanged prefilled items the hub works out again from the events, as it scores. The
running score is ``qa_review.review_score`` on those marks, the very call the hub makes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent_tui.domain import scoring
from agent_tui.domain.qa_review import MARKS, Mark, expected_for, missing_marks, review_score
from agent_tui.domain.rubric import Rubric


class ScoringForm:
    def __init__(self, rubric: Rubric, events: Sequence[scoring.Event], request_type: str,
                 verification: str, prefill: Mapping[str, float | None]) -> None:
        self.rubric, self.events = rubric, events
        self.expected = expected_for(request_type, verification)
        self.prefill = dict(prefill)
        self.fractions: dict[str, float | None] = dict(prefill)
        self.comments: dict[str, str] = {}

    @property
    def items(self) -> list[str]:
        """The rubric's items that apply to the call, in the rubric's order."""
        return [item.id for item in self.rubric.items if item.id in self.prefill]

    def automatic(self, item: str) -> bool:
        return self.prefill.get(item) is not None

    def mark(self, item: str, fraction: float) -> None:
        if fraction not in MARKS:
            raise ValueError(f"not a mark: {fraction}")
        self.fractions[item] = fraction

    def comment(self, item: str, text: str) -> None:
        self.comments[item] = text.strip()

    def marks(self) -> dict[str, Mark]:
        """What the reviewer decided, as the hub takes it."""
        decided = {}
        for item in self.items:
            fraction, comment = self.fractions[item], self.comments.get(item, "")
            if fraction is None:
                continue
            if not self.automatic(item) or fraction != self.prefill[item] or comment:
                decided[item] = Mark(fraction, comment)
        return decided

    def unmarked(self) -> list[str]:
        return [item for item in self.items if self.fractions[item] is None]

    def uncommented(self) -> list[str]:
        """Marks not earned that the hub would refuse without a comment."""
        return [item for item, mark in self.marks().items()
                if mark.fraction < 1.0 and not mark.comment]

    def complete(self) -> bool:
        return not missing_marks(self.rubric, self.expected, self.marks())

    def draft(self) -> dict:
        """What the reviewer entered, as a draft keeps it: the marks they set (a prefilled one
        only where changed) and their comments. Both empty: nothing entered."""
        return {"marks": {item: fraction for item, fraction in self.fractions.items()
                          if fraction is not None and fraction != self.prefill.get(item)},
                "comments": {item: text for item, text in self.comments.items() if text}}

    def restore(self, draft: Mapping[str, object]) -> None:
        """A draft of this form put back; an item no longer on the form, or a mark that is not
        one, is left out (a draft is old data, never trusted to fit)."""
        marks, comments = draft.get("marks"), draft.get("comments")
        for item, fraction in (marks.items() if isinstance(marks, Mapping) else ()):
            if item in self.prefill and fraction in MARKS:
                self.fractions[item] = float(fraction)
        for item, text in (comments.items() if isinstance(comments, Mapping) else ()):
            if item in self.prefill and isinstance(text, str):
                self.comment(item, text)

    def score(self, language: str) -> scoring.Score:
        """The running score: the reviewer's marks so far, the events for the rest."""
        return review_score(self.rubric, self.events, self.expected, self.marks(), language)
