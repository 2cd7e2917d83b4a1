"""Applying one workstation mutation to the hub's tables (SYNC.md's conflict policy).

Each handler runs inside the push's per-mutation transaction and either applies the change (with
its change-log rows), raises ``Rejected`` for a mutation that can never apply (it is recorded and
the device moves on), or returns a conflict with the record as the hub holds it. Case status is a
server state machine checked under a row lock against the version the agent saw; notes, call
records, flags and audit events are append-only and inserted if absent by their client id.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import Connection, and_, exists, select, text, update

from agent_tui.domain.cases import CHANNELS, PRIORITIES, transition_refusal
from agent_tui.domain.sla import SlaPolicy, due_at
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.hub import changes
from agent_tui.hub.auth import Principal
from agent_tui.hub.schema import (
    audit_log,
    call_events,
    callbacks,
    calls,
    case_events,
    case_notes,
    cases,
    customer_flags,
    customers,
    mutation_results,
    operations,
)

NOTE_LIMIT = 20_000
_CASE_CHANGES = ("status", "paused_since", "paused_seconds", "due_at", "escalated_to",
                 "escalation_reason")
_TIME_CHANGES = frozenset({"paused_since", "due_at"})


class Rejected(Exception):
    """A mutation that can never apply: recorded with its reason, and the device moves on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Outcome(msgspec.Struct, frozen=True):
    status: str  # applied | conflict
    current: dict | None = None
    reason: str = ""
    entity_id: str = ""
    phantom_version: int | None = None


class MutationContext(msgspec.Struct, frozen=True):
    connection: Connection
    principal: Principal
    device_id: str
    mutation_id: str
    now: datetime  # the hub's clock
    shift: timedelta  # hub clock minus the device's, measured on this push
    policy: SlaPolicy

    def time(self, value: object) -> str:
        """A time the device reported, moved onto the hub's clock and never in the future:
        the hub does not trust the client's clock."""
        if not isinstance(value, str) or not value:
            return iso(self.now)
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            raise Rejected("bad_time") from None
        if at.tzinfo is not None:
            at = at.astimezone().replace(tzinfo=None)
        return iso(min(at + self.shift, self.now))


@functools.cache
def _insert_ignoring(table_name: str, columns: tuple[str, ...], key: tuple[str, ...]):
    # Text, not the dialects' insert().on_conflict_do_nothing(): that construct has no cache
    # key, so SQLAlchemy compiled it again for every row (a third of the hub's push time).
    # SQLite and PostgreSQL spell this statement the same way. RETURNING rather than rowcount:
    # psycopg reports -1 for an INSERT … ON CONFLICT here.
    return text(f"INSERT INTO {table_name} ({', '.join(columns)}) VALUES "
                f"({', '.join(':' + column for column in columns)}) ON CONFLICT DO NOTHING "
                f"RETURNING {', '.join(key)}")


def insert_if_absent(connection: Connection, table, values: dict) -> bool:
    """Insert by primary key unless present; True if this call inserted it."""
    statement = _insert_ignoring(table.name, tuple(values),
                                 tuple(column.name for column in table.primary_key.columns))
    return connection.execute(statement, values).first() is not None


def _text(args: dict, key: str, *, required: bool = True, limit: int = 500,
          multiline: bool = False) -> str:
    value = args.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Rejected(f"missing_{key}")
    value = sanitize(value, multiline=multiline).strip()
    if len(value) > limit:
        raise Rejected(f"too_long_{key}")
    return value


def _optional_id(args: dict, key: str) -> str | None:
    value = args.get(key)
    return sanitize(value)[:64] if isinstance(value, str) and value else None


def _customer_exists(connection: Connection, customer_id: str) -> bool:
    return connection.execute(select(exists().where(customers.c.id == customer_id))).scalar()


def _may_work(principal: Principal, case: dict) -> bool:
    if principal.agent_id in (case["assigned_to"], case["created_by"]):
        return True
    return principal.role == "supervisor" and bool(principal.team) and \
        principal.team == case["team"]


def _case_for(context: MutationContext, case_id: str, *, lock: bool) -> dict:
    case = changes.case_row(context.connection, case_id, lock=lock)
    if case is None:
        raise Rejected("unknown_case")
    if not _may_work(context.principal, case):
        raise Rejected("forbidden")
    return case


def _event(context: MutationContext, case_id: str, at: str, kind: str, from_status: str,
           to_status: str, detail: dict) -> None:
    context.connection.execute(case_events.insert().values(
        case_id=case_id, at=at, agent_id=context.principal.agent_id, kind=kind,
        from_status=from_status, to_status=to_status,
        detail=msgspec.json.encode(detail).decode()))


def open_case(context: MutationContext, args: dict) -> Outcome:
    connection = context.connection
    case_id = _text(args, "id", limit=64)
    customer_id = _text(args, "customer_id", limit=64)
    if not _customer_exists(connection, customer_id):
        raise Rejected("unknown_customer")
    channel, priority = args.get("channel"), args.get("priority")
    if channel not in CHANNELS or priority not in PRIORITIES:
        raise Rejected("bad_field")
    if changes.case_row(connection, case_id) is not None:
        raise Rejected("case_exists")
    category = _text(args, "category", limit=64)
    opened = datetime.fromisoformat(context.time(args.get("opened_at")))
    target = context.policy.target(category, priority)
    number = _free_number(connection, _text(args, "number", limit=40))
    connection.execute(cases.insert().values(
        id=case_id, number=number, customer_id=customer_id, channel=channel, category=category,
        sub_category=_text(args, "sub_category", required=False, limit=64), priority=priority,
        status="new", title=_text(args, "title", limit=200),
        description=_text(args, "description", required=False, limit=NOTE_LIMIT, multiline=True),
        opened_at=iso(opened), due_at=iso(due_at(context.policy, opened, target.resolution)),
        updated_at=iso(opened), created_by=context.principal.agent_id,
        assigned_to=context.principal.agent_id, call_id=_optional_id(args, "call_id"),
        first_response_due=iso(context.policy.add(opened, target.first_response)),
        version=1, team=context.principal.team))
    _event(context, case_id, iso(opened), "opened", "", "new", {"number": number})
    changes.record_case(connection, changes.case_row(connection, case_id), context.now)
    return Outcome("applied", entity_id=case_id)


def _free_number(connection: Connection, number: str) -> str:
    """The workstation's number, or, if one of the agent's other devices took it the same day,
    the same with a suffix: a case is never lost to a number clash."""
    candidate, suffix = number, 1
    while connection.execute(select(exists().where(cases.c.number == candidate))).scalar():
        suffix += 1
        candidate = f"{number}-{suffix}"
    return candidate


def _conflict(context: MutationContext, case: dict, base_version: int, reason: str) -> Outcome:
    current = {name: case[name] for name in case if name != "team"}
    return Outcome("conflict", current=current, reason=reason, entity_id=case["id"],
                   phantom_version=base_version + 1)


def _built_on_refused(context: MutationContext, case_id: str, base_version: int) -> bool:
    """Did this device build the change on a version the hub refused it earlier?"""
    return context.connection.execute(select(exists().where(and_(
        mutation_results.c.device_id == context.device_id,
        mutation_results.c.entity_id == case_id,
        mutation_results.c.status == "conflict",
        mutation_results.c.phantom_version == base_version)))).scalar()


def _base_version(args: dict) -> int:
    base = args.get("base_version")
    if not isinstance(base, int) or isinstance(base, bool) or base < 1:
        raise Rejected("missing_base_version")
    return base


def change_case(kind: str) -> Callable[[MutationContext, dict], Outcome]:
    """case.status, case.reopened, case.escalated: a move in the state machine."""

    def handle(context: MutationContext, args: dict) -> Outcome:
        case = _case_for(context, _text(args, "case_id", limit=64), lock=True)
        base = _base_version(args)
        wanted_changes = args.get("changes")
        if not isinstance(wanted_changes, dict) or not isinstance(
                wanted_changes.get("status"), str):
            raise Rejected("missing_changes")
        if _built_on_refused(context, case["id"], base):
            return _conflict(context, case, base, "built_on_refused_change")
        if case["version"] != base:
            return _conflict(context, case, base, "stale")
        wanted = wanted_changes["status"]
        again = kind == "escalated" and case["status"] == "escalated"
        if not again and transition_refusal(case["status"], wanted) is not None:
            return _conflict(context, case, base, "transition")
        values: dict[str, object] = {}
        for key in _CASE_CHANGES:
            if key not in wanted_changes:
                continue
            value = wanted_changes[key]
            if key in _TIME_CHANGES and value is not None:
                value = context.time(value)
            elif key == "paused_seconds":
                value = value if isinstance(value, int) and value >= 0 else 0
            elif isinstance(value, str):
                value = sanitize(value)[:500]
            values[key] = value
        at = context.time(args.get("at"))
        context.connection.execute(update(cases).where(cases.c.id == case["id"]).values(
            **values, updated_at=at, version=case["version"] + 1))
        detail = args.get("detail") if isinstance(args.get("detail"), dict) else {}
        _event(context, case["id"], at, kind, case["status"], wanted,
               {str(key): sanitize(str(value))[:500] for key, value in detail.items()})
        changes.record_case(context.connection, changes.case_row(context.connection, case["id"]),
                            context.now)
        return Outcome("applied", entity_id=case["id"])

    return handle


def reassign_case(context: MutationContext, args: dict) -> Outcome:
    """Assignment is for supervisors (and routing); an agent may only ask."""
    if context.principal.role != "supervisor":
        raise Rejected("forbidden")
    case = _case_for(context, _text(args, "case_id", limit=64), lock=True)
    base = _base_version(args)
    if case["version"] != base:
        return _conflict(context, case, base, "stale")
    target = _text(args, "assigned_to", limit=64)
    at = context.time(args.get("at"))
    context.connection.execute(update(cases).where(cases.c.id == case["id"]).values(
        assigned_to=target, updated_at=at, version=case["version"] + 1))
    _event(context, case["id"], at, "reassigned", case["status"], case["status"],
           {"from": case["assigned_to"], "to": target})
    changes.record_case(context.connection, changes.case_row(context.connection, case["id"]),
                        context.now, case["assigned_to"])
    return Outcome("applied", entity_id=case["id"])


def add_note(context: MutationContext, args: dict) -> Outcome:
    """case.add_note and case.attach_contact: append-only, inserted if absent by its id."""
    case = _case_for(context, _text(args, "case_id", limit=64), lock=False)
    note = {"id": _text(args, "id", limit=64), "case_id": case["id"],
            "at": context.time(args.get("at")), "agent_id": context.principal.agent_id,
            "text": _text(args, "text", limit=NOTE_LIMIT, multiline=True)}
    if insert_if_absent(context.connection, case_notes, {**note, "received_at": iso(
            context.now)}):
        if not case["first_response_at"]:  # the first note is the case's first response
            context.connection.execute(update(cases).where(cases.c.id == case["id"]).values(
                first_response_at=note["at"]))
        changes.record(context.connection, "case_note", note["id"], 1, note,
                       changes.case_audiences(case), context.now)
    return Outcome("applied", entity_id=case["id"])


def schedule_callback(context: MutationContext, args: dict) -> Outcome:
    customer_id = _text(args, "customer_id", limit=64)
    if not _customer_exists(context.connection, customer_id):
        raise Rejected("unknown_customer")
    due = args.get("due_at")
    if not isinstance(due, str) or not due:
        raise Rejected("missing_due_at")
    insert_if_absent(context.connection, callbacks, {
        "id": _text(args, "id", limit=64), "customer_id": customer_id,
        "case_id": _optional_id(args, "case_id"), "call_id": _optional_id(args, "call_id"),
        "agent_id": context.principal.agent_id, "due_at": sanitize(due)[:32],
        "reason": _text(args, "reason", required=False, limit=2000, multiline=True),
        "status": "scheduled", "created_at": context.time(args.get("at"))})
    return Outcome("applied")


def complete_callback(context: MutationContext, args: dict) -> Outcome:
    callback_id = _text(args, "id", limit=64)
    found = context.connection.execute(select(callbacks.c.agent_id, callbacks.c.status).where(
        callbacks.c.id == callback_id)).first()
    if found is None:
        raise Rejected("unknown_callback")
    if found.agent_id != context.principal.agent_id and context.principal.role != "supervisor":
        raise Rejected("forbidden")
    if found.status != "done":
        context.connection.execute(update(callbacks).where(callbacks.c.id == callback_id).values(
            status="done", done_at=context.time(args.get("at")),
            call_id=_optional_id(args, "call_id"), version=callbacks.c.version + 1))
    return Outcome("applied")


def record_call(context: MutationContext, args: dict) -> Outcome:
    """A call's record: new events by position (inserted if absent), then its latest totals."""
    call_id = _text(args, "call_id", limit=64)
    events = args.get("events")
    first = args.get("first_event")
    if not isinstance(events, list) or not isinstance(first, int) or first < 0:
        raise Rejected("bad_events")
    owner = context.connection.execute(select(calls.c.agent_id).where(
        calls.c.id == call_id)).scalar()
    if owner is not None and owner != context.principal.agent_id:
        raise Rejected("forbidden")
    insert_if_absent(context.connection, calls, {
        "id": call_id, "agent_id": context.principal.agent_id,
        "customer_id": _optional_id(args, "customer_id"),
        "started_at": context.time(args.get("started_at"))})
    for offset, event in enumerate(events):
        if not isinstance(event, list) or len(event) != 5:
            raise Rejected("bad_events")
        at, kind, stage, step, detail = event
        insert_if_absent(context.connection, call_events, {
            "call_id": call_id, "position": first + offset, "at": context.time(at),
            "kind": sanitize(str(kind))[:32], "stage": sanitize(str(stage))[:64],
            "step": sanitize(str(step))[:64], "detail": msgspec.json.encode(detail).decode()})
    ended = args.get("ended_at")
    context.connection.execute(update(calls).where(calls.c.id == call_id).values(
        customer_id=_optional_id(args, "customer_id"),
        ended_at=context.time(ended) if ended else None,
        request_type=_optional_id(args, "request_type"),
        verification=sanitize(str(args.get("verification") or ""))[:32],
        closing=msgspec.json.encode(args.get("closing")).decode(),
        notes=_text(args, "notes", required=False, limit=NOTE_LIMIT, multiline=True),
        events=max(first + len(events), 0)))
    return Outcome("applied", entity_id=call_id)


def flag_customer(context: MutationContext, args: dict) -> Outcome:
    customer_id = _text(args, "customer_id", limit=64)
    if not _customer_exists(context.connection, customer_id):
        raise Rejected("unknown_customer")
    insert_if_absent(context.connection, customer_flags, {
        "id": _text(args, "id", limit=64), "customer_id": customer_id,
        "flag": _text(args, "flag", limit=64), "at": context.time(args.get("at")),
        "agent_id": context.principal.agent_id, "call_id": _optional_id(args, "call_id"),
        "reason": _text(args, "reason", required=False, limit=2000)})
    return Outcome("applied")


def perform_operation(context: MutationContext, args: dict) -> Outcome:
    """A command on server-owned accounts: recorded once, by its mutation id, for the core
    banking system to carry out."""
    customer_id = _text(args, "customer_id", limit=64)
    if not _customer_exists(context.connection, customer_id):
        raise Rejected("unknown_customer")
    detail = {key: value for key, value in args.items()
              if key not in ("operation", "customer_id", "account_id", "at")}
    insert_if_absent(context.connection, operations, {
        "id": context.mutation_id, "agent_id": context.principal.agent_id,
        "operation": _text(args, "operation", limit=64), "customer_id": customer_id,
        "account_id": _text(args, "account_id", required=False, limit=64),
        "detail": msgspec.json.encode(detail).decode(), "at": context.time(args.get("at")),
        "status": "recorded"})
    return Outcome("applied")


def append_audit(context: MutationContext, args: dict) -> Outcome:
    detail = args.get("detail")
    insert_if_absent(context.connection, audit_log, {
        "id": _text(args, "id", limit=64), "at": context.time(args.get("at")),
        # The token says who did it, whatever the arguments claim.
        "agent_id": context.principal.agent_id, "action": _text(args, "action", limit=64),
        "customer_id": _optional_id(args, "customer_id"),
        "detail": detail if isinstance(detail, str) else msgspec.json.encode(detail).decode(),
        "received_at": iso(context.now)})
    return Outcome("applied")


HANDLERS: dict[str, Callable[[MutationContext, dict], Outcome]] = {
    "case.open": open_case,
    "case.status": change_case("status"),
    "case.reopened": change_case("reopened"),
    "case.escalated": change_case("escalated"),
    "case.reassign": reassign_case,
    "case.add_note": add_note,
    "case.attach_contact": add_note,
    "callback.schedule": schedule_callback,
    "callback.complete": complete_callback,
    "call.record": record_call,
    "customer.flag": flag_customer,
    "operation.perform": perform_operation,
    "audit.append": append_audit,
}
