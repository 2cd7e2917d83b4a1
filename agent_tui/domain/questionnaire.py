"""The risk-tolerance questionnaire (issue 18): the customer's answers scored, and the total
placed in a band that gives the tolerance C1-C5 the suitability engine (``domain.suitability``)
sells by. Pure: the questions, the options' scores and the bands come as data
(scripts_library/risk_questionnaire.toml, read by library/questionnaire.py). The workstation
scores to show the agent the level, and the hub scores again from the same answers (the hub is the
authority: the level a workstation sends is never taken).

Answers are ``{question id: option letter}``, the letters A, B, C ... by the options' order, as
the printed form numbers them."""

from __future__ import annotations

import string
from collections.abc import Mapping

import msgspec

from agent_tui.domain.localized import Localized

LETTERS = string.ascii_uppercase[:6]  # at most six options to a question: A-F


class Option(msgspec.Struct, frozen=True):
    text: Localized
    score: int


class Question(msgspec.Struct, frozen=True):
    id: str
    text: Localized
    options: tuple[Option, ...]

    def option(self, letter: str) -> Option | None:
        index = LETTERS.find(letter) if len(letter) == 1 else -1
        return self.options[index] if 0 <= index < len(self.options) else None


class Band(msgspec.Struct, frozen=True):
    level: str  # C1 .. C5
    min_score: int  # a total of at least this (and below the next band's) is this level


class Questionnaire(msgspec.Struct, frozen=True):
    version: str
    title: Localized
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]  # by min_score, ascending: C1 first

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class Scored(msgspec.Struct, frozen=True):
    total: int
    level: str


class Unscorable(ValueError):
    """The answers cannot be scored: ``question_id`` is unanswered (``incomplete``) or answered
    with an option it does not have, or names no question (``bad_answer``)."""

    def __init__(self, reason: str, question_id: str) -> None:
        super().__init__(f"{reason}: {question_id}")
        self.reason = reason
        self.question_id = question_id


def first_unanswered(questionnaire: Questionnaire, answers: Mapping[str, str]) -> Question | None:
    """The first question, in the form's order, with no answer: the one the agent is sent to."""
    return next((q for q in questionnaire.questions if q.id not in answers), None)


def level_for(questionnaire: Questionnaire, total: int) -> str:
    """The band ``total`` falls in (below the first band's floor: the first, the most cautious)."""
    level = questionnaire.bands[0].level
    for band in questionnaire.bands:
        if total >= band.min_score:
            level = band.level
    return level


def score(questionnaire: Questionnaire, answers: Mapping[str, str]) -> Scored:
    """The total of the chosen options and its level; ``Unscorable`` unless every question has
    one of its own options and nothing else is answered."""
    for question_id in answers:
        if questionnaire.question(question_id) is None:
            raise Unscorable("bad_answer", question_id)
    total = 0
    for question in questionnaire.questions:
        letter = answers.get(question.id)
        if letter is None:
            raise Unscorable("incomplete", question.id)
        option = question.option(letter) if isinstance(letter, str) else None
        if option is None:
            raise Unscorable("bad_answer", question.id)
        total += option.score
    return Scored(total, level_for(questionnaire, total))


def score_range(questionnaire: Questionnaire) -> tuple[int, int]:
    """The lowest and the highest total the questionnaire can give."""
    return (sum(min(o.score for o in q.options) for q in questionnaire.questions),
            sum(max(o.score for o in q.options) for q in questionnaire.questions))
