"""SYNC.md's three checks after a scenario's final, fault-free sync.

1. Every mutation a workstation queued is on the hub exactly once, or recorded as refused with
   its reason (and shown to the agent in ``sync_conflicts``); no effect is doubled.
2. Every workstation's copy equals the hub's view (cases it holds, their notes, cached customers).
3. Every outbox is empty.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from sqlalchemy import Engine, func, select

from agent_tui.domain.masking import mask_mobile
from agent_tui.hub.database import reading
from agent_tui.hub.schema import case_events, case_notes, cases, customers, mutation_results

VIEW = ("status", "priority", "assigned_to", "escalated_to", "number", "title", "version")


class Ledger:
    """Every mutation id a workstation ever queued, read from its outbox before each sync."""

    def __init__(self) -> None:
        self.queued: dict[str, str] = {}

    def note(self, connection: sqlite3.Connection) -> None:
        for mutation_id, name in connection.execute("SELECT mutation_id, name FROM outbox"):
            self.queued[mutation_id] = name


def assert_converged(engine: Engine, connection: sqlite3.Connection, ledger: Ledger,
                     agent_id: str) -> None:
    # 3. An empty outbox.
    assert connection.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    # 1. Exactly once, or refused with a reason the agent can see.
    with reading(engine) as hub:
        rows = hub.execute(select(mutation_results.c.mutation_id, mutation_results.c.status,
                                  mutation_results.c.reason).where(
            mutation_results.c.mutation_id.in_(list(ledger.queued)))).all() if ledger.queued \
            else []
        counts = Counter(row.mutation_id for row in rows)
        assert set(counts) == set(ledger.queued), "a queued mutation never reached the hub"
        assert max(counts.values(), default=1) == 1, "a mutation was recorded twice"
        kept = {row[0] for row in connection.execute("SELECT mutation_id FROM sync_conflicts")}
        for row in rows:
            if row.status != "applied":
                assert row.reason, f"{row.mutation_id} refused without a reason"
                assert row.mutation_id in kept, "a refusal the agent was never shown"
        # No doubled effect: one note per id, one status event per applied status change.
        notes = hub.execute(select(case_notes.c.id)).scalars().all()
        assert len(notes) == len(set(notes))
        applied_changes = Counter(
            row.mutation_id for row in rows if row.status == "applied")
        status_events = hub.execute(select(func.count()).select_from(case_events).where(
            case_events.c.kind.in_(("status", "escalated", "reopened")),
            case_events.c.agent_id == agent_id)).scalar()
        local_status_changes = sum(1 for mutation_id in applied_changes if ledger.queued[
            mutation_id] in ("case.status", "case.escalated", "case.reopened"))
        assert status_events == local_status_changes
        # 2. The workstation's copy is the hub's view.
        local_cases = connection.execute(
            f"SELECT id, {', '.join(VIEW)} FROM cases WHERE created_by = ? OR assigned_to = ?",
            (agent_id, agent_id)).fetchall()
        for row in local_cases:
            held = hub.execute(select(*(cases.c[name] for name in VIEW)).where(
                cases.c.id == row[0])).first()
            if held is None:  # a demo case of the seed the hub does not hold
                continue
            assert tuple(held) == tuple(row[1:]), f"case {row[0]} differs: {row[1:]} vs {held}"
            hub_notes = set(hub.execute(select(case_notes.c.id).where(
                case_notes.c.case_id == row[0])).scalars())
            # A note the hub refused stays on the workstation, listed for the agent to redo.
            local_notes = {note for (note,) in connection.execute(
                "SELECT id FROM case_notes WHERE case_id = ? AND id NOT IN (SELECT "
                "json_extract(args_json, '$.id') FROM sync_conflicts WHERE name IN "
                "('case.add_note', 'case.attach_contact'))", (row[0],))}
            assert hub_notes == local_notes, f"notes of case {row[0]} differ"
        for customer_id, version, mobile, masked in connection.execute(
                "SELECT id, version, mobile, masked FROM customers"):
            held = hub.execute(select(customers.c.version, customers.c.mobile).where(
                customers.c.id == customer_id)).first()
            if held is not None:
                # What came from the hub is held masked: never the full number.
                expected = mask_mobile(held.mobile) if masked else held.mobile
                assert (held.version, expected) == (version, mobile)
