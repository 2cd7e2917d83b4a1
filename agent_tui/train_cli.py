"""``agent-tui train``: a training session (issue 15). The workstation as the trainee will use it,
on a store of its own: synthetic customers only, beside the real store and never it, with a
banner and a colour on every screen, and a sync that sends the trainee's attempts and nothing
else. ``train list`` and ``train replay`` (the scenarios, a golden transcript) are the training
core's sub-commands of the same group."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent_tui.cli_config import _fail, _load, _load_library, _workstation_lock

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
    library = _load_library(config.scripts_path(), language)
    path = config.store_path()
    with _workstation_lock(path, language):
        try:
            open_training_store(path, real_store)
        except TranslatableError as error:  # not the real store, not made, not ours: said
            _fail(error, language)
        from agent_tui.app.training_app import TrainingApp

        app = TrainingApp(config, language, real_store=real_store, library=library)
        app.run(mouse=config.ui.mouse if mouse is None else mouse)
    if app.return_code:
        sys.exit(app.return_code)
