"""The training scenarios of a scripts library, and the QA rubric they are scored with."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from agent_tui.domain.rubric import Rubric
from agent_tui.domain.scenario import Scenario
from agent_tui.library import load_library
from agent_tui.library.qa import load_rubric
from agent_tui.library.scenarios import TRAINING_DIR, load_training

__all__ = ["Scenario", "find_scenario", "load_scenarios", "rubric_of"]


def load_scenarios(library_folder: Path) -> list[Scenario]:
    """Every scenario of ``library_folder``/training, sorted by id; LibraryError (file:line)
    when any of them, the rubric or the library has a problem."""
    folder = Path(library_folder)
    library = load_library(folder)
    _intents, scenarios = load_training(folder, library, rubric_of_folder(folder))
    return sorted(scenarios, key=lambda scenario: scenario.id)


def find_scenario(scenarios: list[Scenario], scenario_id: str) -> Scenario | None:
    return next((scenario for scenario in scenarios if scenario.id == scenario_id), None)


@lru_cache(maxsize=4)
def rubric_of_folder(library_folder: Path) -> Rubric:
    return load_rubric(library_folder)


def rubric_of(scenario: Scenario) -> Rubric:
    """The rubric of the library the scenario came from (its qa.toml)."""
    path = Path(scenario.path)
    folder = path.parent.parent if path.parent.name == TRAINING_DIR else path.parent
    return rubric_of_folder(folder)
