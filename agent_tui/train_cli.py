"""``agent-tui train``: a training session (issue 15). The workstation as the trainee will use it,
on a store of its own: synthetic customers only, beside the real store and never it, with a
banner and a colour on every screen, and a sync that sends the trainee's attempts and nothing
else. ``train list`` prints the scenarios, and ``train replay`` replays a golden transcript through
the call engine and the simulator without a screen and prints its score."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from agent_tui.cli_config import _fail, _load
from agent_tui.cli_start import load_library, workstation_lock
from agent_tui.domain.text import sanitize

LANGUAGES = click.Choice(["zh-CN", "en"])


@click.group(invoke_without_command=True)
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Config file (default: the platform's config dir, or $AGENT_TUI_CONFIG).")
@click.option("--lang", type=LANGUAGES, help="Language of the interface (zh-CN or en).")
@click.option("--agent", help="Trainee id for this session (otherwise from config).")
@click.option("--mouse/--no-mouse", default=None, help="Mouse support; turn off over SSH.")
@click.pass_context
def train(context: click.Context, config_file: Path | None, lang: str | None,
          agent: str | None, mouse: bool | None) -> None:
    """Practise calls against simulated customers, on a training store of synthetic customers
    (never the real store). Without a sub-command it starts a training session."""
    if context.invoked_subcommand is None:
        start_training(config_file, lang, agent, mouse)


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


def training_config(config_file: Path | None, lang: str | None, agent: str | None):
    """The config, language and real store's path, with the store swapped for the training
    store beside it (``store.db`` -> ``store.training.db``)."""
    import msgspec

    from agent_tui.training.training_store import training_store_path

    config, language = _load(config_file, None, lang, agent)
    real_store = config.store_path()
    training = msgspec.structs.replace(config, store=msgspec.structs.replace(
        config.store, path=str(training_store_path(real_store))))
    training.source = config.source
    return training, language, real_store


def start_training(config_file: Path | None, lang: str | None, agent: str | None,
                   mouse: bool | None) -> None:
    """Make or open the training store, then run the training session on it."""
    from agent_tui.i18n import TranslatableError
    from agent_tui.training.training_store import open_training_store

    config, language, real_store = training_config(config_file, lang, agent)
    library = load_library(config.scripts_path(), language)
    scenarios = _scenarios(config.scripts_path(), language)
    path = config.store_path()
    with workstation_lock(path, language):
        try:
            open_training_store(path, real_store, scenarios)
        except TranslatableError as error:  # not the real store, not made, not ours: said
            _fail(error, language)
        from agent_tui.app.training_app import TrainingApp

        app = TrainingApp(config, language, real_store=real_store, library=library,
                          scenarios=scenarios)
        app.run(mouse=config.ui.mouse if mouse is None else mouse)
    if app.return_code:
        sys.exit(app.return_code)
