"""``agent-tui hub training report``: trainees x scenarios from the hub's database (attempts, last
and best score), as a table to read or CSV to load elsewhere. The same rows as the trainer's
report in the app (``GET /v1/training/report``), read here from the database the hub serves."""

from __future__ import annotations

import csv
import sys

import click

from agent_tui.hub_cli import _catalog, _db_option, _engine

CSV_COLUMNS = ("trainee", "team", "scenario_id", "attempts", "last_score", "best_score",
               "passed", "last_at", "last_attempt_id")


@click.group()
def training() -> None:
    """Training data on the hub: attempts trainees synced (never real customers)."""


@training.command("report")
@_db_option
@click.option("--team", default=None, help="Only this team's trainees.")
@click.option("--format", "output", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
def report(db: str | None, team: str | None, output: str) -> None:
    """Trainees x scenarios: attempts, last and best score, passed."""
    from agent_tui.hub.training import report as read_report

    rows = read_report(_engine(db), team)
    if output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([row.trainee, row.team, row.scenario_id, row.attempts,
                             f"{row.last_score:.1f}", f"{row.best_score:.1f}",
                             "yes" if row.passed else "no", row.last_at, row.last_attempt_id])
        return
    catalog = _catalog()
    if not rows:
        click.echo(catalog.text("training_report.empty"))
        return
    header = [catalog.text(f"training_report.col.{key}") for key in (
        "trainee", "team", "scenario", "attempts", "last", "best", "passed", "last_at")]
    lines = [header] + [[row.trainee, row.team or "-", row.scenario_id, str(row.attempts),
                         f"{row.last_score:.1f}", f"{row.best_score:.1f}",
                         catalog.text("training_report.yes" if row.passed
                                      else "training_report.no"), row.last_at]
                        for row in rows]
    click.echo(_table(lines))


def _table(lines: list[list[str]]) -> str:
    """Columns padded to their widest cell (in terminal cells: Chinese is two wide)."""
    from rich.cells import cell_len

    widths = [max(cell_len(line[index]) for line in lines) for index in range(len(lines[0]))]
    return "\n".join("  ".join(cell + " " * (width - cell_len(cell))
                               for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in lines)
