"""``agent-tui`` sub-commands. ``run`` is the default: ``agent-tui`` alone starts the workstation, and
takes the options of ``run`` (``agent-tui --agent A1 --lang en``).

Errors a person can fix (a broken config, a store that cannot be used) are printed translated, with
the file to look at, and exit with status 2 — never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent_tui.cli_config import _fail, _load
from agent_tui.cli_start import load_library, start_workstation, workstation_lock
from agent_tui.i18n import Catalog, TranslatableError, language_from_environment

LANGUAGES = click.Choice(["zh-CN", "en"])


_config_option = click.option(
    "--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
    help="Config file (default: the platform's config dir, or $AGENT_TUI_CONFIG).",
)
_store_option = click.option(
    "--store", type=click.Path(path_type=Path, dir_okay=False),
    help="Local store file (default: store.db in the platform's data dir, or $AGENT_TUI_STORE).",
)


_RUN_OPTIONS = (
    _config_option,
    _store_option,
    click.option("--lang", type=LANGUAGES, help="Language of the interface (zh-CN or en)."),
    click.option("--agent", help="Agent id for this session (otherwise from config, or asked "
                                 "once)."),
    click.option("--mouse/--no-mouse", default=None, help="Mouse support; turn off over SSH."),
)
_RUN_FLAGS = {"config_file": "--config", "store": "--store", "lang": "--lang",
              "agent": "--agent", "mouse": "--mouse/--no-mouse"}


def _run_options(command):
    """The options of ``run``: on ``run`` itself and on ``agent-tui`` alone, which runs it."""
    for option in reversed(_RUN_OPTIONS):
        command = option(command)
    return command


@click.group(invoke_without_command=True)
@click.version_option(package_name="agent-tui")
@_run_options
@click.pass_context
def main(context: click.Context, **options: object) -> None:
    """The agent workstation of a bank's remote-service centre. Without a sub-command it starts
    the workstation, with the options of `run`."""
    if context.invoked_subcommand is None:
        context.invoke(run, **options)
        return
    given = [_RUN_FLAGS[name] for name, value in options.items() if value is not None]
    if given:  # `agent-tui --store X seed`: the sub-command has options of its own
        catalog = Catalog.load(options.get("lang") or language_from_environment())
        raise click.UsageError(catalog.text("cli.options_after", options=", ".join(given),
                                            command=context.invoked_subcommand))


@main.command()
@_run_options
def run(
    config_file: Path | None = None,
    store: Path | None = None,
    lang: str | None = None,
    agent: str | None = None,
    mouse: bool | None = None,
) -> None:
    """Start the workstation (the default command)."""
    config, language = _load(config_file, store, lang, agent)
    app = start_workstation(config, language, mouse=config.ui.mouse if mouse is None else mouse)
    if app.training_next:  # "Training" in the palette: the live session is closed, train now
        from agent_tui.train_cli import start_training

        start_training(config_file, lang, agent, mouse)


@main.command()
@click.option("--customers", type=click.IntRange(1, 10_000_000), default=5000, show_default=True)
@click.option("--seed", "seed_value", type=int, default=1, show_default=True,
              help="Same seed, same data.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the data treats as today (default: 2026-11-23, fixed, so the same "
                   "seed gives the same data on any day).")
@click.option("--force", is_flag=True, help="Replace an existing store.")
@click.option("--if-missing", is_flag=True, help="Do nothing if the store exists (for make run).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Generator processes (default: up to 2).")
@_config_option
@_store_option
def seed(
    customers: int, seed_value: int, as_of, force: bool, if_missing: bool, workers: int | None,
    config_file: Path | None, store: Path | None,
) -> None:
    """Make a deterministic demo store: customers, products, transactions, history, cases."""
    from data.generator import SeedPlan, as_of_default
    from data.seed import seed_store

    config, language = _load(config_file, store, None, None)
    catalog = Catalog.load(language)
    path = config.store_path()
    if path.exists() and if_missing:
        click.echo(catalog.text("seed.kept", path=str(path)))
        return
    plan = SeedPlan(customers, seed_value, as_of.date() if as_of else as_of_default())
    label = catalog.text("seed.progress", count=customers)
    # Never replace a store under an open window: its writes would go to the file replaced.
    with workstation_lock(path, language), click.progressbar(
            length=customers, label=label, show_pos=True) as bar:
        done = 0

        def progress(written: int, _total: int) -> None:
            nonlocal done
            bar.update(written - done)
            done = written

        try:
            report = seed_store(path, plan, force=force, workers=workers, progress=progress)
        except TranslatableError as error:
            _fail(error, language)
    _publish_articles(report.path, config.scripts_path(), language)
    click.echo(catalog.text(
        "seed.done", path=str(report.path), customers=report.customers, accounts=report.accounts,
        transactions=report.transactions, interactions=report.interactions, cases=report.cases,
    ))


def _publish_articles(store_path: Path, folder: Path, language: str) -> None:
    """The library's published articles into a new store, so its search works from the start."""
    from agent_tui.store import Store, kb

    library = load_library(folder, language)
    store = Store.open(store_path)
    try:
        kb.publish(store.connection(), library.articles)
    finally:
        store.close()


@main.group()
def scripts() -> None:
    """The scripts library: stages, procedures, phrases, forbidden words, verification."""


@scripts.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@_config_option
def scripts_check(path: Path | None, config_file: Path | None) -> None:
    """Validate a scripts library (default: the one in use) and report problems as file:line."""
    from agent_tui.library import LibraryError
    from agent_tui.library.check import check_all

    config, language = _load(config_file, None, None, None)
    folder = path or config.scripts_path()
    catalog = Catalog.load(language)
    try:
        checked = check_all(folder)
    except LibraryError as error:
        click.echo(error.report(catalog), err=True)
        sys.exit(2)
    library = checked.library
    click.echo(catalog.text(
        "library.ok", path=str(folder), stages=len(library.stages),
        procedures=len(library.procedures), phrases=len(library.phrases),
        rules=len(library.forbidden), groups=len(library.escalation_groups),
        articles=len(library.articles),
        published=sum(article.published for article in library.articles),
    ))
    if checked.rubric is not None or checked.scenarios:
        click.echo(catalog.text(
            "library.training.ok", items=len(checked.rubric.items) if checked.rubric else 0,
            scenarios=len(checked.scenarios)))
    if checked.suitability is not None:
        rules = checked.suitability.rules
        click.echo(catalog.text(
            "library.suitability.ok", products=len(checked.suitability.products),
            table=" ".join(f"{c}≤{r}" for c, r in rules.highest.items()),
            months=rules.valid_months, per_day=rules.per_day, per_year=rules.per_year))
    if checked.questionnaire is not None:
        questionnaire = checked.questionnaire
        click.echo(catalog.text(
            "library.questionnaire.ok", version=questionnaire.version,
            questions=len(questionnaire.questions),
            bands=" ".join(f"{band.level}≥{band.min_score}" for band in questionnaire.bands)))


@main.command("config")
@_config_option
def show_config(config_file: Path | None) -> None:
    """Check the config file and show where everything is."""
    config, language = _load(config_file, None, None, None)
    catalog = Catalog.load(language)
    click.echo(catalog.text(
        "config.summary", config=str(config.source), store=str(config.store_path()),
        language=language, agent=config.agent.id or "-",
    ))


def _register_groups() -> None:
    from agent_tui.hub_cli import hub
    from agent_tui.hub_cti_cli import cti
    from agent_tui.hub_kb_cli import kb as hub_kb
    from agent_tui.hub_training_cli import training
    from agent_tui.kb_author_cli import COMMANDS as KB_AUTHORING
    from agent_tui.kb_cli import kb
    from agent_tui.kpi_cli import kpi, team
    from agent_tui.qa_cli import qa
    from agent_tui.ssh_cli import ssh, ssh_session
    from agent_tui.ssh_server_cli import session_server
    from agent_tui.sync_cli import sync
    from agent_tui.train_cli import train
    from agent_tui.web_cli import web

    hub.add_command(training)
    hub.add_command(cti)
    hub.add_command(hub_kb)

    hub.add_command(kpi)
    hub.add_command(team)
    hub.add_command(qa)
    main.add_command(hub)
    for command in KB_AUTHORING:
        kb.add_command(command)
    main.add_command(kb)
    ssh.add_command(session_server)
    main.add_command(ssh)
    main.add_command(ssh_session)
    main.add_command(sync)
    main.add_command(train)
    main.add_command(web)


_register_groups()

if __name__ == "__main__":
    main()
