"""The local store's QA reviews table (migration 13, issue 17): kept apart from ``schema`` (over
400 lines) and imported by it, as the training tables are. ``body`` is the review as the hub sent
it (``domain.qa_review.QaReview``); the columns are what the agent's list sorts and counts by."""

from __future__ import annotations

V13_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS qa_reviews (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        version INTEGER NOT NULL DEFAULT 1,
        body TEXT NOT NULL
    )
    """,
)
V13_INDEXES = ("CREATE INDEX IF NOT EXISTS qa_reviews_agent ON qa_reviews (agent_id, created_at)",)
