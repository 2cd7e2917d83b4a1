"""The local store's knowledge-base tables (migration 12, issue 18): the published articles agents
read, their search index, and what agents said of them. Kept apart from ``schema`` (over 400
lines) and imported by it, as the training and QA tables are; ``schema`` adds kb_feedback's
append-only triggers, which it makes for every such table."""

from __future__ import annotations

# kb_index: FTS5 over text cut in Python (domain/segment.py): the words rjieba found, and every
# ideograph alone, joined by U+200B, which unicode61 splits on. porter stems the English.
V12_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS kb_articles (
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        category TEXT NOT NULL,
        request_types TEXT NOT NULL DEFAULT '',
        keywords TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        approved_by TEXT NOT NULL,
        approved_at TEXT NOT NULL,
        PRIMARY KEY (id, lang)
    )
    """,
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS kb_index USING fts5(
        article_id UNINDEXED, lang UNINDEXED,
        title, keywords, body, title_chars, body_chars,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    # The ranking, column by column (article_id, lang, title, keywords, body, title_chars,
    # body_chars): a word in the title or keywords counts most; the characters' columns only back
    # the words up. As the table's own rank, ORDER BY rank is sorted inside FTS5 and the
    # snippets are made for the rows returned only, not for every match.
    "INSERT INTO kb_index (kb_index, rank) VALUES ('rank', 'bm25(0, 0, 10.0, 6.0, 1.0, 4.0, 0.5)')",
    """
    CREATE TABLE IF NOT EXISTS kb_feedback (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        version INTEGER NOT NULL,
        agent_id TEXT NOT NULL,
        call_id TEXT,
        helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
        at TEXT NOT NULL
    )
    """,
)

# v15: the articles the hub published or withdrew, as its pull sent them (issue 18): for the
# (id, lang) pairs here, the hub's state is what agents read, whatever the library says
# (``store.kb_hub``). The latest state per article and language; kept while offline.
V15_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS kb_hub_articles (
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('published', 'withdrawn')),
        title TEXT NOT NULL,
        category TEXT NOT NULL,
        request_types TEXT NOT NULL DEFAULT '',
        keywords TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        approved_by TEXT NOT NULL DEFAULT '',
        approved_at TEXT NOT NULL DEFAULT '',
        withdrawn_by TEXT NOT NULL DEFAULT '',
        withdrawn_at TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (id, lang)
    )
    """,
)
