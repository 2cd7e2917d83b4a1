"""The wire format (SYNC.md): one definition for the hub and the workstation, for every request
and answer of the hub's API. Plain structs, no I/O: the hub decodes requests into them (strictly:
no type is coerced; a key no struct names is ignored), encodes its answers from them, and
generates its OpenAPI document from them (``hub.wire``); the client encodes and decodes the same.
The arguments of each mutation are typed in ``domain.mutation_args``."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from agent_tui.domain.disclosed import Revealed
from agent_tui.domain.kpi import KpiCounts
from agent_tui.domain.qa_review import Mark, QaEvent, QaReview
from agent_tui.domain.qa_review import SampleCall as QaSampleCall

MAX_SEQ = 2**62
MAX_BATCH = 1000  # mutations in one push
MAX_PULL_LIMIT = 1000  # changes in one pull page

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Seq = Annotated[int, msgspec.Meta(ge=1, le=MAX_SEQ)]


def one_of(*values: str) -> Any:
    """Text that is one of ``values``: so the OpenAPI document says, while a decoder of this
    struct (a workstation older than the hub) still takes a value it does not know."""
    return Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(values)})]


# -- requests ------------------------------------------------------------------------------

class DeviceRequest(msgspec.Struct, frozen=True):
    first_seq: Annotated[int, msgspec.Meta(
        ge=1, le=MAX_SEQ, description="The seq of the device's first mutation still to send "
        "(a store with history starts past 1).")] = 1


class DeviceReply(msgspec.Struct, frozen=True):
    device_id: str


class MutationIn(msgspec.Struct, frozen=True):
    """One queued mutation as a push carries it; ``args`` are typed per ``name`` by the hub
    (``domain.mutation_args``) before its handler runs."""

    seq: Seq
    mutation_id: Id
    name: Id
    args: dict[str, Any]
    base_version: int | None = None  # the same as args["base_version"] (older workstations)


class PushRequest(msgspec.Struct, frozen=True):
    device_id: Id
    mutations: Annotated[list[MutationIn], msgspec.Meta(max_length=MAX_BATCH)]
    sent_at: Annotated[str, msgspec.Meta(
        max_length=40, description="The device's clock when it sent this: the hub measures "
        "the device's skew from it.")] | None = None


class PullRequest(msgspec.Struct, frozen=True):
    device_id: Id
    cursor: Annotated[str, msgspec.Meta(max_length=200)] = ""
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_PULL_LIMIT)] = 500


class VerifyRequest(msgspec.Struct, frozen=True):
    device_id: Id
    customer_id: Id
    answers: Annotated[dict[Annotated[str, msgspec.Meta(max_length=32)],
                            Annotated[str, msgspec.Meta(max_length=200)]],
                       msgspec.Meta(max_length=16)]


class StepUpRequest(msgspec.Struct, frozen=True):
    device_id: Id
    operation: Id
    account_id: Id | None = None


class CodeRequest(msgspec.Struct, frozen=True):
    device_id: Id
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=12)]


class SearchReply(msgspec.Struct, frozen=True):
    customers: list[dict[str, Any]]


# -- answers -------------------------------------------------------------------------------


class Answer(msgspec.Struct, frozen=True):
    """The hub's answer to one mutation."""

    mutation_id: str
    seq: int
    status: one_of("applied", "duplicate", "rejected", "conflict", "key_reuse")
    reason: str = ""
    current: dict | None = None  # for a conflict: the record as the hub holds it
    result: str = ""  # for a duplicate: the stored answer's status


class PushReply(msgspec.Struct, frozen=True):
    results: list[Answer]
    last_mutation_seq: int
    stopped: str = ""  # "transient" when the batch ended early on a hub fault


class OutOfOrderReply(msgspec.Struct, frozen=True):
    """A push's 409: the hub expected ``expected_seq`` first; ``results`` answer what came
    before it."""

    error: one_of("out_of_order")
    expected_seq: int
    results: list[Answer]


class Change(msgspec.Struct, frozen=True):
    """One changed row, as a pull returns it."""

    entity: str
    id: str
    version: int
    op: str
    data: dict


class PullPage(msgspec.Struct, frozen=True):
    changes: list[Change]
    cursor: str
    has_more: bool
    last_mutation_seq: int
    reset: bool = False


class Verdict(msgspec.Struct, frozen=True):
    """The hub's decision on one verification attempt (or on a resumed call's)."""

    status: one_of("open", "passed", "locked")
    failed: list[str] = []
    missing: list[str] = []
    attempts_left: int = 0
    release: Revealed | None = None  # the basic tier's values, on a pass


class CodeSent(msgspec.Struct, frozen=True):
    step_up_id: str
    expires_at: str
    mobile: str  # masked: where the hub sent the code


class CodeChecked(msgspec.Struct, frozen=True):
    result: one_of("passed", "wrong", "expired", "locked")
    tries_left: int = 0
    release: Revealed | None = None  # the full tier's values, on a pass


# -- the team board and the KPIs (issue 17) ------------------------------------------------------

class BoardAgent(msgspec.Struct, frozen=True):
    agent_id: str
    name: str
    state: one_of("in_call", "wrap_up", "idle", "offline")
    since: str | None = None  # the open call's start, for in_call and wrap_up
    last_seen: str | None = None  # the newest thing the hub heard from them
    open_cases: int = 0
    open_callbacks: int = 0


class BoardItem(msgspec.Struct, frozen=True):
    """An open case or callback of the team, with where its clock stands."""

    kind: one_of("case", "callback")
    id: str
    label: str  # the case's number and title, or the callback's reason
    agent_id: str
    due_at: str
    risk: one_of("ok", "warn", "breached", "paused")
    used: float  # the share of its time used (0.8 warns)
    version: int = 1


class BoardRefusal(msgspec.Struct, frozen=True):
    agent_id: str
    name: str  # the mutation's name
    status: one_of("rejected", "conflict")
    reason: str
    at: str


class TeamBoard(msgspec.Struct, frozen=True):
    team: str
    name: str
    lead: str
    at: str  # the hub's time of this reading
    agents: list[BoardAgent]
    items: list[BoardItem]
    refusals: list[BoardRefusal]


class KpiPoint(msgspec.Struct, frozen=True):
    """Sums and counts, not ratios: the workstation adds agents or days up before dividing."""

    who: str
    starts: str
    counts: KpiCounts


class KpiReply(msgspec.Struct, frozen=True):
    rows: list[KpiPoint]
    trend: list[KpiPoint]  # one a day, everyone of the reply together
class Identity(msgspec.Struct, frozen=True):
    """Whose token this is (GET /v1/me): the browser route's sign-in with a hub token asks."""

    agent_id: str
    role: str
    team: str = ""


# -- training (issue 15): read by a trainer's token only -------------------------------------

class TrainingReportRow(msgspec.Struct, frozen=True):
    """One trainee at one scenario: how many attempts, the last and the best score."""

    trainee: str
    team: str
    scenario_id: str
    attempts: int
    last_score: float
    best_score: float
    last_at: str
    passed: bool
    last_attempt_id: str


class TrainingReport(msgspec.Struct, frozen=True):
    rows: list[TrainingReportRow]
    teams: list[str] = []  # the teams the report covers: the trainer's own


class TrainingAttemptReply(msgspec.Struct, frozen=True):
    trainee: str
    team: str
    record: dict[str, Any]


# -- telephony (issue 18): call events posted by the telephony system, read by their agent ----

CTI_KINDS = ("ringing", "answered", "ended")
PhoneNumber = Annotated[str, msgspec.Meta(
    max_length=24, pattern=r"^\+?[0-9]*$",
    description="Digits, with a leading + for an international number; empty when withheld.")]


class CtiEventIn(msgspec.Struct, frozen=True):
    """One call event, as the telephony system posts it (``POST /v1/cti/events``)."""

    event_id: Annotated[str, msgspec.Meta(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$",
        description="The telephony system's id of this event: a resend with the same id is "
        "answered `duplicate` and delivered once.")]
    kind: Annotated[str, msgspec.Meta(pattern=r"^(ringing|answered|ended)$",
                                      extra_json_schema={"enum": list(CTI_KINDS)})]
    agent_id: Id
    caller: PhoneNumber = ""
    dialled: PhoneNumber = ""
    call_id: Annotated[str, msgspec.Meta(
        max_length=64, description="The telephony system's id of the call, if it has one: "
        "answered and ended apply to the ringing call with the same id.")] = ""


class CtiAccepted(msgspec.Struct, frozen=True):
    event_id: str
    status: one_of("accepted", "duplicate")


class CtiEvent(msgspec.Struct, frozen=True):
    """A call event in an agent's feed."""

    seq: int
    event_id: str
    kind: str
    caller: str
    dialled: str
    call_id: str
    received_at: str


class CtiFeed(msgspec.Struct, frozen=True):
    """The agent's own call events past ``after`` (``GET /v1/cti/events``); ``cursor`` is the
    ``after`` of the next poll."""

    events: list[CtiEvent]
    cursor: int


# -- QA reviews (issue 17): a team's supervisor reviews; the agent reads their own, synced -------

class QaSample(msgspec.Struct, frozen=True):
    week: str  # the Monday
    calls: list[QaSampleCall]


class QaCallRecord(msgspec.Struct, frozen=True):
    """A call as QA reads it: its record, and the rubric's items prefilled from its events
    (None: the reviewer's to mark). ``reviews``: the ones the caller may see (not another
    reviewer's blind calibration score)."""

    call_id: str
    agent_id: str
    started_at: str
    ended_at: str | None
    request_type: str
    verification: str
    notes: str
    events: list[QaEvent]
    prefill: dict[str, float | None]
    reviews: list[QaReview]


class QaReviewRequest(msgspec.Struct, frozen=True):
    id: str
    call_id: str
    marks: dict[str, Mark]  # the reviewer's items, and any prefilled one corrected
    calibration: bool = False


class QaCalibration(msgspec.Struct, frozen=True):
    call_id: str
    reviewers: list[str]
    items: dict[str, bool]
    overall: float | None
    target: float
