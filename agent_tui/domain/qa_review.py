"""QA review of a live call with the training rubric (issue 17). Pure.

A call is scored by ``domain.scoring`` exactly as a training attempt is: the automatic items
(``scoring.automatic``: from the call's events) are prefilled, the reviewer marks the others (and
may correct a prefilled one), each with a comment; the marks go to ``scoring.score`` as ``given``.

Calibration: two reviewers score the same call blind; they agree on an item when they gave it
the same mark, and overall on the share of items they agree on (target ``CALIBRATION_TARGET``).
The weekly sample: a few calls of each agent at random, and every call with a fatal item failed,
a verification lockout or a complaint.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from agent_tui.domain import scoring
from agent_tui.domain.rubric import Rubric

MARKS = (0.0, 0.5, 1.0)  # what a reviewer gives an item: missed, in part, done
CALIBRATION_TARGET = 85.0  # per cent of items two reviewers agree on
COMMENT_LIMIT = 500
ANSWERS = ("acknowledged", "disputed")  # the reviewed agent's; a dispute gives its reason


class Mark(msgspec.Struct, frozen=True):
    fraction: float
    comment: str = ""


class QaEvent(msgspec.Struct, frozen=True):
    """One of a call's events, as the scorer reads it (``at``: seconds from the call's start)
    and as the reviewer reads it (``time``)."""

    at: float
    time: str
    kind: str
    stage: str
    step: str
    detail: dict[str, Any]


class QaReview(msgspec.Struct, frozen=True):
    """A review as the hub keeps it and sends it to the reviewed agent."""

    id: str
    call_id: str
    agent_id: str
    reviewer_id: str
    marks: dict[str, Mark]
    score: float
    compliance: float
    passed: bool
    fatal: list[str]
    created_at: str
    calibration: bool = False
    status: str = "open"  # acknowledged | disputed (with ``reason``)
    reason: str = ""
    answered_at: str | None = None
    version: int = 1


class Agreement(msgspec.Struct, frozen=True):
    items: dict[str, bool]  # item -> the two reviewers gave it the same mark
    overall: float | None  # per cent of items agreed on (None: no item in common)

    @property
    def on_target(self) -> bool:
        return self.overall is not None and self.overall >= CALIBRATION_TARGET


def expected_for(request_type: str, verification: str) -> scoring.Expected:
    """What applies to a live call: its request type (and operation, verification) as tags,
    as a scenario's tags say what applies to an attempt. A live call's verification is checked
    as it ended (a lockout fails the fatal item)."""
    tags = {tag for tag in (request_type, f"verification_{verification}" if verification else "")
            if tag}
    return scoring.Expected(tags=frozenset(tags), request_type=request_type,
                            verification="passed")


def prefill(rubric: Rubric, events: Sequence[scoring.Event], expected: scoring.Expected
            ) -> dict[str, float | None]:
    """Each item that applies: its fraction from the events, or None (the reviewer's)."""
    return {item.id: scoring.check(item, events, expected) if scoring.automatic(item) else None
            for item in rubric.items if item.applies(expected.tags)}


def missing_marks(rubric: Rubric, expected: scoring.Expected, marks: Mapping[str, Mark]
                  ) -> list[str]:
    """The reviewer's items not marked yet, and the marks not earned that have no comment."""
    wanted = [item.id for item in rubric.items
              if item.applies(expected.tags) and not scoring.automatic(item)]
    return [item for item in wanted if item not in marks] + [
        item for item, mark in marks.items() if mark.fraction < 1.0 and not mark.comment.strip()]


def review_score(rubric: Rubric, events: Sequence[scoring.Event], expected: scoring.Expected,
                 marks: Mapping[str, Mark], language: str) -> scoring.Score:
    return scoring.score(rubric, events, (), expected, language,
                         given={item: mark.fraction for item, mark in marks.items()})


def agreement(first: Mapping[str, float], second: Mapping[str, float]) -> Agreement:
    """Two reviewers' whole marks (prefilled and theirs) of the same call."""
    common = sorted(set(first) & set(second))
    items = {item: abs(first[item] - second[item]) < 1e-9 for item in common}
    overall = round(100 * sum(items.values()) / len(items), 1) if items else None
    return Agreement(items, overall)


class SampleCall(msgspec.Struct, frozen=True):
    call_id: str
    agent_id: str
    started_at: str
    reasons: tuple[str, ...] = ()  # "fatal", "lockout", "complaint"; empty: drawn at random
    reviews: int = 0  # how many reviews the call has (calibration ones too; no score)


def weekly_sample(calls: Iterable[SampleCall], per_agent: int, seed: str) -> list[SampleCall]:
    """Every flagged call, and ``per_agent`` of each agent's others drawn at random (the same
    draw for the same ``seed``: the week and the team, so a second look gives the same list)."""
    by_agent: dict[str, list[SampleCall]] = {}
    for call in calls:
        by_agent.setdefault(call.agent_id, []).append(call)
    chosen: list[SampleCall] = []
    for agent, held in sorted(by_agent.items()):
        flagged = [call for call in held if call.reasons]
        others = sorted((call for call in held if not call.reasons), key=lambda c: c.call_id)
        drawn = random.Random(f"{seed}:{agent}").sample(others, min(per_agent, len(others)))
        chosen.extend(sorted([*flagged, *drawn], key=lambda c: c.started_at))
    return chosen
