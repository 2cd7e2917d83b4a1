"""The hub's knowledge-base articles (issue 18, migration 11 ``_v11_kb_articles``): one row per
version of an article in one language, never deleted; its status moves on the hub only
(draft → review → published → withdrawn, or superseded by a later version), with who asked,
who approved and when by the hub's clock. A published version's title, keywords and body cut
into words (``domain.kb.WORD_FIELDS``, migration 12 ``_v12_kb_words``): cut once here, carried by
the pull, so no workstation loads rjieba for them; NULL until the version is published."""

from __future__ import annotations

import msgspec
from sqlalchemy import Column, Connection, Index, Integer, String, Table, Text, select, update

from agent_tui.domain.kb import WORD_FIELDS, cut_words, searched_texts
from agent_tui.hub.schema import metadata


def _text(name: str) -> Column:
    return Column(name, Text, nullable=False, server_default="")


kb_articles = Table(
    "kb_articles", metadata,
    Column("id", String(32), primary_key=True),
    Column("lang", String(8), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("category", String(32), nullable=False),
    *(_text(name) for name in ("request_types", "keywords", "body")),  # the words: JSON lists
    Column("author", String(64), nullable=False),
    Column("reviewer", String(64), nullable=False, server_default=""),
    *(_text(name) for name in ("submitted_at", "approved_by", "approved_at", "withdrawn_by",
                               "withdrawn_at")),
    *(Column(name, Text, nullable=True) for name in WORD_FIELDS),
    Index("hub_kb_articles_status", "status", "id", "lang"),
)


def words_of(title: str, keywords: str, body: str) -> dict[str, str]:
    """The word columns of a version being published (``keywords``: the JSON list held)."""
    texts = searched_texts(title, msgspec.json.decode(keywords or "[]"), body)
    return dict(zip(WORD_FIELDS, cut_words(texts), strict=True))


def cut_published(connection: Connection) -> int:
    """Give the published versions that have no words theirs (migration 12, once); how many."""
    columns = kb_articles.c
    rows = connection.execute(select(
        columns.id, columns.lang, columns.version, columns.title, columns.keywords,
        columns.body).where(columns.status == "published", columns.title_words.is_(None))).all()
    for row in rows:
        connection.execute(update(kb_articles).where(
            columns.id == row.id, columns.lang == row.lang, columns.version == row.version
        ).values(**words_of(row.title, row.keywords, row.body)))
    return len(rows)
