"""Loading and validating the risk-tolerance questionnaire (scripts_library/risk_questionnaire.toml):
a version, questions with unique ids, two to six options each with a score of at least 0, every
text in both languages, and score bands giving C1-C5 once each, in order, with rising floors
that a total can reach; every problem as file:line."""

from __future__ import annotations

from pathlib import Path

import msgspec

from agent_tui.domain.localized import Localized
from agent_tui.domain.questionnaire import (
    LETTERS,
    Band,
    Option,
    Question,
    Questionnaire,
    score_range,
)
from agent_tui.domain.suitability import TOLERANCES
from agent_tui.library.loader import QUESTIONNAIRE_FILE, LibraryError, Problem
from agent_tui.library.reading import FileProblems, read_file

Text = dict[str, str]


class _Entry(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class RawOption(_Entry):
    text: Text
    score: int


class RawQuestion(_Entry):
    id: str
    text: Text
    options: list[RawOption]


class RawBand(_Entry):
    level: str
    min_score: int


class RawQuestionnaire(_Entry):
    version: str
    title: Text
    band: list[RawBand]
    question: list[RawQuestion]


def _text(raw: Text) -> Localized:
    return Localized(zh=raw.get("zh-CN", "").strip(), en=raw.get("en", "").strip())


def read_questionnaire(path: Path) -> tuple[Questionnaire | None, list[Problem]]:
    problems = FileProblems(path)
    raw = read_file(path, RawQuestionnaire, problems)
    if raw is None:
        return None, problems.problems
    if not raw.version.strip():
        problems.add(problems.setting("version"), "library.questionnaire.no_version")
    problems.both_languages(raw.title, problems.setting("title"), "questionnaire", "title")
    questions = _questions(raw, problems)
    bands = _bands(raw, problems)
    if problems.problems:
        return None, problems.problems
    questionnaire = Questionnaire(raw.version.strip(), _text(raw.title), tuple(questions),
                                  tuple(bands))
    lowest, highest = score_range(questionnaire)
    for index, band in enumerate(bands[1:], start=1):
        if band.min_score > highest:  # a level no customer could ever be given
            problems.add(problems.entry("band", index, "min_score"),
                         "library.questionnaire.unreachable", level=band.level,
                         min_score=band.min_score, highest=highest)
    if bands[0].min_score > lowest:
        problems.add(problems.entry("band", 0, "min_score"), "library.questionnaire.first_band",
                     level=bands[0].level, min_score=bands[0].min_score, lowest=lowest)
    return (None, problems.problems) if problems.problems else (questionnaire, [])


def _questions(raw: RawQuestionnaire, problems: FileProblems) -> list[Question]:
    if not raw.question:
        problems.add(None, "library.questionnaire.no_questions")
    questions: list[Question] = []
    for index, question in enumerate(raw.question):
        if not question.id.strip() or question.id in {known.id for known in questions}:
            problems.add(problems.entry("question", index, "id"),
                         "library.questionnaire.bad_id", id=question.id)
        problems.both_languages(question.text, problems.entry("question", index, "text"),
                                "question", question.id)
        line = problems.entry("question", index, "options")
        if not 2 <= len(question.options) <= len(LETTERS):
            problems.add(line, "library.questionnaire.option_count", id=question.id,
                         count=len(question.options), most=len(LETTERS))
            continue
        for letter, option in zip(LETTERS, question.options, strict=False):
            problems.both_languages(option.text, line, "option", f"{question.id} {letter}")
            if option.score < 0:
                problems.add(line, "library.questionnaire.negative", id=question.id,
                             letter=letter, score=option.score)
        questions.append(Question(question.id, _text(question.text), tuple(
            Option(_text(option.text), option.score) for option in question.options)))
    return questions


def _bands(raw: RawQuestionnaire, problems: FileProblems) -> list[Band]:
    """C1-C5 once each, in that order, each floor above the one before."""
    levels = [band.level for band in raw.band]
    if levels != list(TOLERANCES):
        problems.add(problems.entry("band", 0) if raw.band else None,
                     "library.questionnaire.band_levels", levels=", ".join(levels) or "-",
                     known=", ".join(TOLERANCES))
        return []
    for index in range(1, len(raw.band)):
        if raw.band[index].min_score <= raw.band[index - 1].min_score:
            problems.add(problems.entry("band", index, "min_score"),
                         "library.questionnaire.band_order", level=raw.band[index].level,
                         min_score=raw.band[index].min_score)
    return [Band(band.level, band.min_score) for band in raw.band]


def load_questionnaire(folder: Path) -> Questionnaire:
    """The questionnaire in ``folder``, or LibraryError listing every problem."""
    questionnaire, problems = read_questionnaire(Path(folder) / QUESTIONNAIRE_FILE)
    if questionnaire is None:
        raise LibraryError(problems)
    return questionnaire
