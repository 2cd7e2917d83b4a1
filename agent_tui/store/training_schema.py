"""The local store's training tables (migration 11): kept apart from ``schema`` (over 400 lines)
and imported by it, so the schema's history still reads in one place, in order.

``training_attempts`` holds each attempt a trainee finished, whole (``body``, the encoded
``training.attempt.Attempt``), with the columns the progress and report views sort and count by.
``seq`` numbers the attempts for the hub (the training sync pushes them in that order, as the
outbox pushes its rows); ``synced_at`` is set once the hub has answered for it."""

from __future__ import annotations

V11_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS training_attempts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        attempt_id TEXT NOT NULL UNIQUE,
        trainee TEXT NOT NULL,
        scenario_id TEXT NOT NULL,
        language TEXT NOT NULL,
        difficulty TEXT NOT NULL CHECK (difficulty IN ('easy', 'normal', 'hard')),
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        score REAL NOT NULL,
        passed INTEGER NOT NULL,
        body TEXT NOT NULL,
        synced_at TEXT,
        sync_refusal TEXT NOT NULL DEFAULT ''
    )
    """,
)
V11_INDEXES = (
    "CREATE INDEX IF NOT EXISTS training_attempts_scenario "
    "ON training_attempts (trainee, scenario_id, ended_at)",
)
