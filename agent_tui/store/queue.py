"""'My queue' (F4): the agent's open cases and scheduled callbacks in one list, most at risk first.

At risk means due soonest: what is already overdue (a breached case, a late callback) comes first,
then by time left. A case paused while it waits for the customer is not at risk while it waits,
so the paused ones follow. Paged, as the queue of a busy agent or a team lead can be long.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.cases import OPEN_STATUSES
from agent_tui.domain.times import iso

PAGE = 50


class QueueItem(msgspec.Struct, frozen=True):
    kind: str  # "case" | "callback"
    id: str
    customer_id: str
    customer_name: str
    number: str  # the case's number ('' for a callback without a case)
    title: str  # a case's title, a callback's reason
    status: str
    priority: str
    due_at: str
    breached: bool
    paused: bool
    flagged: bool = False  # the customer carries an open flag (possible fraud)

    def overdue(self, now: datetime) -> bool:
        return self.breached or self.due_at < iso(now)


_OPEN = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
# The page is chosen on the index alone (cases_at_risk covers the order; callbacks are few),
# then its rows are read with the customers' names: joining a long queue before sorting it costs
# a row read and a name lookup per item.
_ORDER = f"""
    SELECT 'case' AS kind, c.rowid AS rid, c.due_at, c.paused_since IS NOT NULL AS paused
    FROM cases c WHERE c.assigned_to = :agent AND c.status IN ({_OPEN})
    UNION ALL
    SELECT 'callback', b.rowid, b.due_at, 0
    FROM callbacks b WHERE b.agent_id = :agent AND b.status = 'scheduled'
    ORDER BY paused, due_at, kind LIMIT :limit OFFSET :offset
"""
_PAGE = f"""
    SELECT q.kind, coalesce(c.id, b.id), coalesce(c.customer_id, b.customer_id), cu.name,
           coalesce(c.number, k.number, ''), coalesce(c.title, b.reason),
           coalesce(c.status, b.status), coalesce(c.priority, ''), q.due_at,
           c.breached_at IS NOT NULL, q.paused,
           EXISTS (SELECT 1 FROM customer_flags f WHERE f.customer_id = cu.id
                   AND f.cleared_at IS NULL)
    FROM ({_ORDER}) q
    LEFT JOIN cases c ON q.kind = 'case' AND c.rowid = q.rid
    LEFT JOIN callbacks b ON q.kind = 'callback' AND b.rowid = q.rid
    LEFT JOIN cases k ON k.id = b.case_id
    JOIN customers cu ON cu.id = coalesce(c.customer_id, b.customer_id)
    ORDER BY q.paused, q.due_at, q.kind
"""


def my_queue(connection: sqlite3.Connection, agent_id: str, offset: int = 0,
             limit: int = PAGE) -> tuple[list[QueueItem], int]:
    """One page of the agent's queue, and how many items it has in all."""
    rows = connection.execute(
        _PAGE, {"agent": agent_id, "limit": limit, "offset": offset}).fetchall()
    total = connection.execute(
        f"SELECT (SELECT count(*) FROM cases WHERE assigned_to = :agent AND status IN ({_OPEN}))"
        " + (SELECT count(*) FROM callbacks WHERE agent_id = :agent AND status = 'scheduled')",
        {"agent": agent_id},
    ).fetchone()[0]
    return [QueueItem(*row[:9], bool(row[9]), bool(row[10]), bool(row[11])) for row in rows], \
        total
