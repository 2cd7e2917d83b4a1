"""The config as every ``agent-tui`` command loads it: the file, the command line's overrides, the
language, and a translated message (exit status 2) when the config cannot be used; the scripts
library and the store's one-window lock, as ``run`` and ``train`` take them. Its own module
so the sub-command groups (``sync_cli``, ``hub_cli``) use it without importing ``cli``, which
imports them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent_tui.config import Config, ConfigError, load_config
from agent_tui.i18n import Catalog, TranslatableError, language_from_environment


def _fail(error: TranslatableError, language: str) -> None:
    click.echo(Catalog.load(language).error(error), err=True)
    sys.exit(2)


def _resolve_language(config: Config | None) -> str:
    if config is not None and config.ui.language:
        return config.ui.language
    return language_from_environment()


def _load(config_file: Path | None, store: Path | None, lang: str | None, agent: str | None):
    overrides = {"store": {"path": str(store) if store else None},
                 "ui": {"language": lang}, "agent": {"id": agent}}
    try:
        config = load_config(config_file, overrides=overrides)
    except ConfigError as error:
        _fail(error, lang or language_from_environment())
    return config, _resolve_language(config)
