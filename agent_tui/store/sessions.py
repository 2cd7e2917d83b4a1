"""How the agent's last session ended. A deliberate quit (ctrl+q) leaves a mark; a process killed,
a crash or a closed terminal leaves none. The next start reads it once, so what it offers back
says what happened: "you quit during a call", not "the workstation ended"."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.domain.times import iso
from agent_tui.store.database import transaction


def _key(agent_id: str) -> str:
    return f"quit:{agent_id}"


def mark_quit(connection: sqlite3.Connection, agent_id: str, at: datetime) -> None:
    with transaction(connection):
        connection.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                           "DO UPDATE SET value = excluded.value", (_key(agent_id), iso(at)))


def take_quit(connection: sqlite3.Connection, agent_id: str) -> bool:
    """Whether the agent's last session ended with a deliberate quit; the mark is used up."""
    with transaction(connection):
        return connection.execute("DELETE FROM meta WHERE key = ?",
                                  (_key(agent_id),)).rowcount > 0
