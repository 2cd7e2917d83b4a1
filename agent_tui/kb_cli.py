"""``agent-tui kb search``: the knowledge base's search from the command line, the same search the
workstation runs (for scripts, and for checking the index)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def kb() -> None:
    """The knowledge base: the published articles agents read (F9 / ctrl+k)."""


@kb.command("search")
@click.argument("query")
@click.option("--lang", type=click.Choice(["zh-CN", "en"]), default=None,
              help="Only articles in this language (default: both).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@click.option("--limit", type=click.IntRange(1, 200), default=10, show_default=True)
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--store", type=click.Path(path_type=Path, dir_okay=False))
def kb_search(query: str, lang: str | None, as_json: bool, limit: int,
              config_file: Path | None, store: Path | None) -> None:
    """Print the articles matching QUERY, best first, with the matched words marked."""
    import msgspec

    from agent_tui.cli_config import _fail, _load
    from agent_tui.domain.kb import marked_spans, unmarked
    from agent_tui.i18n import Catalog
    from agent_tui.library import LibraryError, load_library
    from agent_tui.store import Store, StoreError
    from agent_tui.store import kb as kb_store

    config, language = _load(config_file, store, None, None)
    catalog = Catalog.load(language)
    try:
        library = load_library(config.scripts_path())
    except LibraryError as error:
        click.echo(error.report(catalog), err=True)
        sys.exit(2)
    try:
        local = Store.open(config.store_path())
    except StoreError as error:
        _fail(error, language)
    try:
        kb_store.publish(local.connection(), library.articles)  # as the workstation does
        hits = kb_store.search(local.connection(), query, lang, limit)
    finally:
        local.close()
    if as_json:
        click.echo(msgspec.json.encode([{
            "id": hit.id, "lang": hit.lang, "version": hit.version, "category": hit.category,
            "title": unmarked(hit.title), "snippet": unmarked(hit.snippet),
            "matches": sorted({piece for text in (hit.title, hit.snippet)
                               for piece, matched in marked_spans(text) if matched}),
            "score": round(hit.score, 4),
        } for hit in hits]).decode())
        return
    if not hits:
        click.echo(catalog.text("kb.no_results", query=query), err=True)
        sys.exit(1)

    def styled(text: str) -> str:
        return "".join(click.style(piece, bold=True, underline=True) if matched else piece
                       for piece, matched in marked_spans(text))

    for rank, hit in enumerate(hits, start=1):
        click.echo(f"{rank:2}. {styled(hit.title)}  [KB:{hit.id} v{hit.version} {hit.lang}]")
        if hit.snippet:
            click.echo(f"    {styled(hit.snippet)}")
