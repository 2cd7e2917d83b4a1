"""The guided call: greeting → verification → handling → closing, as a pure state machine.

Each stage has its checklist from the scripts library; the handling stage takes the checklist of
the request type the agent picks. Advancing is refused, with the reason, while a required step is
open, identity verification is unresolved, or no request type is chosen, unless the agent gives an
explicit override reason, which is recorded. Every change is an event with its time: the
per-step adherence record that quality inspection, KPIs and training scoring read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

import msgspec

from agent_tui.domain.scripts import STAGE_ORDER, ScriptsLibrary, Step

AHT_TARGET = timedelta(minutes=5)  # DOMAIN.md: average handling time ≤ 5 minutes


class EventKind(Enum):
    CALL_STARTED = "call_started"
    STAGE_ENTERED = "stage_entered"
    STEP_TICKED = "step_ticked"
    STEP_UNTICKED = "step_unticked"
    REQUEST_TYPE = "request_type"
    VERIFICATION = "verification"
    PHRASE_USED = "phrase_used"
    FORBIDDEN_CAUGHT = "forbidden_caught"
    OVERRIDE = "override"
    STEP_UP = "step_up"
    CUSTOMER_FOUND = "customer_found"
    OPERATION = "operation"
    CALL_ENDED = "call_ended"


class CallEvent(msgspec.Struct, frozen=True):
    at: datetime
    kind: EventKind
    stage: str
    step: str = ""
    detail: dict[str, str] = msgspec.field(default_factory=dict)


class Refusal(msgspec.Struct, frozen=True):
    """Why F6 did not advance: a catalog key and the open required steps, if any."""

    stage: str
    reason_key: str
    open_steps: tuple[str, ...] = ()


class CallFlow:
    def __init__(self, library: ScriptsLibrary, started_at: datetime,
                 customer_id: str | None = None) -> None:
        self.library = library
        self.customer_id = customer_id
        self.started_at = started_at
        self.stage_index = 0
        self.ticked: set[str] = set()
        self.request_type: str | None = None
        self.verification_status = "open"
        self.ended_at: datetime | None = None
        self.events: list[CallEvent] = []
        self._record(started_at, EventKind.CALL_STARTED, detail={"customer_id": customer_id or ""})
        self._record(started_at, EventKind.STAGE_ENTERED)

    @classmethod
    def replay(cls, library: ScriptsLibrary, events: list[CallEvent]) -> CallFlow:
        """The flow as it was after ``events`` (a draft of a call the process lost): the same
        stage, ticks, request type, verification and customer, and the same record."""
        if not events or events[0].kind is not EventKind.CALL_STARTED:
            raise ValueError("a call's events start with call_started")
        flow = cls(library, events[0].at, events[0].detail.get("customer_id") or None)
        flow.events = list(events)
        flow.stage_index = max(0, flow.count(EventKind.STAGE_ENTERED) - 1)
        for event in events:
            if event.kind is EventKind.STEP_TICKED:
                flow.ticked.add(event.step)
            elif event.kind is EventKind.STEP_UNTICKED:
                flow.ticked.discard(event.step)
            elif event.kind is EventKind.REQUEST_TYPE:
                flow.request_type = event.detail["request_type"]
            elif event.kind is EventKind.VERIFICATION and \
                    event.detail.get("status") in ("passed", "locked", "third_party"):
                flow.verification_status = event.detail["status"]
            elif event.kind is EventKind.CUSTOMER_FOUND:
                flow.customer_id = event.detail["customer_id"]
            elif event.kind is EventKind.CALL_ENDED:
                flow.ended_at = event.at
        return flow

    # -- where the call is -----------------------------------------------------------------

    @property
    def stage(self) -> str:
        return STAGE_ORDER[self.stage_index]

    @property
    def is_last_stage(self) -> bool:
        return self.stage_index == len(STAGE_ORDER) - 1

    def checklist(self) -> tuple[Step, ...]:
        """The current stage's steps, and in handling the chosen request type's procedure."""
        steps = self.library.stage(self.stage).steps
        if self.stage == "handling" and self.request_type:
            # The procedure first: its steps are the ones the agent works through now.
            steps = (*self.library.procedure(self.request_type).steps, *steps)
        return steps

    def open_required(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.checklist() if step.required
                     and step.id not in self.ticked)

    def elapsed(self, at: datetime) -> timedelta:
        return (self.ended_at or at) - self.started_at

    def over_target(self, at: datetime, target: timedelta = AHT_TARGET) -> bool:
        return self.elapsed(at) > target

    # -- what the agent does ---------------------------------------------------------------

    def tick(self, step_id: str, at: datetime) -> None:
        if step_id not in {step.id for step in self.checklist()}:
            raise ValueError(f"{step_id!r} is not a step of the {self.stage} stage")
        if step_id not in self.ticked:
            self.ticked.add(step_id)
            self._record(at, EventKind.STEP_TICKED, step=step_id)

    def untick(self, step_id: str, at: datetime) -> None:
        if step_id in self.ticked:
            self.ticked.discard(step_id)
            self._record(at, EventKind.STEP_UNTICKED, step=step_id)

    def choose_request_type(self, procedure_id: str, at: datetime) -> None:
        self.library.procedure(procedure_id)  # KeyError for a request type the library lacks
        if self.stage != "handling":
            raise ValueError("the request type is chosen in the handling stage")
        self.request_type = procedure_id
        self._record(at, EventKind.REQUEST_TYPE, detail={"request_type": procedure_id})

    def record_verification(self, status: str, at: datetime, **detail: str) -> None:
        """From the verification rules: passed, locked, third_party (or a failed attempt)."""
        if status in ("passed", "locked", "third_party"):
            self.verification_status = status
        self._record(at, EventKind.VERIFICATION, detail={"status": status, **detail})

    def phrase_used(self, phrase_id: str, at: datetime) -> None:
        self._record(at, EventKind.PHRASE_USED, detail={"phrase": phrase_id})

    def forbidden_caught(self, rule_id: str, word: str, at: datetime) -> None:
        self._record(at, EventKind.FORBIDDEN_CAUGHT, detail={"rule": rule_id, "word": word})

    def step_up(self, operation: str, result: str, at: datetime) -> None:
        """A one-time code sent (``sent``) or read back (passed, wrong, expired, locked)."""
        self._record(at, EventKind.STEP_UP, detail={"operation": operation, "result": result})

    def operation_done(self, operation: str, at: datetime, **detail: str) -> None:
        self._record(at, EventKind.OPERATION, detail={"operation": operation, **detail})

    def attach_customer(self, customer_id: str, at: datetime) -> None:
        """An unknown caller found during the call: from now on the call is theirs."""
        if self.customer_id is None:
            self.customer_id = customer_id
            self._record(at, EventKind.CUSTOMER_FOUND, detail={"customer_id": customer_id})

    def advance(self, at: datetime, override_reason: str = "") -> Refusal | None:
        """Move to the next stage; or the reason why not. An override reason moves on anyway,
        and is recorded with what was still open."""
        if self.ended_at is not None or self.is_last_stage:
            return Refusal(self.stage, "flow.last_stage")
        refusal = self._refusal()
        if refusal is not None:
            if not override_reason.strip():
                return refusal
            self._override(at, override_reason, refusal)
        self.stage_index += 1
        self._record(at, EventKind.STAGE_ENTERED)
        return None

    def skip_to_closing(self, at: datetime, override_reason: str) -> None:
        """The caller hung up (or the line dropped): straight to the closing stage, each stage
        passed recorded as an override with what it left open, so QA sees what was skipped."""
        if not override_reason.strip():
            raise ValueError("skipping to closing needs a reason for the record")
        while self.ended_at is None and not self.is_last_stage:
            self.advance(at, override_reason)

    def end(self, at: datetime, override_reason: str = "", summary: str = ""
            ) -> Refusal | None:
        """End the call; refused while a required step of this stage is open, unless a reason
        is given (the caller hung up), which is recorded with what was still open. ``summary``
        (what the closing read out) goes on the record: the customer's history shows it."""
        if self.ended_at is not None:
            return None
        open_steps = self.open_required()
        if open_steps:
            refusal = Refusal(self.stage, "flow.steps_open", open_steps)
            if not override_reason.strip():
                return refusal
            self._override(at, override_reason, refusal)
        self.ended_at = at
        self._record(at, EventKind.CALL_ENDED, detail={"summary": summary} if summary else None)
        return None

    # -- what the record says --------------------------------------------------------------

    def count(self, kind: EventKind) -> int:
        return sum(event.kind is kind for event in self.events)

    def _refusal(self) -> Refusal | None:
        if self.stage == "verification" and self.verification_status == "open":
            return Refusal(self.stage, "flow.not_verified", self.open_required())
        if self.stage == "handling" and self.request_type is None:
            return Refusal(self.stage, "flow.no_request_type", self.open_required())
        open_steps = self.open_required()
        if open_steps:
            return Refusal(self.stage, "flow.steps_open", open_steps)
        return None

    def step_texts(self, step_ids: tuple[str, ...], language: str) -> list[str]:
        """What the agent reads for each of ``step_ids`` (a refusal's open steps)."""
        texts = {step.id: step.text(language) for step in self.checklist()}
        return [texts.get(step_id, step_id) for step_id in step_ids]

    def _override(self, at: datetime, reason: str, refusal: Refusal) -> None:
        self._record(at, EventKind.OVERRIDE, detail={
            "reason": reason.strip(), "refused": refusal.reason_key,
            "open_steps": ",".join(refusal.open_steps),
        })

    def _record(self, at: datetime, kind: EventKind, step: str = "",
                detail: dict[str, str] | None = None) -> None:
        self.events.append(CallEvent(at, kind, self.stage, step, detail or {}))
