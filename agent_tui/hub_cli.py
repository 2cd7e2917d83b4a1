"""``agent-tui hub …``: serve the hub, load its customer data, and manage its tokens."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

import click

from agent_tui.i18n import Catalog, TranslatableError, language_from_environment

DEFAULT_PORT = 8750
ENV_DB = "AGENT_TUI_HUB_DB"


def _catalog() -> Catalog:
    return Catalog.load(language_from_environment())


def _engine(db: str | None):
    from agent_tui.hub.database import connect, database_url

    url = database_url(db or os.environ.get(ENV_DB), _default_db_path())
    try:
        return connect(url)
    except TranslatableError as error:
        click.echo(_catalog().error(error), err=True)
        sys.exit(2)


def _default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("agent-tui", appauthor=False)) / "hub.db"


_db_option = click.option(
    "--db", help="postgresql://user@host/db, or a SQLite file (default: hub.db in the "
    f"platform's data dir, or ${ENV_DB}).")


@click.group()
def hub() -> None:
    """The hub that workstations sync with."""


@hub.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless told otherwise).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--scripts", type=click.Path(path_type=Path, file_okay=False),
              help="Scripts library whose case rules set SLA clocks and whose verification "
              "policy the hub enforces (default: the shipped one).")
@click.option("--records-per-hour", type=click.IntRange(1), default=600, show_default=True,
              help="Customer records (fetches and releases) one agent may read per hour.")
@click.option("--searches-per-hour", type=click.IntRange(1), default=1200, show_default=True,
              help="Customer searches one agent may make per hour.")
@click.option("--sms-outbox", type=click.Path(path_type=Path, dir_okay=False),
              help="The demo SMS gateway's file, where one-time codes are written (default: "
              "hub-sms-outbox.log in the platform's data dir).")
@click.option("--max-body", type=click.IntRange(min=64 * 1024), default=1_000_000,
              show_default=True, help="Largest request body in bytes: a larger one is refused "
              "(413) before it is read.")
def serve(db: str | None, host: str, port: int, scripts: Path | None, records_per_hour: int,
          searches_per_hour: int, sms_outbox: Path | None, max_body: int) -> None:
    """Serve the hub's API (FastAPI on uvicorn)."""
    import uvicorn

    from agent_tui.hub.access import Limits
    from agent_tui.hub.api import create_app
    from agent_tui.hub.settings import HubSettings
    from agent_tui.library import LibraryError, load_library
    from scripts_library import LIBRARY_DIR

    engine = _engine(db)
    try:
        library = load_library(scripts or LIBRARY_DIR)
    except LibraryError as error:
        click.echo(error.report(_catalog()), err=True)
        sys.exit(2)
    click.echo(_catalog().text("hub.serving", url=f"http://{host}:{port}"), err=True)
    # Workstations sync every 5-15 s: a connection kept 30 s is reused rather than reopened.
    settings = HubSettings(library.verification, Limits(records_per_hour, searches_per_hour),
                           sms_outbox or _default_db_path().with_name("hub-sms-outbox.log"))
    uvicorn.run(create_app(engine, library.sla, settings=settings, max_body=max_body),
                host=host, port=port, log_level="warning", access_log=False,
                timeout_keep_alive=30)


@hub.command("seed")
@_db_option
@click.option("--customers", type=click.IntRange(1, 10_000_000), default=5000, show_default=True)
@click.option("--seed", "seed_value", type=int, default=1, show_default=True)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the data treats as today (default: 2026-11-23, as agent-tui seed).")
@click.option("--history-days", type=click.IntRange(0, 3650), default=0, show_default=True,
              help="Also give the demo teams (T1, T2) this many days of calls, ratings, cases "
              "and callbacks, up to --as-of or today, so the board and KPIs have a past.")
def seed(db: str | None, customers: int, seed_value: int, as_of, history_days: int) -> None:
    """Load customer master data (the same generator as the workstation's demo store)."""
    from agent_tui.hub.seed import seed_history, seed_hub
    from data.generator import SeedPlan, as_of_default
    from data.history import DEMO_TEAMS, HistoryPlan

    engine = _engine(db)
    plan = SeedPlan(customers, seed_value, as_of.date() if as_of else as_of_default())
    written = seed_hub(engine, plan)
    catalog = _catalog()
    click.echo(catalog.text("hub.seeded", customers=written) if written
               else catalog.text("hub.seed_kept"))
    articles = import_articles(engine, None)  # the demo hub has the articles too
    click.echo(catalog.text("kb_cli.imported", count=articles) if articles
               else catalog.text("kb_cli.import_kept"))
    if history_days:
        now = as_of.replace(hour=17) if as_of else datetime.now()
        calls = seed_history(engine, HistoryPlan(DEMO_TEAMS, history_days, now.date(),
                                                 seed_value, customers), now)
        click.echo(catalog.text("kpi.history_seeded", calls=calls, days=history_days) if calls
                   else catalog.text("kpi.history_kept"))


def import_articles(engine, scripts: Path | None) -> int:
    """The library's articles into the hub (once); how many were written."""
    from agent_tui.hub import kb_articles
    from agent_tui.library import LibraryError, load_library
    from scripts_library import LIBRARY_DIR

    try:
        library = load_library(scripts or LIBRARY_DIR)
    except LibraryError as error:
        click.echo(error.report(_catalog()), err=True)
        sys.exit(2)
    with engine.begin() as connection:
        return kb_articles.import_library(connection, library.articles, datetime.now())


@hub.group()
def token() -> None:
    """Bearer tokens: created once, stored as a hash, listed, revoked."""


@token.command("create")
@_db_option
@click.option("--agent", required=True, help="The agent (staff) id the token speaks for.")
@click.option("--role", type=click.Choice(["agent", "supervisor", "trainer", "telephony"]),
              default="agent", show_default=True,
              help="telephony: the telephony system's token, which posts call events only.")
@click.option("--team", default="", help="The team (a supervisor reads its team's cases; a "
              "trainer the training attempts of its teams, several separated by commas: T1,T2).")
@click.option("--days", type=click.FloatRange(min=0, min_open=True), default=90,
              show_default=True, help="Valid for this many days.")
def token_create(db: str | None, agent: str, role: str, team: str, days: float) -> None:
    """Create a token and print it once; only its hash is kept."""
    from agent_tui.hub.auth import create_token

    token_id, secret = create_token(_engine(db), agent, role, team, datetime.now(),
                                    timedelta(days=days))
    click.echo(_catalog().text("hub.token_created", id=token_id), err=True)
    click.echo(secret)


@token.command("list")
@_db_option
def token_list(db: str | None) -> None:
    """List tokens (never the tokens themselves)."""
    from agent_tui.hub.auth import list_tokens

    for info in list_tokens(_engine(db)):
        state = "revoked" if info.revoked_at else f"expires {info.expires_at or '-'}"
        click.echo(f"{info.id}  {info.agent_id:<10} {info.role:<10} {info.team or '-':<8} "
                   f"{info.created_at}  {state}")


@token.command("revoke")
@_db_option
@click.argument("token_id")
def token_revoke(db: str | None, token_id: str) -> None:
    """Revoke a token by its id."""
    from agent_tui.hub.auth import revoke_token

    catalog = _catalog()
    if not revoke_token(_engine(db), token_id, datetime.now()):
        click.echo(catalog.text("hub.token_unknown", id=token_id), err=True)
        sys.exit(2)
    click.echo(catalog.text("hub.token_revoked", id=token_id))


@hub.command("prune")
@_db_option
@click.option("--keep-days", type=click.IntRange(min=0), default=30, show_default=True)
def prune(db: str | None, keep_days: int) -> None:
    """Drop change-log rows older than the given days (workstations behind get a reset)."""
    from sqlalchemy import func, select

    from agent_tui.domain.times import iso
    from agent_tui.hub.database import reading
    from agent_tui.hub.pull import prune as prune_log
    from agent_tui.hub.schema import change_log

    engine = _engine(db)
    cutoff = iso(datetime.now() - timedelta(days=keep_days))
    with reading(engine) as connection:
        last = connection.execute(select(func.max(change_log.c.seq)).where(
            change_log.c.at < cutoff)).scalar()
    dropped = prune_log(engine, last) if last else 0
    click.echo(_catalog().text("hub.pruned", rows=dropped))
