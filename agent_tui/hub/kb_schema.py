"""The hub's knowledge-base articles (issue 18, migration 11 ``_v11_kb_articles``): one row per
version of an article in one language, never deleted; its status moves on the hub only
(draft → review → published → withdrawn, or superseded by a later version), with who asked,
who approved and when by the hub's clock."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

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
    Index("hub_kb_articles_status", "status", "id", "lang"),
)
