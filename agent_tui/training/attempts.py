"""Attempts kept in the training store: ``store.training`` keeps the columns and the encoded
record; here the record is encoded on the way in and decoded on the way out."""

from __future__ import annotations

import sqlite3

from agent_tui.store import training as kept
from agent_tui.training.attempt import Attempt, decode, encode


def save(connection: sqlite3.Connection, attempt: Attempt) -> bool:
    """Keep ``attempt`` once; False if it was kept already."""
    return kept.save_attempt(connection, attempt, encode(attempt))


def load(connection: sqlite3.Connection, attempt_id: str) -> Attempt | None:
    body = kept.load_attempt(connection, attempt_id)
    return decode(body) if body is not None else None


def of_trainee(connection: sqlite3.Connection, trainee: str,
               scenario_id: str | None = None) -> list[Attempt]:
    """``trainee``'s attempts, newest first."""
    return [decode(body) for body in kept.list_attempts(connection, trainee, scenario_id)]


def certified(progress: dict[str, kept.ScenarioProgress], core: set[str] | frozenset[str]) -> bool:
    """Certified once every core scenario has been passed at least once (and there is one)."""
    return bool(core) and all(
        scenario_id in progress and progress[scenario_id].passed for scenario_id in core)
