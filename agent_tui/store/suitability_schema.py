"""The local store's suitability table (migration 14, issue 18), apart from ``schema`` as the
training, QA and knowledge-base tables are."""

from __future__ import annotations

# Product suitability (issue 18): each customer's risk-tolerance assessments, as the demo seed
# (data/assessments.py, the hub's own) gives them; the latest counts, the earlier ones are what the
# reassessment limits (two a day, eight a year) are counted on.
V14_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS risk_assessments (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('C1', 'C2', 'C3', 'C4', 'C5')),
        assessed_at TEXT NOT NULL,
        answers_version TEXT NOT NULL
    )
    """,
)
V14_INDEXES = (
    "CREATE INDEX IF NOT EXISTS risk_assessments_customer "
    "ON risk_assessments (customer_id, assessed_at)",
)
