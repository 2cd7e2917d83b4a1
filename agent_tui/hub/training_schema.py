"""The hub's training table (migration 5), apart from real customers and cases: in a module of its
own so the migration and the training handlers both import it (``schema`` is over 300 lines)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, String, Table, Text

from agent_tui.hub.schema import metadata

training_attempts = Table(
    "training_attempts", metadata,
    Column("attempt_id", String(64), primary_key=True),
    Column("trainee", String(64), nullable=False),
    Column("team", String(64), nullable=False, server_default=""),
    Column("scenario_id", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("difficulty", String(8), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("ended_at", String(32), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("compliance", Float, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("record", Text, nullable=False),
    Column("received_at", String(32), nullable=False),
    Index("hub_training_attempts_trainee", "trainee", "scenario_id", "ended_at"),
)
