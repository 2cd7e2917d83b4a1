"""Mutation names, as workstations send them, and the hub's handler for each."""

from __future__ import annotations

from collections.abc import Callable

from agent_tui.hub.case_mutations import add_note, change_case, open_case, reassign_case
from agent_tui.hub.mutations import MutationContext, Outcome
from agent_tui.hub.record_mutations import (
    append_audit,
    attempt_callback,
    complete_callback,
    flag_customer,
    perform_operation,
    record_call,
    schedule_callback,
)

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
    "callback.attempt": attempt_callback,
    "call.record": record_call,
    "customer.flag": flag_customer,
    "operation.perform": perform_operation,
    "audit.append": append_audit,
}
