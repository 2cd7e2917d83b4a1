"""A customer's risk-tolerance reassessment on the hub, the authority (issue 18,
``suitability.assess``). The level is scored here from the answers by the shipped questionnaire
(``domain.questionnaire``), never taken from the workstation; the reassessment limits (per
calendar day and year, from suitability.toml) are counted on the hub's own records of that
customer, whoever made them. Audited either way under the token's agent (``suitability_audit``,
action ``assess``); a refusal is answered ``rejected`` with ``suitability_<rule>`` and stays in
the audit. A recorded assessment goes to every workstation by the pull (``risk_assessment``)."""

from __future__ import annotations

import functools
import json
from datetime import datetime

from sqlalchemy import Connection, select

from agent_tui.domain.mutation_args import SuitabilityAssess
from agent_tui.domain.questionnaire import Questionnaire, Unscorable, score
from agent_tui.domain.suitability import PER_DAY, PER_YEAR, may_reassess
from agent_tui.hub import changes
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
from agent_tui.hub.schema import customers
from agent_tui.hub.suitability_mutations import shipped_rules
from agent_tui.hub.suitability_schema import risk_assessments, suitability_audit
from agent_tui.library.questionnaire import load_questionnaire

ASSESS = "assess"  # suitability_audit.action of a reassessment
ENTITY = "risk_assessment"  # its change-log kind
# A limit's refusal, spelt out: the reasons' scan (tests/functional/test_sync_reasons.py) reads it.
_LIMIT_REFUSALS = {PER_DAY: "suitability_reassess_per_day",
                   PER_YEAR: "suitability_reassess_per_year"}


@functools.cache
def shipped_questionnaire() -> Questionnaire:
    from scripts_library import LIBRARY_DIR

    return load_questionnaire(LIBRARY_DIR)


def assess(context: MutationContext, args: SuitabilityAssess) -> Outcome:
    assessment_id = text_arg(args.id, "id", limit=ID_LIMIT)
    customer_id = text_arg(args.customer_id, "customer_id", limit=CUSTOMER_ID_LIMIT)
    if not customer_exists(context.connection, customer_id):
        raise Rejected("unknown_customer")
    questionnaire = shipped_questionnaire()
    if args.questionnaire_version != questionnaire.version:
        raise Rejected("suitability_questionnaire_version")  # answers to another form
    try:
        scored = score(questionnaire, args.answers)
    except Unscorable:
        raise Rejected("bad_field") from None
    at = context.time(args.at)
    rules = shipped_rules().rules
    # One reassessment of a customer at a time (PostgreSQL): two agents at once must not both
    # pass a limit that only one of them may use. SQLite has one writer anyway.
    context.connection.execute(select(customers.c.id).where(
        customers.c.id == customer_id).with_for_update())
    verdict = may_reassess(_earlier(context.connection, customer_id),
                           datetime.fromisoformat(at), rules)
    insert_if_absent(context.connection, suitability_audit, {
        "id": assessment_id, "agent_id": context.principal.agent_id, "customer_id": customer_id,
        "product_id": "", "action": ASSESS,
        "outcome": "allowed" if verdict.allowed else "refused", "rule": verdict.rule,
        "tolerance": scored.level, "product_level": "", "override_reason": None, "at": at})
    if not verdict.allowed:
        return Outcome("rejected", reason=_LIMIT_REFUSALS[verdict.rule])
    row = {"id": assessment_id, "customer_id": customer_id, "level": scored.level,
           "assessed_at": at, "answers_version": questionnaire.version}
    # The answers stay here, as the evidence of the level: the pull carries the level only.
    kept = {**row, "answers_json": json.dumps(dict(sorted(args.answers.items())))}
    if insert_if_absent(context.connection, risk_assessments, kept):
        changes.record(context.connection, ENTITY, assessment_id, 1, row, ["all"], context.now)
    return Outcome("applied")


def _earlier(connection: Connection, customer_id: str) -> list[datetime]:
    """When the customer was assessed before, by any agent (the limits count them all)."""
    return [datetime.fromisoformat(at) for at in connection.execute(
        select(risk_assessments.c.assessed_at).where(
            risk_assessments.c.customer_id == customer_id)).scalars()]
