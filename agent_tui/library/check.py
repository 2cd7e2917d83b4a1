"""Everything ``agent-tui scripts check`` checks: the scripts library, the QA rubric beside it
(qa.toml) and the training scenarios under it (training/), all problems reported at once."""

from __future__ import annotations

from pathlib import Path

import msgspec

from agent_tui.domain.questionnaire import Questionnaire
from agent_tui.domain.rubric import Rubric
from agent_tui.domain.scenario import Scenario
from agent_tui.domain.scripts import ScriptsLibrary
from agent_tui.library.loader import (
    QA_FILE,
    QUESTIONNAIRE_FILE,
    SUITABILITY_FILE,
    LibraryError,
    Problem,
    load_library,
)
from agent_tui.library.qa import read_rubric
from agent_tui.library.questionnaire import read_questionnaire
from agent_tui.library.scenarios import INTENTS_FILE, TRAINING_DIR, read_intents, read_training
from agent_tui.library.suitability import Suitability, read_suitability


class Checked(msgspec.Struct, frozen=True):
    library: ScriptsLibrary
    rubric: Rubric | None
    scenarios: tuple[Scenario, ...]
    suitability: Suitability | None = None
    questionnaire: Questionnaire | None = None


def check_all(folder: Path) -> Checked:
    """The library, its rubric and scenarios; LibraryError listing every problem of them all."""
    folder = Path(folder)
    problems: list[Problem] = []
    try:
        library: ScriptsLibrary | None = load_library(folder)
    except LibraryError as error:
        library, problems = None, list(error.problems)
    intents, found = read_intents(folder / TRAINING_DIR / INTENTS_FILE) \
        if (folder / TRAINING_DIR).is_dir() else (None, [])
    rubric = None
    if (folder / QA_FILE).exists():
        steps = {step.id for group in (*library.stages, *library.procedures)
                 for step in group.steps} if library else None
        rubric, found = read_rubric(folder / QA_FILE, steps, intents.ids if intents else None)
        problems += found
    _intents, scenarios, found = read_training(folder, library, rubric)
    problems += [problem for problem in found if problem not in problems]
    suitability = None
    if (folder / SUITABILITY_FILE).exists():
        suitability, found = read_suitability(folder / SUITABILITY_FILE)
        problems += found
    questionnaire = None
    if (folder / QUESTIONNAIRE_FILE).exists():
        questionnaire, found = read_questionnaire(folder / QUESTIONNAIRE_FILE)
        problems += found
    if problems or library is None:
        raise LibraryError(problems)
    return Checked(library, rubric, tuple(scenarios), suitability, questionnaire)
