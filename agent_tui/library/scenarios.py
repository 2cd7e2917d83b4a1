"""Loading and validating the training scenarios (scripts_library/training/): the shared intents
(intents.toml) and one scenario a file. Every problem is named with its file and line, and so is a
persona that can never reach its goal: an agenda step that no intent (or call event) leads to.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from agent_tui.domain.localized import Localized
from agent_tui.domain.models import Segment
from agent_tui.domain.rubric import Rubric
from agent_tui.domain.scenario import (
    DIFFICULTIES,
    EVENT_TRIGGERS,
    LINE_KINDS,
    MOODS,
    AgendaStep,
    CustomerRecord,
    Expect,
    Intent,
    Persona,
    Reveal,
    Scenario,
    SuitabilityCase,
)
from agent_tui.domain.scripts import ScriptsLibrary
from agent_tui.domain.suitability import TOLERANCES
from agent_tui.library.loader import SUITABILITY_FILE, LibraryError, Problem
from agent_tui.library.raw_training import RawIntent, RawIntents, RawScenario
from agent_tui.library.reading import FileProblems, read_file
from agent_tui.library.suitability import Suitability, read_suitability
from agent_tui.toml_lines import Lines
from agent_tui.toml_text import read_text

TRAINING_DIR = "training"
INTENTS_FILE = "intents.toml"
VERIFICATIONS = ("passed", "locked", "third_party")


class Intents:
    """The shared intents and the simulator's default lines."""

    def __init__(self, intents: tuple[Intent, ...], lines: dict[str, Localized]) -> None:
        self.intents = intents
        self.lines = lines

    @property
    def ids(self) -> set[str]:
        return {intent.id for intent in self.intents}


def _text(raw: dict[str, str]) -> Localized:
    return Localized(zh=raw.get("zh-CN", ""), en=raw.get("en", ""))


def _intents(raw: list[RawIntent], problems: FileProblems, table: str) -> tuple[Intent, ...]:
    found: list[Intent] = []
    for index, intent in enumerate(raw):
        line = problems.entry(table, index, "examples")
        for language in ("zh-CN", "en"):
            if not [example for example in intent.examples.get(language, []) if example.strip()]:
                problems.add(line, "library.missing_translation", what="intent", id=intent.id,
                             language=language)
        if intent.id in {i.id for i in found}:
            problems.add(problems.entry(table, index, "id"), "library.duplicate_id",
                         id=intent.id, first=problems.path.name)
        found.append(Intent(intent.id, tuple(intent.examples.get("zh-CN", [])),
                            tuple(intent.examples.get("en", []))))
    return tuple(found)


def read_intents(path: Path) -> tuple[Intents | None, list[Problem]]:
    problems = FileProblems(path)
    raw = read_file(path, RawIntents, problems)
    if raw is None:
        return None, problems.problems
    intents = _intents(raw.intent, problems, "intent")
    for kind in LINE_KINDS:
        if kind not in raw.line:
            problems.add(problems.lines.tables.get("line") if problems.lines else None,
                         "library.training.missing_line", kind=kind)
    for kind, text in raw.line.items():
        line = problems.setting("line", kind)
        if kind not in LINE_KINDS:
            problems.add(line, "library.training.unknown_line", kind=kind,
                         known=", ".join(LINE_KINDS))
        problems.both_languages(text, line, "line", kind)
    lines = {kind: _text(text) for kind, text in raw.line.items()}
    return Intents(intents, lines), problems.problems


def _reachable(on: list[str], known: set[str], operations: set[str]) -> bool:
    """Whether anything the trainee can do leads to an agenda step (or a reveal)."""
    for trigger in on:
        if trigger.startswith("event:"):
            event = trigger.removeprefix("event:")
            if event in EVENT_TRIGGERS or (event.startswith("operation.")
                                           and event.removeprefix("operation.") in operations):
                return True
        elif trigger in known:
            return True
    return False


def read_scenario(path: Path, shared: Intents, library: ScriptsLibrary | None,
                  rubric: Rubric | None, suitability: Suitability | None = None
                  ) -> tuple[Scenario | None, list[Problem]]:
    problems = FileProblems(path)
    raw = read_file(path, RawScenario, problems)
    if raw is None:
        return None, problems.problems
    own = _intents(raw.intent, problems, "intent")
    known = shared.ids | {intent.id for intent in own}
    operations = set(library.verification.step_up_operations) if library else set()
    operations |= {raw.expect.operation} if raw.expect.operation else set()
    at = problems.setting
    for key in ("title", "summary"):
        problems.both_languages(getattr(raw, key), at(key), key, raw.id)
    if raw.difficulty not in DIFFICULTIES:
        problems.add(at("difficulty"), "library.training.difficulty", value=raw.difficulty,
                     known=", ".join(DIFFICULTIES))
    if raw.duration_minutes < 1:
        problems.add(at("duration_minutes"), "library.training.duration",
                     value=raw.duration_minutes)
    if not 0 < raw.pass_mark <= 100:
        problems.add(at("pass_mark"), "library.qa.pass_mark", value=raw.pass_mark)
    customer, persona = raw.customer, raw.persona
    problems.both_languages(customer.name, at("customer", "name"), "customer", customer.id)
    if customer.segment not in {segment.value for segment in Segment}:
        problems.add(at("customer", "segment"), "library.training.segment",
                     value=customer.segment, known=", ".join(s.value for s in Segment))
    if persona.mood not in MOODS:
        problems.add(at("persona", "mood"), "library.training.mood", value=persona.mood,
                     known=", ".join(MOODS))
    if not 0 < persona.patience <= 1:
        problems.add(at("persona", "patience"), "library.training.patience",
                     value=persona.patience)
    for key in ("opening", "goal"):
        problems.both_languages(getattr(persona, key), at("persona", key), "persona", key)
    for key in ("calmer", "angrier"):
        for intent in getattr(persona, key):
            if intent not in known:
                problems.add(at("persona", key), "library.training.unknown_intent",
                             id=raw.id, intent=intent)
    for kind, text in persona.lines.items():
        if kind not in LINE_KINDS:
            problems.add(at("persona", "lines"), "library.training.unknown_line", kind=kind,
                         known=", ".join(LINE_KINDS))
        problems.both_languages(text, at("persona", "lines"), "line", kind)
    reveals = []
    for index, reveal in enumerate(raw.reveal):
        problems.both_languages(reveal.text, problems.entry("reveal", index, "text"),
                                "reveal", str(index + 1))
        if not _reachable(reveal.on, known, operations):
            problems.add(problems.entry("reveal", index, "on"), "library.training.never_asked",
                         id=raw.id, on=", ".join(reveal.on) or "-")
        for difficulty in reveal.volunteer:
            if difficulty not in DIFFICULTIES:
                problems.add(problems.entry("reveal", index, "volunteer"),
                             "library.training.difficulty", value=difficulty,
                             known=", ".join(DIFFICULTIES))
        reveals.append(Reveal(tuple(reveal.on), _text(reveal.text), tuple(reveal.volunteer)))
    agenda = []
    if not raw.agenda:
        problems.add(None, "library.training.no_agenda", id=raw.id)
    for index, step in enumerate(raw.agenda):
        problems.both_languages(step.text, problems.entry("agenda", index, "text"), "agenda",
                                step.id)
        if step.id in {s.id for s in agenda}:
            problems.add(problems.entry("agenda", index, "id"), "library.duplicate_id",
                         id=step.id, first=path.name)
        if not _reachable(step.on, known, operations):
            problems.add(problems.entry("agenda", index, "on"), "library.training.unreachable",
                         id=raw.id, step=step.id, goal=raw.agenda[-1].id,
                         on=", ".join(step.on) or "-")
        agenda.append(AgendaStep(step.id, tuple(step.on), _text(step.text),
                                 problems.entry("agenda", index)))
    expect = raw.expect
    if library is not None and expect.request_type and expect.request_type not in {
            procedure.id for procedure in library.procedures}:
        problems.add(at("expect", "request_type"), "library.training.request_type",
                     value=expect.request_type,
                     known=", ".join(procedure.id for procedure in library.procedures))
    if expect.verification not in VERIFICATIONS:
        problems.add(at("expect", "verification"), "library.training.verification",
                     value=expect.verification, known=", ".join(VERIFICATIONS))
    items = {item.id for item in rubric.items} if rubric else set()
    for item_id, text in raw.model.items():
        line = at("model", item_id)
        if rubric is not None and item_id not in items:
            problems.add(line, "library.training.unknown_item", id=raw.id, item=item_id)
        problems.both_languages(text, line, "model", item_id)
    case = _suitability_case(raw, suitability, problems)
    if problems.problems:
        return None, problems.problems
    record = CustomerRecord(
        id=customer.id, name=_text(customer.name), gender=customer.gender,
        birth_date=customer.birth_date, id_number=customer.id_number, mobile=customer.mobile,
        segment=customer.segment, elderly=customer.elderly, risk_level=customer.risk_level,
        recent_amounts_cents=tuple(customer.recent_amounts_cents), card=customer.card)
    return Scenario(
        id=raw.id, title_text=_text(raw.title), summary_text=_text(raw.summary),
        difficulty=raw.difficulty, duration_minutes=raw.duration_minutes, core=raw.core,
        pass_mark=raw.pass_mark, customer_record=record,
        persona=Persona(
            mood=persona.mood, patience=persona.patience, opening=_text(persona.opening),
            goal=_text(persona.goal), calmer=tuple(persona.calmer),
            angrier=tuple(persona.angrier), silence_seconds=persona.silence_seconds,
            repeats=persona.repeats, private=tuple(persona.private),
            lines={kind: _text(text) for kind, text in persona.lines.items()}),
        reveals=tuple(reveals), agenda=tuple(agenda),
        expect=Expect(expect.request_type, expect.operation, expect.verification),
        tags=tuple(raw.tags), model={k: _text(v) for k, v in raw.model.items()},
        intents=own, path=str(path), suitability=case,
    ), []


def _suitability_case(raw: RawScenario, suitability: Suitability | None,
                      problems: FileProblems) -> SuitabilityCase | None:
    """[suitability]: the customer's assessment and the product asked about, for the engine."""
    if raw.suitability is None:
        return None
    given = raw.suitability
    if given.level not in TOLERANCES:
        problems.add(problems.setting("suitability", "level"),
                     "library.suitability.unknown_tolerance", tolerance=given.level,
                     known=", ".join(TOLERANCES))
    if given.assessed_days_ago < 0:
        problems.add(problems.setting("suitability", "assessed_days_ago"),
                     "library.training.assessed_days_ago", value=given.assessed_days_ago)
    product = next((p for p in suitability.products if p.id == given.product),
                   None) if suitability else None
    if product is None:
        known = ", ".join(p.id for p in suitability.products) if suitability else "-"
        problems.add(problems.setting("suitability", "product"),
                     "library.training.unknown_product", id=given.product, known=known)
        return None
    assert suitability is not None
    return SuitabilityCase(given.level, given.assessed_days_ago, product, suitability.rules)


def _with_shared(scenario: Scenario, shared: Intents) -> Scenario:
    """The scenario with the shared intents beside its own (its own win), and the simulator's
    default lines under its persona's rewordings."""
    own = {intent.id for intent in scenario.intents}
    intents = (*(i for i in shared.intents if i.id not in own), *scenario.intents)
    lines = {**shared.lines, **scenario.persona.lines}
    persona = msgspec.structs.replace(scenario.persona, lines=lines)
    return msgspec.structs.replace(scenario, intents=intents, persona=persona)


def read_training(library_folder: Path, library: ScriptsLibrary | None,
                  rubric: Rubric | None) -> tuple[Intents | None, list[Scenario], list[Problem]]:
    """The shared intents and every scenario of ``library_folder``/training, with all problems."""
    folder = Path(library_folder) / TRAINING_DIR
    if not folder.is_dir():
        return None, [], []
    intents, problems = read_intents(folder / INTENTS_FILE)
    if intents is None:
        return None, [], problems
    # The products and rules a suitability scenario names (their own problems are reported by
    # scripts check reading suitability.toml itself).
    rules_file = Path(library_folder) / SUITABILITY_FILE
    suitability = read_suitability(rules_file)[0] if rules_file.exists() else None
    scenarios: list[Scenario] = []
    first: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == INTENTS_FILE:
            continue
        scenario, found = read_scenario(path, intents, library, rubric, suitability)
        problems += found
        if scenario is None:
            continue
        if scenario.id in first:
            line = Lines(read_text(path)).setting(("id",))
            problems.append(Problem(str(path), line, "library.duplicate_id",
                                    {"id": scenario.id, "first": first[scenario.id]}))
            continue
        first[scenario.id] = path.name
        scenarios.append(_with_shared(scenario, intents))
    return intents, scenarios, problems


def load_training(library_folder: Path, library: ScriptsLibrary | None,
                  rubric: Rubric | None) -> tuple[Intents, list[Scenario]]:
    """The intents and scenarios, or LibraryError with every problem."""
    intents, scenarios, problems = read_training(library_folder, library, rubric)
    if problems:
        raise LibraryError(problems)
    if intents is None:
        raise LibraryError([Problem(str(Path(library_folder) / TRAINING_DIR), None,
                                    "library.training.none", {})])
    return intents, scenarios
