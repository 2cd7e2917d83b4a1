"""Product suitability on the hub, the authority (issue 18): a recommendation or sale is decided
here by the customer's latest assessment the hub holds and the rules of the shipped library, the
same functions the workstation asks (``domain.suitability``). Every request is audited under the
token's agent, allowed or refused; a refusal is answered ``rejected`` with its rule, and stays in
the audit (it is written in the push's transaction and the refusal is an outcome, not a raise)."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import Connection, select

from agent_tui.domain.mutation_args import ProductOffer
from agent_tui.domain.suitability import ABOVE_TOLERANCE, EXPIRED, Assessment, may_sell
from agent_tui.hub.mutations import (
    CUSTOMER_ID_LIMIT,
    ID_LIMIT,
    MutationContext,
    Outcome,
    Rejected,
    customer_exists,
    insert_if_absent,
    text_arg,
)
from agent_tui.hub.suitability_schema import risk_assessments, suitability_audit
from agent_tui.library.suitability import Suitability, load_suitability

ACTIONS = ("recommend", "sell")


@functools.cache
def shipped_rules() -> Suitability:
    from scripts_library import LIBRARY_DIR

    return load_suitability(LIBRARY_DIR)


def latest_assessment(connection: Connection, customer_id: str) -> Assessment | None:
    row = connection.execute(
        select(risk_assessments.c.level, risk_assessments.c.assessed_at,
               risk_assessments.c.answers_version)
        .where(risk_assessments.c.customer_id == customer_id)
        .order_by(risk_assessments.c.assessed_at.desc()).limit(1)).first()
    if row is None:
        return None
    return Assessment(level=row.level, assessed_at=datetime.fromisoformat(row.assessed_at),
                      answers_version=row.answers_version)


def offer_product(context: MutationContext, args: ProductOffer) -> Outcome:
    customer_id = text_arg(args.customer_id, "customer_id", limit=CUSTOMER_ID_LIMIT)
    action = text_arg(args.action, "action", limit=16)
    if action not in ACTIONS:
        raise Rejected("bad_field")
    if not customer_exists(context.connection, customer_id):
        raise Rejected("unknown_customer")
    suitability = shipped_rules()
    product_id = text_arg(args.product_id, "product_id", limit=32)
    product = next((p for p in suitability.products if p.id == product_id), None)
    if product is None:
        raise Rejected("unknown_product")
    override = text_arg(args.override_reason, "override_reason", required=False, limit=500)
    verdict = may_sell(latest_assessment(context.connection, customer_id), product,
                       context.now, suitability.rules)
    insert_if_absent(context.connection, suitability_audit, {
        "id": text_arg(args.id, "id", limit=ID_LIMIT), "agent_id": context.principal.agent_id,
        "customer_id": customer_id, "product_id": product.id, "action": action,
        "outcome": "allowed" if verdict.allowed else "refused", "rule": verdict.rule,
        "tolerance": verdict.tolerance, "product_level": verdict.product_level,
        "override_reason": override or None, "at": context.time(args.at)})
    if verdict.allowed:
        return Outcome("applied")
    return Outcome("rejected", reason=suitability_refusal(verdict.rule))


def suitability_refusal(rule: str) -> str:
    """The reason code of a refusal (sync/reasons.py), spelt out: the reasons' scan reads it."""
    if rule == ABOVE_TOLERANCE:
        return "suitability_above_tolerance"
    if rule == EXPIRED:
        return "suitability_expired"
    return "suitability_no_assessment"
