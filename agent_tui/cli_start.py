"""Starting the workstation, as ``run`` and ``ssh-session`` both do: the scripts library checked,
one window per store, then the App. Its own module so ``ssh_cli`` shares it without importing
``cli``, which imports it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent_tui.cli_config import _fail
from agent_tui.config import Config
from agent_tui.i18n import Catalog


def load_library(folder: Path, language: str):
    """The scripts library, or its problems printed as file:line and exit status 2."""
    from agent_tui.library import LibraryError
    from agent_tui.library import load_library as load

    try:
        return load(folder)
    except LibraryError as error:
        click.echo(error.report(Catalog.load(language)), err=True)
        sys.exit(2)


def workstation_lock(path: Path, language: str):
    from agent_tui.store import StoreError
    from agent_tui.store.workstation_lock import WorkstationLock

    try:
        return WorkstationLock.take(path)
    except StoreError as error:
        _fail(error, language)


def start_workstation(config: Config, language: str, *, mouse: bool,
                      idle_lock_minutes: float | None = None):
    """Run the App until the agent quits, and return it; a crash's status is passed on to
    whoever started it.
    ``idle_lock_minutes``: lock the screen after that long without a key (over SSH)."""
    library = load_library(config.scripts_path(), language)
    # Before the first frame: a second window on this store is refused before anything can be
    # typed into it (docs/decisions.md, "One window per store").
    with workstation_lock(config.store_path(), language):
        from agent_tui.app import AgentApp  # the UI loads only when it is asked for

        app = AgentApp(config, language, library=library, idle_lock_minutes=idle_lock_minutes)
        app.run(mouse=mouse and not config.ui.low_bandwidth)
    if app.return_code:  # a crash: its report is written, and whoever started us is told
        sys.exit(app.return_code)
    return app
