"""``agent-tui kb submit|approve|withdraw|list``: the knowledge base's workflow on the hub, for
its authors (supervisors, trainers) and reviewers (supervisors), with their own token. The hub
decides and records every move (``hub/kb_articles.py``); this reads the article's file, checks it
as ``agent-tui scripts check`` would, and says in the user's language what the hub answered.
Registered on the ``kb`` group by cli.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from agent_tui.config import ENV_HUB_TOKEN, ENV_HUB_URL
from agent_tui.hub_cli import DEFAULT_PORT, _catalog

_LANG = click.option("--lang", type=click.Choice(["zh-CN", "en"]), required=True,
                     help="Which language's version.")
_VERSION = click.option("--version", "version", type=click.IntRange(1), required=True,
                        help="The version number (as `agent-tui kb list` shows it).")


def _hub_options(command):
    for option in reversed((
        click.option("--hub", "hub_url", default=None,
                     help=f"The hub (default: ${ENV_HUB_URL}, or http://127.0.0.1:{DEFAULT_PORT})."),
        click.option("--token", default=None,
                     help=f"Your own token (default: ${ENV_HUB_TOKEN}): a supervisor's or a "
                     "trainer's."),
    )):
        command = option(command)
    return command


def _ask(hub_url: str | None, token: str | None, request):
    """Run ``request(client)`` against the hub; every refusal or failure is told, translated,
    and ends the command with status 1 (2 without a token)."""
    from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable

    catalog = _catalog()
    token = token or os.environ.get(ENV_HUB_TOKEN, "")
    if not token:
        click.echo(catalog.text("kb_cli.no_token", env=ENV_HUB_TOKEN), err=True)
        sys.exit(2)
    url = hub_url or os.environ.get(ENV_HUB_URL) or f"http://127.0.0.1:{DEFAULT_PORT}"
    client = HubClient(url, token)
    try:
        return request(client)
    except HubRefused as refused:
        key = f"kb_cli.refused.{refused.code}"
        click.echo(catalog.text(key) if key in catalog.messages else catalog.text(
            "kb_cli.refused.other", status=refused.status, code=refused.code), err=True)
        sys.exit(1)
    except HubUnreachable as error:
        click.echo(catalog.text("kb_cli.unreachable", url=url, detail=str(error)), err=True)
        sys.exit(1)
    finally:
        client.close()


def _said(article) -> str:
    return _catalog().text(f"kb_cli.moved.{article.status}", id=article.id, lang=article.lang,
                           version=article.version, reviewer=article.reviewer,
                           by=article.approved_by or article.withdrawn_by,
                           at=article.approved_at or article.withdrawn_at)


@click.command("submit")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--reviewer", required=True, help="The supervisor asked to approve it (not you).")
@click.option("--scripts", type=click.Path(path_type=Path, file_okay=False),
              help="The library whose request types it may name (default: the configured one).")
@_hub_options
def submit(file: Path, reviewer: str, scripts: Path | None, hub_url: str | None,
           token: str | None) -> None:
    """Send FILE (an article, `<id>.<lang>.md` as in scripts_library/kb/) into review."""
    from agent_tui.cli_config import _load
    from agent_tui.library import LibraryError, load_library
    from agent_tui.library.kb import read_article
    from agent_tui.sync.kb_protocol import KbSubmit

    catalog = _catalog()
    config, _language = _load(None, None, None, None)
    try:
        library = load_library(scripts or config.scripts_path())
    except LibraryError as error:
        click.echo(error.report(catalog), err=True)
        sys.exit(2)
    problems: list = []
    article = read_article(file, frozenset(p.id for p in library.procedures), problems)
    if article is None:
        for problem in problems:
            click.echo(problem.text(catalog), err=True)
        sys.exit(2)
    draft = KbSubmit(id=article.id, lang=article.lang, title=article.title,
                     category=article.category, body=article.body, reviewer=reviewer,
                     request_types=list(article.request_types), keywords=list(article.keywords))
    click.echo(_said(_ask(hub_url, token, lambda client: client.kb_submit(draft))))


def _move(move: str):
    @click.command(move)
    @click.argument("article_id", metavar="ID")
    @_LANG
    @_VERSION
    @click.option("--reason", default="", help="Why, in a few words: kept in the hub's audit.")
    @_hub_options
    def command(article_id: str, lang: str, version: int, reason: str, hub_url: str | None,
                token: str | None) -> None:
        click.echo(_said(_ask(hub_url, token, lambda client: client.kb_move(
            move, article_id, lang, version, reason))))

    return command


approve = _move("approve")
approve.help = ("Publish version VERSION of article ID in review (a supervisor who is not its "
                "author): agents have it at their next sync.")
withdraw = _move("withdraw")
withdraw.help = ("Withdraw the published version VERSION of article ID (a supervisor): it "
                 "leaves agents' search at their next sync.")


@click.command("list")
@click.option("--status", type=click.Choice(["draft", "review", "published", "withdrawn",
                                              "superseded"]), default=None)
@click.option("--id", "article_id", default=None, help="One article's versions only.")
@_hub_options
def listing(status: str | None, article_id: str | None, hub_url: str | None,
            token: str | None) -> None:
    """The articles' versions on the hub, newest first per article (authors and reviewers)."""
    catalog = _catalog()
    found = _ask(hub_url, token, lambda client: client.kb_list(status, article_id))
    if not found:
        click.echo(catalog.text("kb_cli.none"), err=True)
        sys.exit(1)
    click.echo(catalog.text("kb_cli.list_header"))
    for article in found:
        who = article.approved_by or article.reviewer
        click.echo(f"{article.id:<28} {article.lang:<6} v{article.version:<3} "
                   f"{catalog.text(f'kb_cli.status.{article.status}'):<10} "
                   f"{article.author:<8} {who:<8} {article.title}")


COMMANDS = (submit, approve, withdraw, listing)
