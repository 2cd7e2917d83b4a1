"""``agent-tui hub kpi`` (the KPIs against the targets, as a table or CSV) and ``agent-tui hub
team …`` (teams and who leads them, as data). Registered on the hub group by cli.py."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime, timedelta

import click
from rich.cells import cell_len

from agent_tui.domain.kpi import MEASURES, KpiRow, KpiTarget, Period, shown, target_shown
from agent_tui.hub_cli import _catalog, _db_option, _engine


def _targets() -> dict[str, KpiTarget]:
    from agent_tui.library import LibraryError, load_library
    from scripts_library import LIBRARY_DIR

    try:
        library = load_library(LIBRARY_DIR)
    except LibraryError as error:
        click.echo(error.report(_catalog()), err=True)
        sys.exit(2)
    return {target.measure: target for target in library.kpi_targets}


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(_catalog().text("kpi.bad_day", value=text)) from None


@click.command("kpi")
@_db_option
@click.option("--team", help="Only this team's figures.")
@click.option("--agent", help="Only this agent's figures.")
@click.option("--from", "since", help="First day, YYYY-MM-DD (default: six days before --to).")
@click.option("--to", "until", help="Last day, YYYY-MM-DD (default: today).")
@click.option("--by", type=click.Choice(["agent", "team"]), default="agent", show_default=True,
              help="A line per agent or per team.")
@click.option("--period", type=click.Choice([period.value for period in Period]), default="all",
              show_default=True, help="A line per day, per week (Monday first) or for the range.")
@click.option("--format", "output", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
def kpi(db: str | None, team: str | None, agent: str | None, since: str | None,
        until: str | None, by: str, period: str, output: str) -> None:
    """The KPIs against DOMAIN.md's targets (scripts_library/kpi.toml), computed on the hub."""
    from agent_tui.hub.database import reading
    from agent_tui.hub.kpi import KpiQuery, kpi_rows

    last = _day(until) or date.today()
    first = _day(since) or last - timedelta(days=6)
    catalog = _catalog()
    if first > last:
        click.echo(catalog.text("kpi.bad_range", since=first, until=last), err=True)
        sys.exit(2)
    targets = _targets()
    engine = _engine(db)
    with reading(engine) as connection:
        rows = kpi_rows(connection, KpiQuery(first, last, team, agent, by, Period(period)),
                        datetime.now())
    if output == "csv":
        _csv(rows, by)
    elif not rows:
        click.echo(catalog.text("kpi.nothing", since=first, until=last))
    else:
        for line in _table(rows, targets, by, Period(period)):
            click.echo(line.rstrip())


def _csv(rows: list[KpiRow], by: str) -> None:
    """Machine-readable: plain numbers, an empty field for nothing to count."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([by, "starts", *MEASURES])
    for row in rows:
        figures = [row.counts.figure(measure) for measure in MEASURES]
        writer.writerow([row.who, row.starts.isoformat(),
                         *("" if value is None else round(value, 2) for value in figures)])


def _table(rows: list[KpiRow], targets: dict[str, KpiTarget], by: str, period: Period
           ) -> list[str]:
    t = _catalog().text
    header = [t(f"kpi.{by}"), *([t("kpi.starts")] if period is not Period.ALL else []),
              *(t(f"kpi.measure.{measure}") for measure in MEASURES)]
    target_line = [t("kpi.target"), *([""] if period is not Period.ALL else []),
                   *(target_shown(targets.get(measure)) for measure in MEASURES)]
    lines = [header, target_line]
    for row in rows:
        lines.append([row.who, *([row.starts.isoformat()] if period is not Period.ALL else []),
                      *(shown(measure, row.counts.figure(measure)) for measure in MEASURES)])
    widths = [max(cell_len(line[column]) for line in lines) for column in range(len(header))]
    return ["  ".join(_pad(cell, width, first=index == 0)
                      for index, (cell, width) in enumerate(zip(line, widths, strict=True)))
            for line in lines]


def _pad(cell: str, width: int, *, first: bool) -> str:
    space = " " * (width - cell_len(cell))
    return cell + space if first else space + cell


@click.group("team")
def team() -> None:
    """Teams and who leads them, as data: the board and the KPIs read these."""


@team.command("save")
@_db_option
@click.argument("team_id")
@click.option("--name", default="", help="The team's name.")
@click.option("--lead", required=True, help="The lead's agent id (a supervisor's token).")
def team_save(db: str | None, team_id: str, name: str, lead: str) -> None:
    """Create a team, or change its name and lead."""
    from agent_tui.hub.teams import save_team

    with _engine(db).begin() as connection:
        save_team(connection, team_id, name or team_id, lead, datetime.now())
    click.echo(_catalog().text("kpi.team_saved", team=team_id, lead=lead))


@team.command("add")
@_db_option
@click.argument("team_id")
@click.argument("agent_id")
@click.option("--name", default="", help="How the board names the agent.")
def team_add(db: str | None, team_id: str, agent_id: str, name: str) -> None:
    """Put an agent on a team (off any other)."""
    from agent_tui.hub.teams import add_member

    with _engine(db).begin() as connection:
        added = add_member(connection, team_id, agent_id, name or agent_id, datetime.now())
    if not added:
        click.echo(_catalog().text("kpi.team_unknown", team=team_id), err=True)
        sys.exit(2)
    click.echo(_catalog().text("kpi.member_added", agent=agent_id, team=team_id))


@team.command("remove")
@_db_option
@click.argument("agent_id")
def team_remove(db: str | None, agent_id: str) -> None:
    """Take an agent off their team."""
    from agent_tui.hub.teams import remove_member

    with _engine(db).begin() as connection:
        removed = remove_member(connection, agent_id)
    key = "kpi.member_removed" if removed else "kpi.member_unknown"
    click.echo(_catalog().text(key, agent=agent_id), err=not removed)
    if not removed:
        sys.exit(2)


@team.command("list")
@_db_option
def team_list(db: str | None) -> None:
    """The teams, their leads and members."""
    from agent_tui.hub.database import reading
    from agent_tui.hub.teams import read_teams

    with reading(_engine(db)) as connection:
        found = read_teams(connection)
    for one in found:
        members = ", ".join(agent for agent, _name in one.members) or "-"
        click.echo(f"{one.id}  {one.name}  lead {one.lead}  [{len(one.members)}] {members}")
