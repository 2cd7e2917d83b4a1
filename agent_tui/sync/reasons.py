"""Why the hub refused a mutation: every reason code it can answer, in one place for the hub that
gives them and the workstation that explains them. A code is stable: the workstation keeps it in
``sync_conflicts`` and translates it when shown (catalog key ``sync.reason.<code>``).

Two families name the field at fault: ``missing_<field>`` (absent, empty, or not the right kind)
and ``too_long_<field>``; they share one message each, with the field filled in. A code the
workstation does not know (a newer hub) gets the generic message, never the bare code.
"""

from __future__ import annotations

# Refused for good: the mutation can never apply as sent (status "rejected" or "key_reuse").
REJECTIONS = frozenset({
    # who may do what (hub/handlers.py, case_mutations.py, record_mutations.py)
    "training_only",      # a trainer's token: training data only
    "role_not_allowed",   # a role that may not send this mutation at all
    "supervisor_only",    # reassignment: a supervisor's move
    "not_assigned",       # a case assigned to someone else (now)
    "other_team",         # a supervisor outside the case's or callback's team
    "not_your_callback",  # another agent's callback
    "callback_changed",   # reassigning a callback done or moved since the board's reading
    "unknown_review", "not_your_review",  # a QA review's answer: no such review, another's
    "not_your_call",      # another agent's call record
    "not_your_attempt",   # a training attempt the hub holds as another trainee's
    "forbidden",          # another agent's step-up; given before the codes above too
    # what was sent
    "bad_time",           # not a time, before 2000, or ahead of the hub's clock
    "bad_field",          # a value of the wrong kind or out of range
    "bad_events",         # a call's events not in the expected shape
    "unknown_case", "unknown_customer", "unknown_callback", "case_exists",
    "unknown_mutation",   # a name this hub does not know (an older hub)
    # a sensitive operation and its one-time code (hub/record_mutations.py, identity.use_code)
    "unknown_operation", "no_step_up", "unknown_step_up", "step_up_used",
    "step_up_not_passed", "step_up_mismatch", "step_up_expired",
    "wrong_state",        # the card is not in the state the operation starts from
    # product suitability (hub/suitability_mutations.py): the rule that refused it
    "suitability_above_tolerance", "suitability_expired", "suitability_no_assessment",
    # a reassessment (hub/suitability_assess.py): a limit reached, or another questionnaire
    "suitability_reassess_per_day", "suitability_reassess_per_year",
    "suitability_questionnaire_version",
    "unknown_product",
    # the sync itself (hub/push.py)
    "key_reuse",          # a mutation id already used with other arguments, or by another agent
    "seq_already_used",   # a new mutation under a number already used (a restored store)
    "hub_error_repeated",  # the hub failed on it five times running
    # found by the workstation before sending (sync/runner.py)
    "too_large",          # larger alone than the hub takes in one request
})
# The case moved on at the hub (status "conflict"): redo on its state now, or drop.
CONFLICTS = frozenset({"stale", "transition", "built_on_refused_change"})
REASONS = REJECTIONS | CONFLICTS
FAMILIES = ("missing_", "too_long_")


def _family(reason: str) -> tuple[str, str] | None:
    for prefix in FAMILIES:
        if reason.startswith(prefix) and len(reason) > len(prefix):
            return prefix, reason[len(prefix):]
    return None


def is_known(reason: str) -> bool:
    return reason in REASONS or _family(reason) is not None


def catalog_entry(reason: str) -> tuple[str, dict[str, str]]:
    """The catalog key that explains ``reason`` to the agent, and its values."""
    if reason in REASONS:
        return f"sync.reason.{reason}", {}
    family = _family(reason)
    if family is not None:
        return f"sync.reason.{family[0]}field", {"field": family[1]}
    return "sync.reason.unknown", {"code": reason}
