"""Mutation names, as workstations send them: the hub's handler for each and the roles that may
send it. Who may touch which record (the case's assignee, the team's supervisor, the callback's
agent) is decided by the handler itself; here only the role. A trainer works on training data
only, so no mutation on real customers or cases is open to that role; training attempts are open
to every role (each trainee records their own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from agent_tui.domain import mutation_args
from agent_tui.hub.auth import ROLES, STAFF_ROLES
from agent_tui.hub.case_mutations import add_note, change_case, open_case, reassign_case
from agent_tui.hub.kb_mutations import record_kb_feedback
from agent_tui.hub.mutations import MutationContext, Outcome, Rejected
from agent_tui.hub.qa import reply as reply_to_review
from agent_tui.hub.record_mutations import (
    append_audit,
    attempt_callback,
    complete_callback,
    flag_customer,
    perform_operation,
    reassign_callback,
    record_call,
    schedule_callback,
)
from agent_tui.hub.suitability_assess import assess
from agent_tui.hub.suitability_mutations import offer_product
from agent_tui.hub.training import record_attempt

STAFF = frozenset(STAFF_ROLES)
SUPERVISORS = frozenset({"supervisor"})


class MutationKind(msgspec.Struct, frozen=True):
    handler: Callable[[MutationContext, Any], Outcome]  # given its ``mutation_args`` struct
    roles: frozenset[str] = STAFF
    refusal: str = "role_not_allowed"  # the reason given to a role not in ``roles``


HANDLERS: dict[str, MutationKind] = {
    "case.open": MutationKind(open_case),
    "case.status": MutationKind(change_case("status")),
    "case.reopened": MutationKind(change_case("reopened")),
    "case.escalated": MutationKind(change_case("escalated")),
    "case.reassign": MutationKind(reassign_case, SUPERVISORS, "supervisor_only"),
    "case.add_note": MutationKind(add_note),
    "case.attach_contact": MutationKind(add_note),
    "callback.schedule": MutationKind(schedule_callback),
    "callback.complete": MutationKind(complete_callback),
    "callback.attempt": MutationKind(attempt_callback),
    "callback.reassign": MutationKind(reassign_callback, SUPERVISORS, "supervisor_only"),
    "call.record": MutationKind(record_call),
    "customer.flag": MutationKind(flag_customer),
    "operation.perform": MutationKind(perform_operation),
    "audit.append": MutationKind(append_audit),
    # The staff who read articles in calls (agents, supervisors); not a trainer (training data).
    "kb.feedback": MutationKind(record_kb_feedback),
    # Real customers' products: the staff roles; the hub decides by the customer's assessment.
    "product.offer": MutationKind(offer_product),
    # A customer's reassessment: the staff roles; the hub scores it and counts the limits.
    "suitability.assess": MutationKind(assess),
    # Training data only: every role records its own attempts (a trainer practises too).
    "training.attempt": MutationKind(record_attempt, frozenset(ROLES)),
    # QA (issue 17): the reviewed agent answers a review of their call (the handler checks whose).
    "qa.reply": MutationKind(reply_to_review),
}


def role_refusal(name: str, role: str) -> str | None:
    """Why ``role`` may not send mutation ``name`` at all (None: it may, ownership aside)."""
    kind = HANDLERS.get(name)
    if kind is None:
        return "unknown_mutation"
    if role in kind.roles:
        return None
    return "training_only" if role == "trainer" else kind.refusal


def apply_mutation(context: MutationContext, name: str, args: dict) -> Outcome:
    """The role check, then the arguments decoded into the mutation's struct
    (``domain.mutation_args``), then the handler (which checks ownership): raises ``Rejected``."""
    refusal = role_refusal(name, context.principal.role)
    if refusal is not None:
        raise Rejected(refusal)
    if name not in mutation_args.ARGS:  # a handler with no struct (a test's): its dict as sent
        return HANDLERS[name].handler(context, args)
    try:
        typed = mutation_args.decode(name, args)
    except mutation_args.BadArgs as bad:
        raise Rejected(bad.reason) from None
    return HANDLERS[name].handler(context, typed)
