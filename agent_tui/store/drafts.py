"""Drafts: what the agent is in the middle of (the call in progress, a case form, a case note),
saved within a second of the last keystroke so a killed process loses nothing. One row per thing
being typed, replaced on every save and removed when the thing is saved for real. After a
restart the agent is offered each draft, exactly as it was."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import msgspec

from agent_tui.disk import is_disk_full
from agent_tui.domain.times import iso
from agent_tui.store.database import StoreError, transaction


class Draft(msgspec.Struct, frozen=True):
    key: str  # "call:<id>", "case-form:<customer id>", "case-note:<case id>", "qa-score:<call id>"
    kind: str  # "call" | "case_form" | "case_note" | "qa_score"
    saved_at: str
    body: dict


def save(connection: sqlite3.Connection, key: str, kind: str, agent_id: str, body: object,
         at: datetime) -> None:
    """Replace the draft under ``key``; one short transaction, committed to disk (the store runs
    synchronous=FULL), so it survives the process being killed the moment after. ``body`` is
    anything msgspec encodes (a dict, a Struct), as JSON."""
    with transaction(connection):
        connection.execute(
            "INSERT INTO drafts (key, kind, agent_id, saved_at, body) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET saved_at = excluded.saved_at, body = excluded.body",
            (key, kind, agent_id, iso(at), msgspec.json.encode(body).decode()))


def discard(connection: sqlite3.Connection, key: str) -> None:
    with transaction(connection):
        connection.execute("DELETE FROM drafts WHERE key = ?", (key,))


def pending(connection: sqlite3.Connection, agent_id: str) -> list[Draft]:
    """The agent's drafts, oldest first; one that cannot be read is skipped, not fatal."""
    found = []
    for key, kind, saved_at, body in connection.execute(
            "SELECT key, kind, saved_at, body FROM drafts WHERE agent_id = ? ORDER BY saved_at",
            (agent_id,)):
        try:
            found.append(Draft(key, kind, saved_at, msgspec.json.decode(body)))
        except msgspec.DecodeError:
            continue
    return found


def failure(path: Path, error: sqlite3.Error) -> StoreError:
    """What to tell the agent when a draft could not be written: what they typed is on screen
    only until it can be (a full disk, by name and place, above all)."""
    if is_disk_full(error, path.parent):
        return StoreError("store.draft_disk_full", path=str(path))
    return StoreError("store.draft_failed", path=str(path), reason=str(error))


# What a draft of each kind holds that the agent typed (a call's draft is never blank); a QA
# scoring form's are the marks and comments the reviewer entered, a reassessment's the answers.
_TYPED = {"case_note": ("text",), "case_form": ("title", "description", "sub_category"),
          "qa_score": ("marks", "comments"), "reassess": ("answers",)}


def blank(kind: str, body: dict) -> bool:
    """Whether a draft holds nothing typed (a note box cleared, a form left empty): not kept,
    never offered after a restart."""
    fields = _TYPED.get(kind)
    return fields is not None and not any(_typed(body.get(field)) for field in fields)


def _typed(value: object) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)
