"""Where this device stands with the hub, kept in the local store (``sync_state``), and the status
line every screen shows: online or not, changes waiting, last good sync, conflicts to review."""

from __future__ import annotations

import sqlite3

import msgspec

DEVICE_ID = "device_id"
CURSOR = "cursor"
LAST_SYNC = "last_sync"  # the last sync that reached the hub and finished
LAST_ERROR = "last_error"  # the last failure's code, "" after a good sync


class SyncStatus(msgspec.Struct, frozen=True):
    configured: bool
    online: bool
    waiting: int
    conflicts: int
    last_sync: str
    last_error: str


def get(connection: sqlite3.Connection, key: str) -> str:
    row = connection.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else ""


def put(connection: sqlite3.Connection, key: str, value: str) -> None:
    connection.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def status(connection: sqlite3.Connection, configured: bool) -> SyncStatus:
    """Two small counts and two keys: cheap enough to read after every sync and every save."""
    waiting = connection.execute("SELECT count(*) FROM outbox").fetchone()[0]
    conflicts = connection.execute(
        "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()[0]
    last_error = get(connection, LAST_ERROR)
    last_sync = get(connection, LAST_SYNC)
    return SyncStatus(configured, configured and bool(last_sync) and not last_error, waiting,
                      conflicts, last_sync, last_error)
