"""``agent-tui sync``: one sync from the command line, and what moved."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent_tui.sync.describe import describe_error


@click.command()
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--store", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--hub", "hub_url", help="Hub address (default: [hub] url in the config).")
@click.option("--token", help="Bearer token (default: [hub] token, or $AGENT_TUI_HUB_TOKEN).")
def sync(config_file: Path | None, store: Path | None, hub_url: str | None,
         token: str | None) -> None:
    """Push this workstation's queued changes to the hub, pull what changed, and report."""
    import httpx

    from agent_tui.cli_config import _fail, _load
    from agent_tui.i18n import Catalog
    from agent_tui.store import Store, StoreError
    from agent_tui.sync.hub_client import HubClient
    from agent_tui.sync.runner import run_sync

    config, language = _load(config_file, store, None, None)
    catalog = Catalog.load(language)
    url, secret = hub_url or config.hub.url, token or config.hub.token
    if not url or not secret:
        click.echo(catalog.text("sync.not_configured"), err=True)
        sys.exit(2)
    try:
        local = Store.open(config.store_path())
    except StoreError as error:
        _fail(error, language)
    try:
        client = HubClient(url, secret)
    except httpx.InvalidURL as error:
        local.close()
        click.echo(catalog.text("sync.cli_unreachable", url=url, detail=str(error)), err=True)
        sys.exit(1)
    try:
        report = run_sync(local.connection(), client)
    finally:
        client.close()
        local.close()
    if not report.ok:  # one line: why, and that nothing is lost
        line = (catalog.text("sync.cli_unreachable", url=url, detail=report.detail)
                if report.error == "offline" else describe_error(catalog, report.error))
        click.echo(line, err=True)
        sys.exit(1)
    click.echo(catalog.text(
        "sync.report", pushed=report.pushed, applied=report.applied,
        duplicates=report.duplicates, refused=report.refused, pulled=report.pulled))
