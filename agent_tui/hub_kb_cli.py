"""``agent-tui hub kb import``: the scripts library's knowledge-base articles (kb/) into the hub's
database, as their files say (draft, review, published with the files' approvals), for each
article and language the hub holds nothing of yet: run twice, it writes nothing the second time.
Direct on the database, like the other ``hub`` commands (an administrator's, not a token's).
``agent-tui hub seed`` runs it too, so the demo hub has the articles. Registered by cli.py."""

from __future__ import annotations

from pathlib import Path

import click

from agent_tui.hub_cli import _catalog, _db_option, _engine, import_articles


@click.group("kb")
def kb() -> None:
    """The knowledge base's articles on the hub (the authors' workflow: `agent-tui kb submit`)."""


@kb.command("import")
@_db_option
@click.option("--scripts", type=click.Path(path_type=Path, file_okay=False),
              help="The scripts library whose kb/ is loaded (default: the shipped one).")
def import_command(db: str | None, scripts: Path | None) -> None:
    """Load the library's articles as their files say, once."""
    written = import_articles(_engine(db), scripts)
    click.echo(_catalog().text("kb_cli.imported", count=written) if written
               else _catalog().text("kb_cli.import_kept"))
