"""``agent-tui train``: the training scenarios without a screen — list them, and replay a golden
transcript through the call engine and the simulator, printing its score."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from agent_tui.domain.text import sanitize


def _library_folder(config_file: Path | None) -> tuple[Path, str]:
    from agent_tui.cli_config import _load

    config, language = _load(config_file, None, None, None)
    return config.scripts_path(), language


def _scenarios(folder: Path, language: str):
    from agent_tui.i18n import Catalog
    from agent_tui.library import LibraryError
    from agent_tui.training.catalog import load_scenarios

    try:
        return load_scenarios(folder)
    except LibraryError as error:
        click.echo(error.report(Catalog.load(language)), err=True)
        sys.exit(2)


@click.group()
def train() -> None:
    """Training: practise calls against simulated customers, scored like live calls."""


@train.command("list")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False))
def train_list(config_file: Path | None) -> None:
    """The scenarios: id, title, languages, difficulty, minutes, core."""
    from agent_tui.i18n import Catalog

    folder, language = _library_folder(config_file)
    catalog = Catalog.load(language)
    click.echo(catalog.text("train.list_header"))
    for scenario in _scenarios(folder, language):
        click.echo("\t".join(sanitize(field) for field in (
            scenario.id, scenario.title(language), ",".join(scenario.languages),
            scenario.difficulty, str(scenario.duration_minutes), "core" if scenario.core else "-",
        )))


@train.command("replay")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the score as JSON.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False))
def train_replay(path: Path, as_json: bool, config_file: Path | None) -> None:
    """Replay a golden transcript without a screen and print its score."""
    from agent_tui.i18n import Catalog
    from agent_tui.library import load_library
    from agent_tui.training.catalog import find_scenario
    from agent_tui.training.golden import GoldenError, read_golden, replay

    folder, language = _library_folder(config_file)
    catalog = Catalog.load(language)
    scenarios = _scenarios(folder, language)
    try:
        golden = read_golden(path)
        scenario = find_scenario(scenarios, golden.scenario)
        if scenario is None:
            click.echo(catalog.text("train.unknown_scenario", id=golden.scenario), err=True)
            sys.exit(2)
        attempt = replay(golden, scenario, load_library(folder))
    except GoldenError as error:
        click.echo(catalog.text("train.bad_golden", path=str(error.path), line=error.line,
                                reason=error.reason), err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps({
            "scenario": attempt.scenario_id, "score": attempt.score, "passed": attempt.passed,
            "fatal": list(attempt.fatal),
            "sections": {section.section: section.score for section in attempt.sections},
            "compliance": attempt.compliance, "outcome": attempt.outcome,
            "language": attempt.language,
        }, ensure_ascii=False))
        return
    click.echo(catalog.text(
        "train.result", scenario=attempt.scenario_id, score=attempt.score,
        compliance=attempt.compliance,
        verdict=catalog.text("train.passed" if attempt.passed else "train.failed")))
    if attempt.fatal:
        click.echo(catalog.text("train.fatal", items=", ".join(attempt.fatal)))
    for line in attempt.transcript:  # what the golden file says, made safe for the terminal
        click.echo(f"{line.at:6.0f}  {line.speaker:8}  {sanitize(line.text)}")
