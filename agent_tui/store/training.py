"""Training attempts in the local store (a training session's own store, never the real one):
saved whole as the trainee finishes them, listed and loaded for the progress and replay screens,
summed up per scenario, and handed to the training sync in the order they were made.

The store sits below ``agent_tui.training``: it keeps an attempt's columns (``KeptAttempt``, which
``training.attempt.Attempt`` satisfies) and its encoded body, and gives the body back as JSON
text; ``training.attempts`` encodes and decodes the record.

A training store says what it is in ``meta`` (``purpose = training``): a training session opens
no store without the mark, so the real store can never be taken for one (``training.marked``)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Protocol

import msgspec

from agent_tui.domain.times import iso
from agent_tui.store.database import transaction

PURPOSE_KEY = "purpose"
TRAINING = "training"


class ScenarioProgress(msgspec.Struct, frozen=True):
    """One trainee's attempts at one scenario, summed up: scores oldest first (the sparkline)."""

    scenario_id: str
    attempts: int
    best: float
    last: float
    passed: bool
    scores: tuple[float, ...]


class KeptAttempt(Protocol):
    """The columns of an attempt the store sorts and counts by."""

    attempt_id: str
    trainee: str
    scenario_id: str
    language: str
    difficulty: str
    started_at: str
    ended_at: str
    outcome: str
    score: float
    passed: bool


class PendingAttempt(msgspec.Struct, frozen=True):
    seq: int
    body: str


def mark_training(connection: sqlite3.Connection) -> None:
    """Mark the store at ``connection`` as a training store (done once, when it is made)."""
    with transaction(connection):
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                           (PURPOSE_KEY, TRAINING))


def is_training(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (PURPOSE_KEY,)).fetchone()
    return row is not None and row[0] == TRAINING


def save_attempt(connection: sqlite3.Connection, attempt: KeptAttempt, body: bytes) -> bool:
    """Keep ``attempt`` (``body``: the whole record, encoded); False if an attempt with its id
    is already kept (saved once only)."""
    with transaction(connection):
        cursor = connection.execute(
            "INSERT OR IGNORE INTO training_attempts (attempt_id, trainee, scenario_id, language,"
            " difficulty, started_at, ended_at, outcome, score, passed, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (attempt.attempt_id, attempt.trainee, attempt.scenario_id, attempt.language,
             attempt.difficulty, attempt.started_at, attempt.ended_at, attempt.outcome,
             attempt.score, int(attempt.passed), body.decode()))
    return cursor.rowcount == 1


def load_attempt(connection: sqlite3.Connection, attempt_id: str) -> str | None:
    """The attempt's encoded record, or None."""
    row = connection.execute("SELECT body FROM training_attempts WHERE attempt_id = ?",
                             (attempt_id,)).fetchone()
    return row[0] if row else None


def list_attempts(connection: sqlite3.Connection, trainee: str, scenario_id: str | None = None,
                  limit: int = 200) -> list[str]:
    """``trainee``'s attempts (encoded), newest first (of one scenario if given)."""
    query = "SELECT body FROM training_attempts WHERE trainee = ?"
    values: tuple = (trainee,)
    if scenario_id is not None:
        query += " AND scenario_id = ?"
        values += (scenario_id,)
    rows = connection.execute(query + " ORDER BY ended_at DESC, seq DESC LIMIT ?",
                              (*values, limit)).fetchall()
    return [body for (body,) in rows]


def progress(connection: sqlite3.Connection, trainee: str) -> dict[str, ScenarioProgress]:
    """Per scenario ``trainee`` has tried, at any difficulty: attempts, best and last score,
    passed ever."""
    return {scenario_id: at_all[ANY] for scenario_id, at_all in _summed(connection, trainee).items()}


def progress_by_difficulty(connection: sqlite3.Connection, trainee: str
                           ) -> dict[str, dict[str, ScenarioProgress]]:
    """``progress`` per scenario and per difficulty played (``ANY``: all of them together)."""
    return _summed(connection, trainee)


ANY = ""  # the difficulty key of a scenario's attempts at every difficulty


def _summed(connection: sqlite3.Connection, trainee: str) -> dict[str, dict[str, ScenarioProgress]]:
    scores: dict[str, dict[str, list[tuple[float, bool]]]] = {}
    for scenario_id, difficulty, score, passed in connection.execute(
            "SELECT scenario_id, difficulty, score, passed FROM training_attempts "
            "WHERE trainee = ? ORDER BY ended_at, seq", (trainee,)):
        of_scenario = scores.setdefault(scenario_id, {})
        for key in (ANY, difficulty):
            of_scenario.setdefault(key, []).append((score, bool(passed)))
    return {scenario_id: {difficulty: ScenarioProgress(
        scenario_id, len(made), max(score for score, _ in made), made[-1][0],
        any(passed for _, passed in made), tuple(score for score, _ in made))
        for difficulty, made in of_scenario.items()}
        for scenario_id, of_scenario in scores.items()}


def unsynced(connection: sqlite3.Connection, limit: int = 100) -> list[PendingAttempt]:
    """Attempts the hub has not answered for yet, in the order they were made."""
    rows = connection.execute(
        "SELECT seq, body FROM training_attempts WHERE synced_at IS NULL ORDER BY seq LIMIT ?",
        (limit,)).fetchall()
    return [PendingAttempt(seq, body) for seq, body in rows]


def mark_synced(connection: sqlite3.Connection, attempt_id: str, at: datetime,
                refusal: str = "") -> None:
    """The hub answered for ``attempt_id``: kept (``refusal`` empty) or refused with a reason
    (kept here all the same; the progress screen still counts it)."""
    with transaction(connection):
        connection.execute(
            "UPDATE training_attempts SET synced_at = ?, sync_refusal = ? WHERE attempt_id = ?",
            (iso(at), refusal, attempt_id))


class RefusedAttempt(msgspec.Struct, frozen=True):
    """An attempt the hub refused: kept here and counted in progress, but no trainer sees it."""

    attempt_id: str
    scenario_id: str
    ended_at: str
    reason: str  # the hub's reason code, as it answered


def refused(connection: sqlite3.Connection, trainee: str) -> list[RefusedAttempt]:
    """``trainee``'s attempts the hub refused, newest first."""
    rows = connection.execute(
        "SELECT attempt_id, scenario_id, ended_at, sync_refusal FROM training_attempts "
        "WHERE trainee = ? AND sync_refusal != '' ORDER BY ended_at DESC, seq DESC",
        (trainee,)).fetchall()
    return [RefusedAttempt(*row) for row in rows]


def waiting(connection: sqlite3.Connection) -> int:
    """Attempts the hub has not answered for yet."""
    return connection.execute(
        "SELECT count(*) FROM training_attempts WHERE synced_at IS NULL").fetchone()[0]


CUSTOMER_COLUMNS = ("id", "name", "name_pinyin", "name_initials", "gender", "birth_date",
                    "id_number", "id_last6", "mobile", "segment", "is_elderly", "is_disabled",
                    "risk_level", "customer_since")


def add_customers(connection: sqlite3.Connection, rows: list[tuple]) -> int:
    """Synthetic customers (``CUSTOMER_COLUMNS``, the scenarios' personas) into a training store;
    one already there is left as it is. Returns how many were added."""
    with transaction(connection):
        cursor = connection.executemany(
            f"INSERT OR IGNORE INTO customers ({', '.join(CUSTOMER_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in CUSTOMER_COLUMNS)})", rows)
    return cursor.rowcount


CARD_COLUMNS = ("id", "customer_id", "kind", "product_code", "number", "last4", "status",
                "opened_on")


def set_cards(connection: sqlite3.Connection, rows: list[tuple]) -> None:
    """The personas' cards (``CARD_COLUMNS``) as a scenario starts them: added if missing, put
    back to their starting status if an attempt changed it (a card frozen in one attempt is
    active again for the next)."""
    with transaction(connection):
        connection.executemany(
            f"INSERT INTO accounts ({', '.join(CARD_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in CARD_COLUMNS)}) "
            "ON CONFLICT (id) DO UPDATE SET status = excluded.status", rows)
