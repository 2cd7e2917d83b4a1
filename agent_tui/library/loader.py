"""Loading and validating the scripts library: every problem as ``file:line: reason``.

All ``*.toml`` files of the folder are read and merged, then checked as one library: shapes and
types, both languages everywhere, unique ids, the four stages in order, known variables, phrases
and steps that refer to things that exist, a sane verification policy, and no approved phrase
that says a forbidden word. All problems are reported at once, so a trainer fixes them in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
import tomli

from agent_tui.domain.phrasing import ForbiddenRule, PhraseGuard
from agent_tui.domain.scripts import (
    SEGMENTS,
    STAGE_ORDER,
    VARIABLES,
    VERIFICATION_FACTORS,
    Localized,
    Phrase,
    Procedure,
    ScriptsLibrary,
    Stage,
    Step,
    VerificationPolicy,
    variables_in,
)
from agent_tui.i18n import Catalog, TranslatableError
from agent_tui.library.case_rules import escalation_groups, escalation_rules, sla_policy
from agent_tui.library.kb import load_articles
from agent_tui.library.kpi_rules import kpi_targets
from agent_tui.library.problem import Problem
from agent_tui.library.raw import (
    RawEscalation,
    RawEscalationGroup,
    RawFile,
    RawKpiTarget,
    RawSla,
    RawStep,
    RawVerification,
)
from agent_tui.toml_lines import Lines
from agent_tui.toml_text import TooDeep, parse, read_text

LANGUAGES = ("zh-CN", "en")
QA_FILE = "qa.toml"
SUITABILITY_FILE = "suitability.toml"  # read by agent_tui.library.suitability
QUESTIONNAIRE_FILE = "risk_questionnaire.toml"  # read by agent_tui.library.questionnaire
_AT_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")


class LibraryError(TranslatableError):
    """The library cannot be used; ``problems`` lists every reason with its file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("library.invalid", count=len(problems))
        self.problems = problems

    def report(self, catalog: Catalog) -> str:
        lines = [catalog.text("library.invalid", count=len(self.problems))]
        lines += [f"  {problem.text(catalog)}" for problem in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report(Catalog.load("en"))


@dataclass
class _Where:
    """One entry of one file: enough to name its line."""

    path: Path
    lines: Lines
    table: str
    index: int

    def line(self, key: str | None = None) -> int | None:
        if key is None:
            return self.lines.entry(self.table, self.index)
        return self.lines.key(self.table, self.index, key)


@dataclass
class _Collected:
    stages: list[tuple[object, _Where]] = field(default_factory=list)
    steps: dict[int, list[_Where]] = field(default_factory=dict)  # id(raw stage/procedure)
    procedures: list[tuple[object, _Where]] = field(default_factory=list)
    phrases: list[tuple[object, _Where]] = field(default_factory=list)
    forbidden: list[tuple[object, _Where]] = field(default_factory=list)
    allowed: list[tuple[object, _Where]] = field(default_factory=list)
    verification: tuple[RawVerification, _Where] | None = None
    sla: tuple[RawSla, _Where, int | None] | None = None
    escalation: list[tuple[RawEscalation, _Where]] = field(default_factory=list)
    groups: list[tuple[RawEscalationGroup, _Where]] = field(default_factory=list)
    kpi_targets: list[tuple[RawKpiTarget, _Where]] = field(default_factory=list)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.ids: dict[str, str] = {}  # id -> where it was first defined

    def add(self, where: _Where | Path, line: int | None, key: str, **values: object) -> None:
        path = where.path if isinstance(where, _Where) else where
        self.problems.append(Problem(str(path), line, key, values))

    def unique(self, entry_id: str, where: _Where) -> None:
        location = f"{where.path.name}:{where.line('id')}"
        if entry_id in self.ids:
            self.add(where, where.line("id"), "library.duplicate_id", id=entry_id,
                     first=self.ids[entry_id])
        else:
            self.ids[entry_id] = location

    def localized(self, raw: dict[str, str], where: _Where, key: str, what: str,
                  entry_id: str) -> Localized:
        for language in LANGUAGES:
            if not raw.get(language, "").strip():
                self.add(where, where.line(key), "library.missing_translation", what=what,
                         id=entry_id, language=language)
        for extra in sorted(set(raw) - set(LANGUAGES)):
            self.add(where, where.line(key), "library.unknown_language", id=entry_id,
                     language=extra, languages=", ".join(LANGUAGES))
        return Localized(zh=raw.get("zh-CN", ""), en=raw.get("en", ""))


def _read(path: Path, checker: _Checker, collected: _Collected) -> None:
    try:
        text = read_text(path)
        data = parse(text)
    except UnicodeDecodeError:
        checker.add(path, None, "library.not_text")
        return
    except tomli.TOMLDecodeError as error:
        checker.add(path, error.lineno, "library.syntax", reason=str(error))
        return
    except TooDeep as error:
        checker.add(path, error.line, "library.too_deep")
        return
    except OSError as error:
        checker.add(path, None, "library.unreadable", reason=error.strerror or str(error))
        return
    lines = Lines(text)
    try:
        raw = msgspec.convert(data, RawFile, strict=True)
    except msgspec.ValidationError as error:
        checker.add(path, _line_of_error(str(error), data, lines), "library.bad_entry",
                    reason=str(error))
        return
    step_index = {"stage.step": 0, "procedure.step": 0}
    for table, entries, target in (("stage", raw.stage, collected.stages),
                                   ("procedure", raw.procedure, collected.procedures)):
        for index, entry in enumerate(entries):
            target.append((entry, _Where(path, lines, table, index)))
            wheres = []
            for _step in entry.step:
                wheres.append(_Where(path, lines, f"{table}.step", step_index[f"{table}.step"]))
                step_index[f"{table}.step"] += 1
            collected.steps[id(entry)] = wheres
    for table, entries, target in (("phrase", raw.phrase, collected.phrases),
                                   ("forbidden", raw.forbidden, collected.forbidden),
                                   ("allowed", raw.allowed, collected.allowed),
                                   ("escalation", raw.escalation, collected.escalation),
                                   ("escalation_group", raw.escalation_group, collected.groups),
                                   ("kpi_target", raw.kpi_target, collected.kpi_targets)):
        target.extend((entry, _Where(path, lines, table, index))
                      for index, entry in enumerate(entries))
    if raw.verification is not None:
        where = _Where(path, lines, "verification", -1)
        if collected.verification is not None:
            checker.add(where, lines.tables.get("verification"), "library.duplicate_table",
                        table="verification", first=str(collected.verification[1].path.name))
        collected.verification = (raw.verification, where)
    if raw.sla is not None:
        where = _Where(path, lines, "sla", -1)
        if collected.sla is not None:
            checker.add(where, lines.tables.get("sla"), "library.duplicate_table",
                        table="sla", first=str(collected.sla[1].path.name))
        collected.sla = (raw.sla, where, lines.tables.get("sla"))


def _line_of_error(message: str, data: dict, lines: Lines) -> int | None:
    """msgspec names the bad value by path (``$.stage[0].step[2].text``): find its line."""
    at = _AT_PATH.search(message)
    if not at:
        return None
    parts = re.findall(r"\.([\w-]+)|\[(\d+)\]", at["path"])
    if not parts or not parts[0][0]:
        return None
    table, index = parts[0][0], int(parts[1][1]) if len(parts) > 1 and parts[1][1] else 0
    key = parts[2][0] if len(parts) > 2 else None
    if key == "step" and len(parts) > 3 and parts[3][1]:
        # Nested steps are numbered across all the entries of the table, in document order.
        before = sum(len(entry.get("step", [])) for entry in data.get(table, [])[:index])
        step = before + int(parts[3][1])
        step_key = parts[4][0] if len(parts) > 4 else None
        return lines.key(f"{table}.step", step, step_key) if step_key else lines.entry(
            f"{table}.step", step)
    if table in ("verification", "sla"):
        return lines.tables.get(table)
    return lines.key(table, index, key) if key else lines.entry(table, index)


def _steps(raw_steps: list[RawStep], wheres: list[_Where], checker: _Checker) -> tuple[Step, ...]:
    steps = []
    for raw, where in zip(raw_steps, wheres, strict=True):
        checker.unique(raw.id, where)
        text = checker.localized(raw.text, where, "text", "step", raw.id)
        steps.append(Step(raw.id, raw.required, text, tuple(raw.phrases)))
    return tuple(steps)


def _build(collected: _Collected, checker: _Checker, root: Path) -> ScriptsLibrary:
    stages: list[Stage] = []
    for raw, where in collected.stages:
        checker.unique(raw.id, where)
        name = checker.localized(raw.name, where, "name", "stage", raw.id)
        stages.append(Stage(raw.id, name, _steps(raw.step, collected.steps[id(raw)], checker)))
    found = [stage.id for stage in stages]
    if found != list(STAGE_ORDER):
        where = collected.stages[0][1] if collected.stages else None
        checker.add(where or root, where.line() if where else None, "library.stages",
                    expected=", ".join(STAGE_ORDER), found=", ".join(found) or "-")
    procedures: list[Procedure] = []
    for raw, where in collected.procedures:
        checker.unique(raw.id, where)
        name = checker.localized(raw.name, where, "name", "procedure", raw.id)
        procedures.append(
            Procedure(raw.id, name, _steps(raw.step, collected.steps[id(raw)], checker))
        )
    step_ids = {step.id for group in (*stages, *procedures) for step in group.steps}
    stage_ids = set(found)
    phrases: list[Phrase] = []
    for raw, where in collected.phrases:
        checker.unique(raw.id, where)
        text = checker.localized(raw.text, where, "text", "phrase", raw.id)
        if raw.stage not in stage_ids:
            checker.add(where, where.line("stage"), "library.unknown_stage", id=raw.id,
                        stage=raw.stage)
        if raw.step and raw.step not in step_ids:
            checker.add(where, where.line("step"), "library.unknown_step", id=raw.id,
                        step=raw.step)
        if raw.segment not in SEGMENTS:
            checker.add(where, where.line("segment"), "library.unknown_segment", id=raw.id,
                        segment=raw.segment, segments=", ".join(SEGMENTS))
        for language in LANGUAGES:
            for name in variables_in(text(language)):
                if name not in VARIABLES:
                    checker.add(where, where.line("text"), "library.unknown_variable",
                                id=raw.id, name=name, known=", ".join(sorted(VARIABLES)))
        phrases.append(Phrase(raw.id, raw.stage, raw.step, raw.segment, text))
    phrase_ids = {phrase.id for phrase in phrases}
    for group in (collected.stages, collected.procedures):
        for raw, _where in group:
            for raw_step, step_where in zip(raw.step, collected.steps[id(raw)], strict=True):
                for phrase_id in raw_step.phrases:
                    if phrase_id not in phrase_ids:
                        checker.add(step_where, step_where.line("phrases"),
                                    "library.missing_phrase", id=raw_step.id, phrase=phrase_id)
    rules, allowed = _forbidden(collected, checker)
    _no_forbidden_in_phrases(phrases, collected.phrases, rules, allowed, checker)
    _no_forbidden_in_replacements(rules, collected.forbidden, allowed, checker)
    categories = {procedure.id for procedure in procedures}
    sla, attach_window_days = sla_policy(collected.sla, categories, checker)
    groups = escalation_groups(collected.groups, root, checker)
    return ScriptsLibrary(
        stages=tuple(stages), procedures=tuple(procedures), phrases=tuple(phrases),
        verification=_verification(collected, checker), forbidden=tuple(rules),
        allowed={language: tuple(words) for language, words in allowed.items()},
        sla=sla, attach_window_days=attach_window_days,
        escalation=escalation_rules(collected.escalation, categories, groups, checker),
        escalation_groups=groups,
        kpi_targets=kpi_targets(collected.kpi_targets, checker),
    )


def _forbidden(
    collected: _Collected, checker: _Checker
) -> tuple[list[ForbiddenRule], dict[str, list[str]]]:
    rules: list[ForbiddenRule] = []
    for raw, where in collected.forbidden:
        checker.unique(raw.id, where)
        reason = checker.localized(raw.reason, where, "reason", "forbidden", raw.id)
        if raw.language not in LANGUAGES:
            checker.add(where, where.line("language"), "library.unknown_language", id=raw.id,
                        language=raw.language, languages=", ".join(LANGUAGES))
        if not raw.words or not all(word.strip() for word in raw.words):
            checker.add(where, where.line("words"), "library.empty_words", id=raw.id)
        if not raw.replacement.strip():
            checker.add(where, where.line("replacement"), "library.empty_replacement", id=raw.id)
        rules.append(ForbiddenRule(
            id=raw.id, language=raw.language, words=tuple(word for word in raw.words if word),
            replacement=raw.replacement, reason_zh=reason.zh, reason_en=reason.en,
            clause=raw.clause,
        ))
    allowed: dict[str, list[str]] = {}
    for raw, where in collected.allowed:
        if raw.language not in LANGUAGES:
            checker.add(where, where.line("language"), "library.unknown_language", id="allowed",
                        language=raw.language, languages=", ".join(LANGUAGES))
        allowed.setdefault(raw.language, []).extend(word for word in raw.words if word)
    return rules, allowed


def _no_forbidden_in_phrases(phrases, wheres, rules, allowed, checker: _Checker) -> None:
    """An approved phrase that says a forbidden word would teach agents the wrong thing."""
    guard = PhraseGuard(rules, allowed)
    for phrase, (_raw, where) in zip(phrases, wheres, strict=True):
        for language in LANGUAGES:
            for hit in guard.check(phrase.text(language)):
                checker.add(where, where.line("text"), "library.forbidden_in_phrase",
                            id=phrase.id, word=hit.word, rule=hit.rule_id)


def _no_forbidden_in_replacements(rules, wheres, allowed, checker: _Checker) -> None:
    """A replacement that says a forbidden word would be caught again the moment F8 put it in."""
    guard = PhraseGuard(rules, allowed)
    for rule, (_raw, where) in zip(rules, wheres, strict=True):
        for hit in guard.check(rule.replacement):
            checker.add(where, where.line("replacement"), "library.forbidden_in_replacement",
                        id=rule.id, word=hit.word, rule=hit.rule_id)


def _verification(collected: _Collected, checker: _Checker) -> VerificationPolicy:
    if collected.verification is None:
        return VerificationPolicy()
    raw, where = collected.verification
    line = where.lines.tables.get("verification")
    for factor in (*raw.required, *raw.any_of):
        if factor not in VERIFICATION_FACTORS:
            checker.add(where, line, "library.unknown_factor", factor=factor,
                        factors=", ".join(VERIFICATION_FACTORS))
    if not 1 <= raw.need <= len(raw.any_of):
        checker.add(where, line, "library.bad_need", need=raw.need, count=len(raw.any_of))
    if raw.max_attempts < 1:
        checker.add(where, line, "library.bad_attempts", attempts=raw.max_attempts)
    emergency = checker.localized(raw.offline_emergency, where, "offline_emergency",
                                  "verification.offline_emergency", "verification") \
        if raw.offline_emergency else VerificationPolicy().offline_emergency
    return VerificationPolicy(
        required=tuple(raw.required), any_of=tuple(raw.any_of), need=raw.need,
        max_attempts=raw.max_attempts,
        step_up_operations=tuple(raw.step_up_operations) or VerificationPolicy().step_up_operations,
        offline_emergency=emergency,
    )


def load_library(folder: Path) -> ScriptsLibrary:
    """The library in ``folder``, or LibraryError listing every problem found."""
    folder = Path(folder)
    # qa.toml is the QA rubric, read by agent_tui.library.qa (scripts check reads both).
    files = sorted(path for path in folder.glob("*.toml")
                   if path.name not in (QA_FILE, SUITABILITY_FILE, QUESTIONNAIRE_FILE)) \
        if folder.is_dir() else []
    if not files:
        raise LibraryError([Problem(str(folder), None, "library.empty", {})])
    checker, collected = _Checker(), _Collected()
    for path in files:
        _read(path, checker, collected)
    procedures = frozenset(raw.id for raw, _where in collected.procedures)
    articles = load_articles(folder, procedures, checker.problems)
    library = _build(collected, checker, folder) if not checker.problems else None
    if checker.problems or library is None:
        raise LibraryError(checker.problems)
    return msgspec.structs.replace(library, articles=articles)
