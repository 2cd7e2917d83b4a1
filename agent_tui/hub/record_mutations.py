"""Record mutations on the hub: callbacks, a call's record, customer flags, commands on
server-owned accounts, and audit events. Append-only by their client ids, inserted if absent; who
did it is always the token's agent.

A callback belongs to the agent who scheduled it and to that agent's team (the token's team,
stored with it): it is completed by that agent or by a supervisor of that team. A call's record is
its agent's alone."""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import select, update

from agent_tui.domain.cases import CALLBACK_FIELDS
from agent_tui.domain.mutation_args import (
    AuditAppend,
    CallbackAttempt,
    CallbackComplete,
    CallbackReassign,
    CallbackSchedule,
    CallRecord,
    CustomerFlag,
    OperationPerform,
)
from agent_tui.domain.operations import CARD_OPERATIONS, OPERATION_NAMES
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.hub import access, call_facts, changes, identity, masked
from agent_tui.hub.mutations import (
    CUSTOMER_ID_LIMIT,
    ID_LIMIT,
    NOTE_LIMIT,
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
from agent_tui.hub.schema import (
    accounts,
    audit_log,
    call_events,
    callback_attempts,
    callbacks,
    calls,
    customer_flags,
    operations,
)


def schedule_callback(context: MutationContext, args: CallbackSchedule) -> Outcome:
    customer_id = text_arg(args.customer_id, "customer_id", limit=64)
    if not customer_exists(context.connection, customer_id):
        raise Rejected("unknown_customer")
    if not args.due_at:
        raise Rejected("missing_due_at")
    due = context.appointment(args.due_at)
    insert_if_absent(context.connection, callbacks, {
        "id": text_arg(args.id, "id", limit=ID_LIMIT), "customer_id": customer_id,
        "case_id": optional_id(args.case_id, "case_id"),
        "call_id": optional_id(args.call_id, "call_id"),
        "agent_id": context.principal.agent_id, "team": context.principal.team,
        "due_at": due,
        "reason": text_arg(args.reason, "reason", required=False, limit=2000, multiline=True),
        "status": "scheduled", "created_at": context.time(args.at)})
    return Outcome("applied")


def _owned_callback(context: MutationContext, callback_id: str):
    """The callback, if the caller may act on it: its own agent, or a supervisor of its team."""
    found = context.connection.execute(select(
        callbacks.c.agent_id, callbacks.c.team, callbacks.c.status).where(
        callbacks.c.id == callback_id)).first()
    if found is None:
        raise Rejected("unknown_callback")
    principal = context.principal
    if found.agent_id != principal.agent_id:
        if principal.role != "supervisor":
            raise Rejected("not_your_callback")
        if not principal.team or found.team != principal.team:
            raise Rejected("other_team")
    return found


def complete_callback(context: MutationContext, args: CallbackComplete) -> Outcome:
    callback_id = text_arg(args.id, "id", limit=ID_LIMIT)
    found = _owned_callback(context, callback_id)
    if found.status != "done":
        context.connection.execute(update(callbacks).where(callbacks.c.id == callback_id).values(
            status="done", done_at=context.time(args.at),
            call_id=optional_id(args.call_id, "call_id"), version=callbacks.c.version + 1))
    return Outcome("applied")


def attempt_callback(context: MutationContext, args: CallbackAttempt) -> Outcome:
    """A callback's call that did not reach the customer: recorded, the callback stays open."""
    callback_id = text_arg(args.callback_id, "callback_id", limit=ID_LIMIT)
    _owned_callback(context, callback_id)
    insert_if_absent(context.connection, callback_attempts, {
        "id": text_arg(args.id, "id", limit=ID_LIMIT), "callback_id": callback_id,
        "call_id": optional_id(args.call_id, "call_id"), "agent_id": context.principal.agent_id,
        "at": context.time(args.at),
        "outcome": text_arg(args.outcome, "outcome", required=False, limit=64),
        "received_at": iso(context.now)})
    return Outcome("applied")


def reassign_callback(context: MutationContext, args: CallbackReassign) -> Outcome:
    """A supervisor of the callback's team hands it to another agent (the role check in
    ``handlers`` refuses anyone else's), on the version shown: audited on the hub, and sent to
    both agents' and the team's feeds, so the queues change at their next sync."""
    callback_id = text_arg(args.callback_id, "callback_id", limit=ID_LIMIT)
    found = context.connection.execute(select(callbacks).where(
        callbacks.c.id == callback_id).with_for_update()).mappings().first()
    if found is None:
        raise Rejected("unknown_callback")
    if not context.principal.team or found["team"] != context.principal.team:
        raise Rejected("other_team")
    base = given(args.base_version)
    if not isinstance(base, int):
        raise Rejected("missing_base_version")
    if found["version"] != base or found["status"] != "scheduled":
        raise Rejected("callback_changed")  # done or moved since the board's reading
    target = text_arg(args.assigned_to, "assigned_to", limit=64)
    at = context.time(args.at)
    context.connection.execute(update(callbacks).where(callbacks.c.id == callback_id).values(
        agent_id=target, version=found["version"] + 1))
    insert_later(context.connection, audit_log, {
        "id": context.mutation_id, "at": at, "agent_id": context.principal.agent_id,
        # What the hub applied (the workstation's own audit line says what the lead asked).
        "action": "callback.reassigned", "customer_id": found["customer_id"],
        "detail": msgspec.json.encode({"callback_id": callback_id, "from": found["agent_id"],
                                       "to": target}).decode(),
        "received_at": iso(context.now)})
    row = {**found, "agent_id": target, "version": found["version"] + 1}
    data = {name: row[name] for name in CALLBACK_FIELDS}
    data["customer"] = changes.customer_row(context.connection, found["customer_id"])
    changes.record(context.connection, "callback", callback_id, row["version"], data,
                   [f"agent:{target}", f"agent:{found['agent_id']}", f"team:{found['team']}"],
                   context.now)
    return Outcome("applied", entity_id=callback_id)


def record_call(context: MutationContext, args: CallRecord) -> Outcome:
    """A call's record: new events by position (inserted if absent), then its latest totals.
    Everything is checked before anything is written (the events' shape by the struct)."""
    call_id = text_arg(args.call_id, "call_id", limit=ID_LIMIT)
    events, first = args.events, args.first_event
    owner = context.connection.execute(select(calls.c.agent_id).where(
        calls.c.id == call_id)).scalar()
    if owner is not None and owner != context.principal.agent_id:
        raise Rejected("not_your_call")
    rows = []
    for offset, (at, kind, stage, step, detail) in enumerate(events):
        rows.append({
            "call_id": call_id, "position": first + offset, "at": context.time(at),
            "kind": sanitize(str(kind))[:32], "stage": sanitize(str(stage))[:64],
            "step": sanitize(str(step))[:64], "detail": msgspec.json.encode(detail).decode()})
    ended = given(args.ended_at)
    totals = {
        "customer_id": optional_id(args.customer_id, "customer_id", limit=CUSTOMER_ID_LIMIT),
        "ended_at": context.time(ended) if ended else None,
        "request_type": optional_id(args.request_type, "request_type", limit=32),
        "verification": sanitize(str(given(args.verification) or ""))[:32],
        "closing": msgspec.json.encode(given(args.closing)).decode(),
        "notes": text_arg(args.notes, "notes", required=False, limit=NOTE_LIMIT,
                          multiline=True),
        "events": first + len(events)}
    started = context.time(args.started_at)
    insert_if_absent(context.connection, calls, {
        "id": call_id, "agent_id": context.principal.agent_id,
        "customer_id": totals["customer_id"], "started_at": started})
    for row in rows:
        insert_if_absent(context.connection, call_events, row)
    context.connection.execute(update(calls).where(calls.c.id == call_id).values(**totals))
    call_facts.keep(context.connection, call_id, context.principal.team)
    return Outcome("applied", entity_id=call_id)


def flag_customer(context: MutationContext, args: CustomerFlag) -> Outcome:
    customer_id = text_arg(args.customer_id, "customer_id", limit=64)
    if not customer_exists(context.connection, customer_id):
        raise Rejected("unknown_customer")
    insert_if_absent(context.connection, customer_flags, {
        "id": text_arg(args.id, "id", limit=ID_LIMIT), "customer_id": customer_id,
        "flag": text_arg(args.flag, "flag", limit=64), "at": context.time(args.at),
        "agent_id": context.principal.agent_id,
        "call_id": optional_id(args.call_id, "call_id"),
        "reason": text_arg(args.reason, "reason", required=False, limit=2000)})
    return Outcome("applied")


def perform_operation(context: MutationContext, args: OperationPerform) -> Outcome:
    """A sensitive operation: only with a one-time code the hub issued for this operation on
    this customer (and card), which the caller read back (``identity.use_code``). A freeze or an
    unfreeze is applied to the hub's own account; the rest are recorded, once, for the core
    banking system to carry out."""
    customer_id = text_arg(args.customer_id, "customer_id", limit=64)
    operation = text_arg(args.operation, "operation", limit=64)
    if operation not in OPERATION_NAMES:
        raise Rejected("unknown_operation")
    account_id = text_arg(args.account_id, "account_id", required=False, limit=64) or None
    step_up_id = text_arg(args.step_up_id, "step_up_id", required=False, limit=64)
    if not step_up_id:
        raise Rejected("no_step_up")
    try:
        identity.use_code(context.connection, context.principal, step_up_id, operation,
                       customer_id, account_id, context.mutation_id, context.now)
    except identity.CallRefused as refused:
        raise Rejected(refused.reason) from None
    status = "recorded"
    if operation in CARD_OPERATIONS:
        was, becomes = _CARD_CHANGES[operation]
        changed = context.connection.execute(update(accounts).where(
            accounts.c.id == account_id, accounts.c.customer_id == customer_id,
            accounts.c.status == was).values(status=becomes, version=accounts.c.version + 1))
        if not changed.rowcount:
            raise Rejected("wrong_state")
        row = context.connection.execute(select(accounts).where(
            accounts.c.id == account_id)).first()
        changes.record(context.connection, "account", row.id, row.version,
                       masked.account(dict(row._mapping)),
                       (f"agent:{context.principal.agent_id}",
                        f"team:{context.principal.team}" if context.principal.team else ""),
                       context.now)
        status = "applied"
    detail = {key: value for key, value in msgspec.to_builtins(args).items()
              if key not in ("operation", "customer_id", "account_id", "at")}
    insert_if_absent(context.connection, operations, {
        "id": context.mutation_id, "agent_id": context.principal.agent_id,
        "operation": operation, "customer_id": customer_id, "account_id": account_id or "",
        "detail": msgspec.json.encode(detail).decode(), "at": context.time(args.at),
        "status": status})
    return Outcome("applied", entity_id=account_id or "")


_CARD_CHANGES = {"freeze_card": ("active", "frozen"), "unfreeze_card": ("frozen", "active")}


def append_audit(context: MutationContext, args: AuditAppend) -> Outcome:
    detail = given(args.detail)
    if args.action == "pii.reveal":
        _offline_release(context, args, detail)
    insert_later(context.connection, audit_log, {
        "id": text_arg(args.id, "id", limit=ID_LIMIT), "at": context.time(args.at),
        # The token says who did it, whatever the arguments claim.
        "agent_id": context.principal.agent_id,
        "action": text_arg(args.action, "action", limit=64),
        "customer_id": optional_id(args.customer_id, "customer_id", limit=CUSTOMER_ID_LIMIT),
        "detail": detail if isinstance(detail, str) else msgspec.json.encode(detail).decode(),
        "received_at": iso(context.now)})
    return Outcome("applied")


def _offline_release(context: MutationContext, args: AuditAppend, detail: object) -> None:
    """A reveal the workstation did without the hub (a sealed copy opened offline) joins the
    hub's releases, so a supervisor reads every release in one place. A reveal the hub itself
    released is there already, and is not counted twice."""
    try:
        values = msgspec.json.decode(detail) if isinstance(detail, str) else detail
    except msgspec.DecodeError:
        return
    if not isinstance(values, dict) or values.get("source") != "sealed_copy":
        return
    customer_id = optional_id(args.customer_id, "customer_id")
    call_id = optional_id(values.get("call_id"), "call_id")
    tier = "full" if values.get("tier") == "full" else "basic"
    if customer_id and call_id:
        access.disclose(context.connection, context.principal, context.device_id, customer_id,
                        call_id, tier, masked.BASIC_FIELDS, "sealed_copy.offline",
                        datetime.fromisoformat(context.time(args.at)))
