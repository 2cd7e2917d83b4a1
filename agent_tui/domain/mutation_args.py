"""The arguments of each mutation, one struct per mutation name (SYNC.md): the workstation queues
them, the hub decodes a push's ``args`` into them before the handler runs (``decode``), and the
handler reads typed fields. Plain structs, no I/O; in the domain because the store queues them
and the sync and the hub send and apply them, so each side imports them without a cycle.

The bytes on the wire are the JSON object they always were: a key left ``UNSET`` is not sent
(as the workstation never sent it), a key no struct names is ignored, and an older workstation's
queue decodes as it is. What a struct cannot take is refused with a reason code of
``sync.reasons``: ``missing_<field>`` (absent, or not the right kind) unless the struct names
another for that field (``reasons``), as the handlers always answered.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import UNSET, UnsetType

# Text the hub may be sent or not: absent (UNSET) and null are both "not given".
Text = str | None | UnsetType
MOST_CALL_EVENTS = 100_000
LONGEST_PAUSE = 10 * 366 * 24 * 3600  # seconds: more than a case is ever paused


class MutationArgs(msgspec.Struct, frozen=True, kw_only=True):
    # field (or "field.inner") -> the reason a value it cannot take is refused with
    reasons: ClassVar[dict[str, str]] = {}


_TIMES = {"at": "bad_time"}


class CaseOpen(MutationArgs, frozen=True, kw_only=True):
    id: str
    number: str
    customer_id: str
    channel: str | None = None
    category: str
    sub_category: Text = UNSET
    priority: str | None = None
    title: str
    description: Text = UNSET
    opened_at: Text = UNSET
    call_id: Text = UNSET
    reasons: ClassVar[dict[str, str]] = {"channel": "bad_field", "priority": "bad_field",
                                         "opened_at": "bad_time"}


class CaseChanges(msgspec.Struct, frozen=True, kw_only=True):
    """What a move in the case state machine changes; a key left UNSET is left alone."""

    status: str
    paused_since: str | None | UnsetType = UNSET
    paused_seconds: Annotated[int, msgspec.Meta(ge=0, le=LONGEST_PAUSE)] | UnsetType = UNSET
    escalated_to: str | UnsetType = UNSET
    escalation_reason: str | UnsetType = UNSET
    due_at: Any = UNSET  # present: the hub computes the due time again (never taken as sent)


class CaseChange(MutationArgs, frozen=True, kw_only=True):
    """case.status, case.reopened and case.escalated."""

    case_id: str
    base_version: Annotated[int, msgspec.Meta(ge=1, le=2**62)] | None | UnsetType = UNSET
    changes: CaseChanges
    detail: dict[str, Any] | None | UnsetType = UNSET
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = {
        **_TIMES, "changes": "missing_changes", "changes.paused_since": "bad_time",
        "changes.paused_seconds": "bad_field", "changes.escalated_to": "bad_field",
        "changes.escalation_reason": "bad_field", "detail": "bad_field"}


class CaseStatus(CaseChange, frozen=True, kw_only=True):
    pass


class CaseReopened(CaseChange, frozen=True, kw_only=True):
    pass


class CaseEscalated(CaseChange, frozen=True, kw_only=True):
    pass


class CaseReassign(MutationArgs, frozen=True, kw_only=True):
    case_id: str
    base_version: Annotated[int, msgspec.Meta(ge=1, le=2**62)] | None | UnsetType = UNSET
    assigned_to: str
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


class CaseAddNote(MutationArgs, frozen=True, kw_only=True):
    id: str
    case_id: str
    text: str
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


class CaseAttachContact(CaseAddNote, frozen=True, kw_only=True):
    """Another contact about the case: a note, with where it came from (kept by the
    workstation; the hub records the note)."""

    channel: Text = UNSET
    call_id: Text = UNSET


class CallbackSchedule(MutationArgs, frozen=True, kw_only=True):
    id: str
    customer_id: str
    case_id: Text = UNSET
    call_id: Text = UNSET
    due_at: str
    reason: Text = UNSET
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


class CallbackComplete(MutationArgs, frozen=True, kw_only=True):
    id: str
    call_id: Text = UNSET
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


class CallbackReassign(MutationArgs, frozen=True, kw_only=True):
    """A team lead hands a callback to another agent of the team (issue 17), on the version
    the board showed."""

    callback_id: str
    base_version: Annotated[int, msgspec.Meta(ge=1, le=2**62)] | None | UnsetType = UNSET
    assigned_to: str
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


class CallbackAttempt(MutationArgs, frozen=True, kw_only=True):
    id: str
    callback_id: str
    call_id: Text = UNSET
    outcome: Text = UNSET
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


# One event of a call: [at, kind, stage, step, detail]; each checked by the hub as it stores it.
CallEvent = tuple[Any, Any, Any, Any, Any]


class CallRecord(MutationArgs, frozen=True, kw_only=True):
    call_id: str
    agent_id: Text = UNSET  # the token says who; sent, never believed
    customer_id: Text = UNSET
    started_at: Text = UNSET
    first_event: Annotated[int, msgspec.Meta(ge=0, le=MOST_CALL_EVENTS)]
    events: Annotated[list[CallEvent], msgspec.Meta(max_length=MOST_CALL_EVENTS)]
    ended_at: Text = UNSET
    request_type: Text = UNSET
    verification: Any = UNSET
    closing: Any = UNSET
    notes: Text = UNSET
    reasons: ClassVar[dict[str, str]] = {
        "first_event": "bad_events", "events": "bad_events", "started_at": "bad_time",
        "ended_at": "bad_time"}


class CustomerFlag(MutationArgs, frozen=True, kw_only=True):
    id: str
    customer_id: str
    flag: str
    call_id: Text = UNSET
    reason: Text = UNSET
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


class OperationPerform(MutationArgs, frozen=True, kw_only=True):
    """A sensitive operation, with the one-time code the hub issued for it. The fields after
    ``at`` are what the workstation recorded with it; the hub keeps them as its detail."""

    operation: str
    customer_id: str
    account_id: Text = UNSET
    step_up_id: Text = UNSET
    at: Text = UNSET
    call_id: Text = UNSET
    step_up: Any = UNSET
    status: Any = UNSET
    executed_by: Any = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


class AuditAppend(MutationArgs, frozen=True, kw_only=True):
    id: str
    at: Text = UNSET
    agent_id: Text = UNSET  # the token says who; sent, never believed
    action: str
    customer_id: Text = UNSET
    detail: Any = UNSET  # JSON text, as the workstation's audit row holds it
    reasons: ClassVar[dict[str, str]] = _TIMES


class KbFeedback(MutationArgs, frozen=True, kw_only=True):
    """An agent's "helpful" or "not helpful" on one version of a knowledge-base article."""

    id: str
    article_id: str
    lang: str
    # Bounded as the hub's BIGINT column is: a larger one was a database error, not a refusal.
    version: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
    helpful: bool
    call_id: Text = UNSET
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = {**_TIMES, "version": "bad_field"}
Score = Annotated[float, msgspec.Meta(ge=0, le=100)]


class TrainingAttemptRecord(MutationArgs, frozen=True, kw_only=True):
    """A training attempt a trainee finished (issue 15): training data only, never a real
    customer's. The columns the trainer's report counts by, and the whole record (the
    ``training.attempt.Attempt`` as JSON) for the replay; the token says whose it is."""

    attempt_id: str
    scenario_id: str
    language: str
    difficulty: str
    seed: int
    started_at: str
    ended_at: str
    outcome: str
    score: Score
    compliance: Score
    passed: bool
    record: dict[str, Any]
    reasons: ClassVar[dict[str, str]] = {"score": "bad_field", "compliance": "bad_field",
                                         "started_at": "bad_time", "ended_at": "bad_time"}


class ProductOffer(MutationArgs, frozen=True, kw_only=True):
    """An agent asks to recommend or sell a product to a customer (issue 18). The hub decides by
    the customer's assessment it holds, and audits the request either way; ``override_reason``
    asks a supervisor to allow one refused (recorded, never granted by the hub itself)."""

    id: str
    customer_id: str
    product_id: str
    action: str
    override_reason: Text = UNSET
    at: Text = UNSET  # when the agent asked (the hub's clock if absent)
    reasons: ClassVar[dict[str, str]] = _TIMES


class SuitabilityAssess(MutationArgs, frozen=True, kw_only=True):
    """A customer's risk-tolerance reassessment (issue 18): their answers to the questionnaire of
    ``questionnaire_version``, ``{question id: option letter}``. No level is sent: the hub scores
    the answers itself, and refuses past the reassessment limits it counts on its own records."""

    id: str
    customer_id: str
    questionnaire_version: str
    answers: dict[str, str]
    at: Text = UNSET  # when the customer answered (the hub's clock if absent)
    reasons: ClassVar[dict[str, str]] = _TIMES


class QaReply(MutationArgs, frozen=True, kw_only=True):
    """The reviewed agent's answer to a QA review (issue 17): acknowledged, or disputed with a
    reason."""

    review_id: str
    status: str
    reason: str = ""
    at: Text = UNSET
    reasons: ClassVar[dict[str, str]] = _TIMES


ARGS: dict[str, type[MutationArgs]] = {
    "case.open": CaseOpen,
    "case.status": CaseStatus,
    "case.reopened": CaseReopened,
    "case.escalated": CaseEscalated,
    "case.reassign": CaseReassign,
    "case.add_note": CaseAddNote,
    "case.attach_contact": CaseAttachContact,
    "callback.schedule": CallbackSchedule,
    "callback.complete": CallbackComplete,
    "callback.attempt": CallbackAttempt,
    "callback.reassign": CallbackReassign,
    "call.record": CallRecord,
    "customer.flag": CustomerFlag,
    "operation.perform": OperationPerform,
    "audit.append": AuditAppend,
    "kb.feedback": KbFeedback,
    "product.offer": ProductOffer,
    "suitability.assess": SuitabilityAssess,
    "training.attempt": TrainingAttemptRecord,
    "qa.reply": QaReply,
}
NAMES: dict[type[MutationArgs], str] = {kind: name for name, kind in ARGS.items()}


class BadArgs(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_AT = re.compile(r" - at `\$([^`]*)`$")
_MISSING = re.compile(r"^Object missing required field `([^`]*)`")


def _path(message: str) -> list[str]:
    """The fields on the way to what msgspec refused (indexes dropped): ``["changes",
    "status"]``."""
    found = _AT.search(message)
    where = found.group(1) if found else ""
    parts = [part for part in re.split(r"\.|\[[^\]]*\]", where) if part]
    missing = _MISSING.match(message)
    if missing:
        parts.append(missing.group(1))
    return parts


def decode(name: str, args: dict) -> MutationArgs:
    """``args`` of mutation ``name`` in its struct; raises ``BadArgs`` with the reason (and
    ``KeyError`` for a name no struct types)."""
    kind = ARGS[name]
    try:
        return msgspec.convert(args, kind)
    except msgspec.ValidationError as error:
        path = _path(str(error))
        if not path:
            raise BadArgs("bad_field") from None
        for depth in range(len(path), 0, -1):
            reason = kind.reasons.get(".".join(path[:depth]))
            if reason is not None:
                raise BadArgs(reason) from None
        raise BadArgs(f"missing_{path[0]}") from None


def encode(args: MutationArgs) -> dict[str, Any]:
    """What the workstation queues: the JSON object of ``args`` (UNSET fields left out)."""
    return msgspec.to_builtins(args)
