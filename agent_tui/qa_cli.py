"""``agent-tui hub qa sample``: the week's QA sample of a team (every call with a fatal item
failed, a lockout or a complaint, and a few per agent drawn at random; the same list as
GET /v1/qa/sample), for QA staff and trainers preparing a session. Registered by cli.py."""

from __future__ import annotations

import csv
import sys
from datetime import date, timedelta

import click

from agent_tui.hub_cli import _catalog, _db_option, _engine
from agent_tui.kpi_cli import _day


@click.group("qa")
def qa() -> None:
    """QA review of live calls with the training rubric (scripts_library/qa.toml)."""


@qa.command("sample")
@_db_option
@click.option("--team", required=True, help="The team whose calls are sampled.")
@click.option("--week", help="Any day of the week, YYYY-MM-DD (default: this week).")
@click.option("--format", "output", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
def sample(db: str | None, team: str, week: str | None, output: str) -> None:
    """The calls of a team's week to review, each with why it was chosen."""
    from agent_tui.hub import qa as hub_qa
    from agent_tui.hub.database import reading

    day = _day(week) or date.today()
    monday = day - timedelta(days=day.weekday())
    with reading(_engine(db)) as connection:
        calls = hub_qa.sample(connection, team, monday)
    t = _catalog().text
    if output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["agent", "call", "started_at", "reasons"])
        for call in calls:
            writer.writerow([call.agent_id, call.call_id, call.started_at, " ".join(call.reasons)])
        return
    if not calls:
        click.echo(t("qa_cli.nothing", team=team, week=monday.isoformat()))
        return
    click.echo(t("qa_cli.title", team=team, week=monday.isoformat(), count=len(calls)))
    for call in calls:
        why = ", ".join(t(f"qa_cli.reason.{reason}") for reason in call.reasons) or t(
            "qa_cli.reason.drawn")
        click.echo(f"{call.agent_id:<8} {call.started_at:<20} {call.call_id:<38} {why}")
