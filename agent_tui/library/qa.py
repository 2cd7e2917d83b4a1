"""Loading and validating the QA rubric (scripts_library/qa.toml): weights summing to 100, known
checks and sections, both languages, a word list for a ``no_words`` item; every problem with its
file and line."""

from __future__ import annotations

from pathlib import Path

from agent_tui.domain.localized import Localized
from agent_tui.domain.rubric import CHECKS, MODES, Item, Rubric, Section
from agent_tui.domain.scripts import STAGE_ORDER
from agent_tui.library.loader import QA_FILE, LibraryError, Problem
from agent_tui.library.raw_training import RawRubric
from agent_tui.library.reading import FileProblems, read_file


def _text(raw: dict[str, str]) -> Localized:
    return Localized(zh=raw.get("zh-CN", ""), en=raw.get("en", ""))


def read_rubric(path: Path, steps: set[str] | None = None, intents: set[str] | None = None
                ) -> tuple[Rubric | None, list[Problem]]:
    """The rubric, or None and its problems; ``steps`` and ``intents``, when known (the library's
    steps, the training intents), are what an item may name."""
    problems = FileProblems(path)
    raw = read_file(path, RawRubric, problems)
    if raw is None:
        return None, problems.problems
    sections: list[Section] = []
    for index, section in enumerate(raw.section):
        line = problems.entry("section", index, "id")
        if section.id in {s.id for s in sections}:
            problems.add(line, "library.duplicate_id", id=section.id, first=path.name)
        problems.both_languages(section.name, problems.entry("section", index, "name"),
                                "section", section.id)
        if section.weight <= 0:
            problems.add(problems.entry("section", index, "weight"), "library.qa.weight",
                         id=section.id, weight=section.weight)
        sections.append(Section(section.id, _text(section.name), section.weight,
                                section.compliance))
    total = sum(section.weight for section in sections)
    if sections and abs(total - 100) > 1e-6:
        problems.add(problems.entry("section", 0), "library.qa.total", total=total)
    if not sections:
        problems.add(None, "library.qa.no_sections")
    section_ids = {section.id for section in sections}
    items: list[Item] = []
    for index, item in enumerate(raw.item):
        def line(key: str | None = None, index: int = index) -> int | None:
            return problems.entry("item", index, key)

        if item.id in {i.id for i in items}:
            problems.add(line("id"), "library.duplicate_id", id=item.id, first=path.name)
        problems.both_languages(item.name, line("name"), "item", item.id)
        if item.model:
            problems.both_languages(item.model, line("model"), "item", item.id)
        if item.section not in section_ids:
            problems.add(line("section"), "library.qa.unknown_section", id=item.id,
                         section=item.section, known=", ".join(sorted(section_ids)))
        if item.check not in CHECKS:
            problems.add(line("check"), "library.qa.unknown_check", id=item.id,
                         check=item.check, known=", ".join(CHECKS))
        if item.mode not in MODES:
            problems.add(line("mode"), "library.qa.unknown_mode", id=item.id, mode=item.mode)
        if item.check == "done" and not (item.steps or item.intents):
            problems.add(line("check"), "library.qa.nothing_to_do", id=item.id)
        for step in item.steps if steps is not None else ():
            if step not in steps:
                problems.add(line("steps"), "library.qa.unknown_step", id=item.id, step=step)
        for intent in item.intents if intents is not None else ():
            if intent not in intents:
                problems.add(line("intents"), "library.qa.unknown_intent", id=item.id,
                             intent=intent)
        if item.check == "no_words" and not [word for word in item.words if word.strip()]:
            problems.add(line("words"), "library.qa.no_words", id=item.id)
        if item.stage and item.stage not in STAGE_ORDER:
            problems.add(line("stage"), "library.qa.unknown_stage", id=item.id,
                         stage=item.stage, known=", ".join(STAGE_ORDER))
        if item.points <= 0:
            problems.add(line("points"), "library.qa.points", id=item.id)
        items.append(Item(
            id=item.id, section=item.section, name=_text(item.name), check=item.check,
            points=item.points, fatal=item.fatal, when=tuple(item.when),
            unless=tuple(item.unless), steps=tuple(item.steps), intents=tuple(item.intents),
            mode=item.mode, words=tuple(item.words), stage=item.stage,
            model=_text(item.model) if item.model else None))
    if not 0 < raw.qa.pass_mark <= 100:
        problems.add(problems.setting("qa", "pass_mark"), "library.qa.pass_mark",
                     value=raw.qa.pass_mark)
    if problems.problems:
        return None, problems.problems
    return Rubric(tuple(sections), tuple(items), raw.qa.pass_mark), []


def load_rubric(library_folder: Path) -> Rubric:
    """The rubric of the library in ``library_folder``, or LibraryError with every problem."""
    rubric, problems = read_rubric(Path(library_folder) / QA_FILE)
    if rubric is None:
        raise LibraryError(problems)
    return rubric
