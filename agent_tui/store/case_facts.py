"""What the escalation rules look at, gathered for one case from the store: the customer's segment
and flags, the case's words (title, description, notes), and their other cases of the category."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.domain.cases import Case
from agent_tui.domain.escalation import CaseFacts
from agent_tui.domain.stored import as_datetime
from agent_tui.domain.times import iso
from agent_tui.store.flags import open_flags


def case_facts(connection: sqlite3.Connection, case: Case, now: datetime) -> CaseFacts:
    row = connection.execute(
        "SELECT segment, is_elderly, is_disabled FROM customers WHERE id = ?",
        (case.customer_id,)).fetchone()
    segments = set()
    if row is not None:
        segments.add(row[0])
        segments.update(name for name, flag in (("elderly", row[1]), ("disabled", row[2]))
                        if flag)
    notes = [text for (text,) in connection.execute(
        "SELECT text FROM case_notes WHERE case_id = ? ORDER BY seq", (case.id,))]
    earlier = [
        (now - opened).total_seconds() / 86_400
        for (text,) in connection.execute(
            "SELECT opened_at FROM cases WHERE customer_id = ? AND category = ? AND id != ? "
            "AND opened_at <= ?", (case.customer_id, case.category, case.id, iso(now)))
        if (opened := as_datetime(text)) is not None  # a damaged row counts for nothing
    ]
    return CaseFacts(
        category=case.category, priority=case.priority, segments=frozenset(segments),
        flags=frozenset(flag.flag for flag in open_flags(connection, case.customer_id)),
        text="\n".join((case.title, case.description, *notes)), earlier_cases_by_days=earlier,
    )
