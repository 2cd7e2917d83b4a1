"""Case mutations on the hub: opening, moves in the state machine under a row lock against the
version the agent saw (a stale or disallowed move is a conflict, never last-writer-wins),
reassignment (supervisors of the case's team only), and notes (append-only, inserted if absent by
their id).

Who may write to a case: the agent it is assigned to now, and a supervisor of its team. The agent
who opened it may not once a supervisor has given it to someone else (``not_assigned``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import msgspec
from sqlalchemy import Connection, and_, exists, select, update

from agent_tui.domain.cases import CHANNELS, PRIORITIES, transition_refusal
from agent_tui.domain.mutation_args import CaseAddNote, CaseChange, CaseOpen, CaseReassign
from agent_tui.domain.sla import due_at
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.hub import changes
from agent_tui.hub.auth import Principal
from agent_tui.hub.mutations import (
    ANSWERS,
    CASES_SEEN,
    ID_LIMIT,
    KNOWN_NOTES,
    NOTE_LIMIT,
    NUMBER_LIMIT,
    MutationContext,
    Outcome,
    Rejected,
    customer_exists,
    given,
    insert_if_absent,
    insert_later,
    optional_id,
    text_arg,
)
from agent_tui.hub.schema import case_events, case_notes, cases, mutation_results

_CASE_CHANGES = ("status", "paused_since", "paused_seconds", "escalated_to", "escalation_reason")


def _leads_team_of(principal: Principal, case: dict) -> bool:
    return principal.role == "supervisor" and bool(principal.team) and \
        principal.team == case["team"]


def _work_refusal(principal: Principal, case: dict) -> str | None:
    """Why ``principal`` may not write to ``case`` (None: it may)."""
    if case["assigned_to"] == principal.agent_id or _leads_team_of(principal, case):
        return None
    return "other_team" if principal.role == "supervisor" else "not_assigned"


def _case_for(context: MutationContext, case_id: str, *, lock: bool) -> dict:
    """The case, checked for this principal. Read once per push batch for notes (a batch of
    notes is mostly on a few cases); a change of the case reads it locked, and forgets it."""
    seen = context.connection.info.get(CASES_SEEN)
    if lock or seen is None:
        case = changes.case_row(context.connection, case_id, lock=lock)
        if seen is not None:
            seen.pop(case_id, None)
    else:
        case = seen.get(case_id) or changes.case_row(context.connection, case_id)
        if case is not None:
            seen[case_id] = case
    if case is None:
        raise Rejected("unknown_case")
    refusal = _work_refusal(context.principal, case)
    if refusal is not None:
        raise Rejected(refusal)
    return case


def _event(context: MutationContext, case_id: str, at: str, kind: str, from_status: str,
           to_status: str, detail: dict) -> None:
    context.connection.execute(case_events.insert().values(
        case_id=case_id, at=at, agent_id=context.principal.agent_id, kind=kind,
        from_status=from_status, to_status=to_status,
        detail=msgspec.json.encode(detail).decode()))


def open_case(context: MutationContext, args: CaseOpen) -> Outcome:
    connection = context.connection
    case_id = text_arg(args.id, "id", limit=ID_LIMIT)
    customer_id = text_arg(args.customer_id, "customer_id", limit=64)
    if not customer_exists(connection, customer_id):
        raise Rejected("unknown_customer")
    channel, priority = args.channel, args.priority
    if channel not in CHANNELS or priority not in PRIORITIES:
        raise Rejected("bad_field")
    if changes.case_row(connection, case_id) is not None:
        raise Rejected("case_exists")
    category = text_arg(args.category, "category", limit=64)
    opened = datetime.fromisoformat(context.time(args.opened_at))
    target = context.policy.target(category, priority)
    number = _free_number(connection, text_arg(args.number, "number", limit=NUMBER_LIMIT))
    connection.execute(cases.insert().values(
        id=case_id, number=number, customer_id=customer_id, channel=channel, category=category,
        sub_category=text_arg(args.sub_category, "sub_category", required=False, limit=64),
        priority=priority, status="new", title=text_arg(args.title, "title", limit=200),
        description=text_arg(args.description, "description", required=False,
                             limit=NOTE_LIMIT, multiline=True),
        opened_at=iso(opened), due_at=iso(due_at(context.policy, opened, target.resolution)),
        updated_at=iso(opened), created_by=context.principal.agent_id,
        assigned_to=context.principal.agent_id, call_id=optional_id(args.call_id, "call_id"),
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
    """Did this device build the change on a version the hub refused it earlier (in an
    earlier push, or earlier in this one)?"""
    for answer in context.connection.info.get(ANSWERS, ()):
        if (answer["entity_id"], answer["status"], answer["phantom_version"]) == (
                case_id, "conflict", base_version):
            return True
    return context.connection.execute(select(exists().where(and_(
        mutation_results.c.device_id == context.device_id,
        mutation_results.c.entity_id == case_id,
        mutation_results.c.status == "conflict",
        mutation_results.c.phantom_version == base_version)))).scalar()


def _base_version(args: CaseChange | CaseReassign) -> int:
    base = given(args.base_version)
    if not isinstance(base, int):  # its range is the struct's
        raise Rejected("missing_base_version")
    return base


def change_case(kind: str) -> Callable[[MutationContext, CaseChange], Outcome]:
    """case.status, case.reopened, case.escalated: a move in the state machine."""

    def handle(context: MutationContext, args: CaseChange) -> Outcome:
        case = _case_for(context, text_arg(args.case_id, "case_id", limit=64), lock=True)
        base = _base_version(args)
        wanted_changes = args.changes
        if _built_on_refused(context, case["id"], base):
            return _conflict(context, case, base, "built_on_refused_change")
        if case["version"] != base:
            return _conflict(context, case, base, "stale")
        wanted = wanted_changes.status
        again = kind == "escalated" and case["status"] == "escalated"
        if not again and transition_refusal(case["status"], wanted) is not None:
            return _conflict(context, case, base, "transition")
        values: dict[str, object] = {}
        for key in _CASE_CHANGES:
            value = getattr(wanted_changes, key)
            if value is msgspec.UNSET:  # not sent: left as it is
                continue
            if key == "paused_since":
                value = None if value is None else context.time(value)
            elif isinstance(value, str):  # the struct took only a number of seconds, or text
                value = sanitize(value)[:500]
            values[key] = value
        if wanted_changes.due_at is not msgspec.UNSET:
            # The SLA clock is the hub's: a due time is computed here, never taken as sent
            # (a due time is in the future, which no time a device reports may be).
            values["due_at"] = _due_at(context, case, values.get(
                "paused_seconds", case["paused_seconds"]))
        at = context.time(args.at)
        context.connection.execute(update(cases).where(cases.c.id == case["id"]).values(
            **values, updated_at=at, version=case["version"] + 1))
        detail = given(args.detail) or {}
        _event(context, case["id"], at, kind, case["status"], wanted,
               {str(key): sanitize(str(value))[:500] for key, value in detail.items()})
        changes.record_case(context.connection, changes.case_row(context.connection, case["id"]),
                            context.now)
        return Outcome("applied", entity_id=case["id"])

    return handle


def _due_at(context: MutationContext, case: dict, paused_seconds: int) -> str:
    target = context.policy.target(case["category"], case["priority"])
    return iso(due_at(context.policy, datetime.fromisoformat(case["opened_at"]),
                      target.resolution, paused_seconds))


def reassign_case(context: MutationContext, args: CaseReassign) -> Outcome:
    """Assignment is for the supervisors of the case's team (and routing); an agent may only
    ask (the role check in ``handlers`` refuses an agent's reassignment)."""
    case = _case_for(context, text_arg(args.case_id, "case_id", limit=64), lock=True)
    if not _leads_team_of(context.principal, case):
        raise Rejected("other_team")
    base = _base_version(args)
    if case["version"] != base:
        return _conflict(context, case, base, "stale")
    target = text_arg(args.assigned_to, "assigned_to", limit=64)
    at = context.time(args.at)
    context.connection.execute(update(cases).where(cases.c.id == case["id"]).values(
        assigned_to=target, updated_at=at, version=case["version"] + 1))
    _event(context, case["id"], at, "reassigned", case["status"], case["status"],
           {"from": case["assigned_to"], "to": target})
    changes.record_case(context.connection, changes.case_row(context.connection, case["id"]),
                        context.now, case["assigned_to"])
    return Outcome("applied", entity_id=case["id"])


def add_note(context: MutationContext, args: CaseAddNote) -> Outcome:
    """case.add_note and case.attach_contact: append-only, inserted if absent by its id."""
    case = _case_for(context, text_arg(args.case_id, "case_id", limit=64), lock=False)
    note = {"id": text_arg(args.id, "id", limit=ID_LIMIT), "case_id": case["id"],
            "at": context.time(args.at), "agent_id": context.principal.agent_id,
            "text": text_arg(args.text, "text", limit=NOTE_LIMIT, multiline=True)}
    row = {**note, "received_at": iso(context.now)}
    known = context.connection.info.get(KNOWN_NOTES)
    if known is not None:  # a push batch: the notes already here were read for all of it
        new = note["id"] not in known
        if new:
            known.add(note["id"])
            insert_later(context.connection, case_notes, row)
    else:
        new = insert_if_absent(context.connection, case_notes, row)
    if new:
        if not case["first_response_at"]:  # the first note is the case's first response
            context.connection.execute(update(cases).where(cases.c.id == case["id"]).values(
                first_response_at=note["at"]))
            case["first_response_at"] = note["at"]
        changes.record(context.connection, "case_note", note["id"], 1, note,
                       changes.case_audiences(case), context.now)
    return Outcome("applied", entity_id=case["id"])
