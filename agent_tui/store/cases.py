"""Cases in the store: opened, worked, escalated, resolved; notes and every change append-only.

Every write is one transaction with its audit: the change to the case, a ``case_events`` row
(who, when, from, to) and, where customer data is touched, the audit log. A change carries the
version of the case the agent was looking at; if another agent (another process on the store, or
later the hub) changed it meanwhile, the change is refused with the case as it is now, so nobody
overwrites what they have not seen. Notes never conflict: they are only ever added.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import msgspec

from agent_tui.domain.cases import (
    CASE_FIELDS,
    CHANNELS,
    OPEN_STATUSES,
    PRIORITIES,
    Case,
    attach_candidate,
    case_number,
    is_reopening,
    transition_refusal,
)
from agent_tui.domain.ids import new_id
from agent_tui.domain.mutation_args import (
    ARGS,
    CaseAddNote,
    CaseAttachContact,
    CaseChanges,
    CaseOpen,
)
from agent_tui.domain.sla import SlaPolicy, due_at
from agent_tui.domain.stored import as_datetime
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.i18n import TranslatableError
from agent_tui.store import audit, outbox
from agent_tui.store.database import transaction

NOTE_LIMIT = 20_000  # characters: a record of a contact, not a document
TITLE_LIMIT = 200
_TIMES = frozenset({"opened_at", "due_at", "updated_at", "first_response_due",
                    "first_response_at", "paused_since", "breached_at"})


class CaseError(TranslatableError):
    """A case change that cannot be made, with the reason and what to do (catalog key)."""


class CaseConflict(CaseError):
    """Someone else changed the case since it was read: ``current`` is how it is now."""

    def __init__(self, current: Case) -> None:
        super().__init__("case.conflict", number=current.number)
        self.current = current


class CaseDraft(msgspec.Struct, kw_only=True):
    """What the case form holds: the fields an agent fills in to open a case."""

    customer_id: str
    channel: str = "phone"
    category: str = "consultation"
    sub_category: str = ""
    priority: str = "normal"
    title: str = ""
    description: str = ""
    call_id: str | None = None


class CaseNote(msgspec.Struct, frozen=True):
    seq: int
    at: str
    agent_id: str
    text: str


class CaseEvent(msgspec.Struct, frozen=True):
    seq: int
    at: str
    agent_id: str
    kind: str
    from_status: str
    to_status: str
    detail: dict[str, str]


_REQUIRED_TIMES = frozenset({"opened_at", "due_at", "updated_at"})


class CaseDamaged(CaseError):
    """A case whose stored times do not parse: its clock cannot run, so it cannot be worked
    here; the screens say so and carry on (agent_tui.domain.stored)."""

    def __init__(self, number: str) -> None:
        super().__init__("case.damaged", number=sanitize(number)[:40])


def _case(row: tuple) -> Case:
    values = dict(zip(CASE_FIELDS, row, strict=True))
    for column in _TIMES:
        text = values[column]
        values[column] = at = as_datetime(text)
        if at is None and (text or column in _REQUIRED_TIMES):
            raise CaseDamaged(str(values["number"]))
    return Case(**values)


def _readable(rows: list[tuple]) -> list[Case]:
    """The cases of ``rows`` that can be read; a damaged one is left out of a list to choose
    from (its own screen says what is wrong with it)."""
    cases = []
    for row in rows:
        try:
            cases.append(_case(row))
        except CaseDamaged:
            continue
    return cases


class CaseStore:
    """Cases for one agent on one connection (one per thread)."""

    def __init__(self, connection: sqlite3.Connection, policy: SlaPolicy, agent_id: str,
                 staff_number: str) -> None:
        self.connection = connection
        self.policy = policy
        self.agent_id = agent_id
        self.staff_number = staff_number or agent_id

    # -- reading -------------------------------------------------------------------------

    def get(self, case_id: str) -> Case:
        row = self.connection.execute(
            f"SELECT {', '.join(CASE_FIELDS)} FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise CaseError("case.missing", case=case_id)
        return _case(row)

    def open_for(self, customer_id: str) -> list[Case]:
        placeholders = ", ".join("?" for _ in OPEN_STATUSES)
        rows = self.connection.execute(
            f"SELECT {', '.join(CASE_FIELDS)} FROM cases WHERE customer_id = ? "
            f"AND status IN ({placeholders}) ORDER BY due_at", (customer_id, *OPEN_STATUSES),
        ).fetchall()
        return _readable(rows)

    def attach_candidate(self, customer_id: str, category: str, now: datetime,
                         window_days: int) -> Case | None:
        return attach_candidate(self.open_for(customer_id), category, now,
                                timedelta(days=window_days))

    def notes(self, case_id: str) -> list[CaseNote]:
        rows = self.connection.execute(
            "SELECT seq, at, agent_id, text FROM case_notes WHERE case_id = ? ORDER BY seq",
            (case_id,)).fetchall()
        return [CaseNote(*row) for row in rows]

    def events(self, case_id: str) -> list[CaseEvent]:
        rows = self.connection.execute(
            "SELECT seq, at, agent_id, kind, from_status, to_status, detail FROM case_events "
            "WHERE case_id = ? ORDER BY seq", (case_id,)).fetchall()
        return [CaseEvent(*row[:6], json.loads(row[6])) for row in rows]

    # -- writing -------------------------------------------------------------------------

    def open(self, draft: CaseDraft, at: datetime) -> Case:
        """A new case, numbered and due per the SLA policy; refused with the reason if the
        draft cannot be a case (nothing is written then, and the form keeps what was typed)."""
        title = sanitize(draft.title).strip()
        description = sanitize(draft.description, multiline=True)
        self._check_draft(draft, title, description)
        target = self.policy.target(draft.category, draft.priority)
        case_id = new_id()
        with transaction(self.connection):
            number = self._next_number(at)
            self.connection.execute(
                "INSERT INTO cases (id, number, customer_id, channel, category, sub_category, "
                "priority, status, title, description, opened_at, due_at, updated_at, "
                "created_by, assigned_to, call_id, first_response_due) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, number, draft.customer_id, draft.channel, draft.category,
                 sanitize(draft.sub_category).strip(), draft.priority, title, description,
                 iso(at), iso(due_at(self.policy, at, target.resolution)), iso(at),
                 self.agent_id, self.agent_id, draft.call_id,
                 iso(self.policy.add(at, target.first_response))),
            )
            self._event(case_id, at, "opened", "", "new",
                        {"number": number, "channel": draft.channel, "call_id": draft.call_id or ""})
            outbox.enqueue(self.connection, "case.open", CaseOpen(
                id=case_id, number=number, customer_id=draft.customer_id,
                channel=draft.channel, category=draft.category,
                sub_category=sanitize(draft.sub_category).strip(), priority=draft.priority,
                title=title, description=description, opened_at=iso(at),
                call_id=draft.call_id), at)
            audit.record(self.connection, agent_id=self.agent_id, action="case.open", at=at,
                         customer_id=draft.customer_id,
                         detail={"case_id": case_id, "number": number})
        return self.get(case_id)

    def change_status(self, case: Case, wanted: str, at: datetime, reason: str = "") -> Case:
        refusal = transition_refusal(case.status, wanted)
        if refusal is not None:
            raise CaseError(refusal.reason_key, status=case.status, wanted=wanted,
                            allowed=", ".join(refusal.allowed))
        changes: dict[str, object] = {"status": wanted}
        if self.policy.pause_when_pending:
            if wanted == "pending_customer" and case.paused_since is None:
                changes["paused_since"] = iso(at)
            elif case.paused_since is not None:  # leaving pending: the clock runs again
                paused = case.paused_seconds + int(
                    self.policy.between(case.paused_since, at).total_seconds())
                target = self.policy.target(case.category, case.priority)
                changes.update(paused_since=None, paused_seconds=paused,
                               due_at=iso(due_at(self.policy, case.opened_at, target.resolution,
                                                 paused)))
        kind = "reopened" if is_reopening(case.status, wanted) else "status"
        return self._update(case, changes, at, kind, wanted, {"reason": sanitize(reason)})

    def escalate(self, case: Case, target: str, reason: str, at: datetime) -> Case:
        target, reason = sanitize(target).strip(), sanitize(reason).strip()
        if not target or not reason:
            raise CaseError("case.escalation_needs")
        # Escalating an escalated case again hands it to another group: allowed, recorded.
        refusal = None if case.status == "escalated" else transition_refusal(case.status,
                                                                              "escalated")
        if refusal is not None:
            raise CaseError(refusal.reason_key, status=case.status, wanted="escalated",
                            allowed=", ".join(refusal.allowed))
        return self._update(case, {"status": "escalated", "escalated_to": target,
                                   "escalation_reason": reason}, at, "escalated", "escalated",
                            {"target": target, "reason": reason})

    def add_note(self, case: Case, text: str, at: datetime) -> CaseNote:
        """Append a note; the first note after opening is the case's first response."""
        text = sanitize(text, multiline=True).strip()
        if not text:
            raise CaseError("case.note_empty")
        if len(text) > NOTE_LIMIT:
            raise CaseError("case.note_too_long", length=f"{len(text):,}", limit=f"{NOTE_LIMIT:,}")
        with transaction(self.connection):
            note_id = new_id()
            cursor = self.connection.execute(
                "INSERT INTO case_notes (id, case_id, at, agent_id, text) VALUES (?, ?, ?, ?, ?)",
                (note_id, case.id, iso(at), self.agent_id, text))
            outbox.enqueue(self.connection, "case.add_note",
                           CaseAddNote(id=note_id, case_id=case.id, text=text, at=iso(at)), at)
            self.connection.execute(
                "UPDATE cases SET updated_at = ?, first_response_at = "
                "coalesce(first_response_at, ?) WHERE id = ?", (iso(at), iso(at), case.id))
            self._event(case.id, at, "note", case.status, case.status, {"length": str(len(text))})
        return CaseNote(cursor.lastrowid, iso(at), self.agent_id, text)

    def attach_contact(self, case: Case, channel: str, text: str, at: datetime,
                       call_id: str | None = None) -> Case:
        """Another contact about the same matter (any channel): recorded on this case as a
        note and an event, instead of a second case."""
        text = sanitize(text, multiline=True).strip() or "-"
        if len(text) > NOTE_LIMIT:
            raise CaseError("case.note_too_long", length=f"{len(text):,}", limit=f"{NOTE_LIMIT:,}")
        with transaction(self.connection):
            note_id = new_id()
            self.connection.execute(
                "INSERT INTO case_notes (id, case_id, at, agent_id, text) VALUES (?, ?, ?, ?, ?)",
                (note_id, case.id, iso(at), self.agent_id, text))
            outbox.enqueue(self.connection, "case.attach_contact", CaseAttachContact(
                id=note_id, case_id=case.id, channel=channel, call_id=call_id, text=text,
                at=iso(at)), at)
            self.connection.execute("UPDATE cases SET updated_at = ? WHERE id = ?",
                                    (iso(at), case.id))
            self._event(case.id, at, "attached", case.status, case.status,
                        {"channel": channel, "call_id": call_id or ""})
            audit.record(self.connection, agent_id=self.agent_id, action="case.attach", at=at,
                         customer_id=case.customer_id,
                         detail={"case_id": case.id, "channel": channel})
        return self.get(case.id)

    def mark_breaches(self, now: datetime) -> int:
        """Stamp this agent's open cases past their due time (and not paused) as breached,
        once: a breach stays on the record even if the case is later resolved."""
        placeholders = ", ".join("?" for _ in OPEN_STATUSES)
        with transaction(self.connection):
            cursor = self.connection.execute(
                f"UPDATE cases SET breached_at = due_at WHERE assigned_to = ? "
                f"AND status IN ({placeholders}) AND due_at < ? AND breached_at IS NULL "
                f"AND paused_since IS NULL", (self.agent_id, *OPEN_STATUSES, iso(now)))
        return cursor.rowcount

    # -- helpers -------------------------------------------------------------------------

    def _check_draft(self, draft: CaseDraft, title: str, description: str) -> None:
        exists = self.connection.execute(
            "SELECT 1 FROM customers WHERE id = ?", (draft.customer_id,)).fetchone()
        if not exists:
            raise CaseError("case.no_customer", customer=sanitize(draft.customer_id)[:40])
        if not title:
            raise CaseError("case.title_missing")
        if len(title) > TITLE_LIMIT:
            raise CaseError("case.title_too_long", limit=TITLE_LIMIT)
        if len(description) > NOTE_LIMIT:
            raise CaseError("case.note_too_long", length=f"{len(description):,}",
                            limit=f"{NOTE_LIMIT:,}")
        if draft.channel not in CHANNELS or draft.priority not in PRIORITIES:
            raise CaseError("case.bad_field", channel=draft.channel, priority=draft.priority)

    def _next_number(self, at: datetime) -> str:
        prefix = case_number(at, self.staff_number, 0)[:-3]
        # A range on the unique index of numbers (LIKE would scan every case).
        last = self.connection.execute(
            "SELECT max(number) FROM cases WHERE number >= ? AND number < ?",
            (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))).fetchone()[0]
        sequence = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
        return case_number(at, self.staff_number, sequence)

    def _update(self, case: Case, changes: dict[str, object], at: datetime, kind: str,
                wanted: str, detail: dict[str, str]) -> Case:
        """Apply ``changes`` if the case is still at the version the agent saw."""
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with transaction(self.connection):
            cursor = self.connection.execute(
                f"UPDATE cases SET {assignments}, updated_at = ?, version = version + 1 "
                "WHERE id = ? AND version = ?",
                (*changes.values(), iso(at), case.id, case.version))
            if cursor.rowcount == 0:
                raise CaseConflict(self.get(case.id))
            self._event(case.id, at, kind, case.status, wanted, detail)
            # The version seen goes with it: the hub answers a stale change with a conflict.
            outbox.enqueue(self.connection, f"case.{kind}", ARGS[f"case.{kind}"](
                case_id=case.id, base_version=case.version, changes=CaseChanges(**changes),
                detail=detail, at=iso(at)), at)
            audit.record(self.connection, agent_id=self.agent_id, action=f"case.{kind}", at=at,
                         customer_id=case.customer_id,
                         detail={"case_id": case.id, "from": case.status, "to": wanted})
        return self.get(case.id)

    def _event(self, case_id: str, at: datetime, kind: str, from_status: str, to_status: str,
               detail: dict[str, str]) -> None:
        self.connection.execute(
            "INSERT INTO case_events (id, case_id, at, agent_id, kind, from_status, to_status, "
            "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id(), case_id, iso(at), self.agent_id, kind, from_status, to_status,
             json.dumps(detail, ensure_ascii=False)))
