"""One call in progress, as the workspace holds it: the flow, the caller's verification, a step-up,
the notes and what the guard caught in them, the operations performed, and the closing record.

Pure: the screen feeds it what the agent does and what the store answered, and does the I/O
(audit, flags, saving) that the outcomes call for. Everything that must be recorded is recorded
here, as the flow's events, so no screen can forget to.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from agent_tui.domain.call_summary import CallSummary, summarise
from agent_tui.domain.callflow import CallEvent, CallFlow, EventKind, Refusal
from agent_tui.domain.disclosed import Revealed
from agent_tui.domain.models import Customer
from agent_tui.domain.phrasing import Hit, PhraseGuard, new_catches
from agent_tui.domain.scripts import Phrase, ScriptsLibrary
from agent_tui.domain.verification import (
    Attempt,
    Comparison,
    Facts,
    Outcome,
    Status,
    StepUp,
    StepUpResult,
    Verification,
)

# The verification stage's steps the verification form does: ticked when it resolves.
VERIFICATION_STEPS = ("verification.ask_name", "verification.ask_factors")
# The wrap-up code of a call that did not reach the customer, whatever stage it was at.
CALLER_HUNG_UP = "caller_hung_up"


class Closing(msgspec.Struct, frozen=True):
    """What the closing stage records: the customer's rating if given, FCR, a wrap-up code."""

    csat: int | None = None  # 1-5
    nps: int | None = None  # 0-10
    first_contact_resolution: bool | None = None
    wrap_up: str = ""

    @property
    def reached_customer(self) -> bool:
        """Whether the call spoke with the customer: a callback is done only then."""
        return self.wrap_up != CALLER_HUNG_UP

    def __post_init__(self) -> None:
        if self.csat is not None and not 1 <= self.csat <= 5:
            raise ValueError(f"CSAT is 1 to 5, not {self.csat}")
        if self.nps is not None and not 0 <= self.nps <= 10:
            raise ValueError(f"NPS is 0 to 10, not {self.nps}")


class CaseLink(msgspec.Struct, frozen=True):
    """The case this call opened or works on: its number and due time go in the summary."""

    id: str
    number: str
    due: str  # as the agent reads it out: 2026-11-25 10:00


class CallSnapshot(msgspec.Struct, frozen=True):
    """A call in progress, as a draft in the store holds it."""

    call_id: str
    customer_id: str | None
    events: list[CallEvent]
    notes: str
    operations: list[str]
    inserted: list[str]
    case: CaseLink | None = None
    callback_id: str | None = None


class CallSession:
    def __init__(
        self, call_id: str, library: ScriptsLibrary, guard: PhraseGuard, started_at: datetime,
        customer: Customer | None = None,
    ) -> None:
        self.id = call_id
        self.library = library
        self.guard = guard
        self.customer = customer
        self.flow = CallFlow(library, started_at, customer.id if customer else None)
        self.verification: Verification | None = None
        self.step_up: StepUp | None = None
        self.notes = ""
        self.hits: list[Hit] = []
        self.operations: list[str] = []
        self.closing = Closing()
        self.inserted: list[str] = []  # phrase texts put in the notes: not the agent's own words
        self.case: CaseLink | None = None
        self.callback_id: str | None = None  # the follow-up call this call makes
        # What the hub (or a sealed copy) released for this call: memory only, gone with it.
        self.revealed: Revealed | None = None
        self.verified_by = "store"  # who compared the passing answers (for the audit)

    # -- a call the process lost ------------------------------------------------------------

    def snapshot(self) -> CallSnapshot:
        """Everything needed to carry on exactly where the call is: its record and notes."""
        return CallSnapshot(self.id, self.flow.customer_id, list(self.flow.events), self.notes,
                            list(self.operations), list(self.inserted), self.case,
                            self.callback_id)

    @classmethod
    def restore(cls, snapshot: CallSnapshot, library: ScriptsLibrary, guard: PhraseGuard,
                customer: Customer | None) -> CallSession:
        """The call of ``snapshot``, as it was; ``customer`` is its customer, read again. The
        forbidden words already in the notes were counted then, so they are not counted again."""
        flow = CallFlow.replay(library, snapshot.events)
        session = cls(snapshot.call_id, library, guard, flow.started_at, customer)
        session.flow = flow
        session.notes = snapshot.notes
        session.hits = guard.check(snapshot.notes)
        session.operations = list(snapshot.operations)
        session.inserted = list(snapshot.inserted)
        session.case, session.callback_id = snapshot.case, snapshot.callback_id
        return session

    def start_verification(self, facts: Facts | None) -> Verification:
        if self.verification is None:
            self.verification = Verification(self.library.verification, facts)
            # A restored call keeps its failed attempts: a restart is no way round the lock.
            for event in self.flow.events:
                if event.kind is EventKind.VERIFICATION and event.detail.get("status") == "failed":
                    failed = tuple(filter(None, event.detail.get("failed", "").split(",")))
                    self.verification.attempts.append(Attempt(event.at, False, failed, ()))
        return self.verification

    # -- who is calling --------------------------------------------------------------------

    @property
    def customer_id(self) -> str | None:
        return self.flow.customer_id

    @property
    def segments(self) -> set[str]:
        """The phrase segments that apply to this caller (the caring or the personal script)."""
        customer = self.customer
        if customer is None:
            return set()
        found = {"vip"} if customer.segment and customer.segment.is_priority else set()
        if customer.is_elderly:
            found.add("elderly")
        if customer.is_disabled:
            found.add("disabled")
        return found

    def attach(self, customer: Customer, at: datetime) -> None:
        if self.customer is None:
            self.customer = customer
            self.flow.attach_customer(customer.id, at)

    # -- identity ----------------------------------------------------------------------------

    @property
    def verified(self) -> bool:
        return self.verification is not None and self.verification.status is Status.PASSED

    @property
    def verification_shown(self) -> str:
        """The verification state the call can prove, for the screen: the flow's record, except
        a pass that a resumed call could not prove again ("unproven": verify again)."""
        status = self.flow.verification_status
        if status == "passed" and self.verification is not None and not self.verified:
            return "unproven"
        return status

    def verify(self, answers: dict[str, str], at: datetime,
               comparison: Comparison | None = None) -> Outcome:
        """One attempt; ``comparison`` is where it was compared when not against the store's
        facts (the hub, a sealed copy)."""
        assert self.verification is not None, "start_verification with the customer's facts first"
        before = len(self.verification.attempts)
        outcome = self.verification.attempt(answers, at, comparison)
        if outcome.passed and comparison is not None:
            self.verified_by = comparison.source
        if isinstance(outcome.release, Revealed):
            self.reveal(outcome.release)
        if len(self.verification.attempts) > before:  # an attempt, not a form half filled in
            status = outcome.status.value if outcome.status is not Status.OPEN else "failed"
            self.flow.record_verification(
                status, at, attempt=str(len(self.verification.attempts)),
                failed=",".join(outcome.failed_factors),
            )
            self.tick_verification_steps(at)
        return outcome

    def third_party(self, caller_name: str, relationship: str, at: datetime) -> None:
        """Someone calls for the customer: the data stays masked, the call goes on."""
        if self.flow.verification_status != "open":
            return  # verified, locked or already recorded: a third party changes nothing now
        if self.verification is not None:
            self.verification.record_third_party(caller_name, relationship)
        self.flow.record_verification("third_party", at, caller=caller_name,
                                      relationship=relationship)
        self.tick_verification_steps(at)

    def tick_verification_steps(self, at: datetime) -> None:
        if self.flow.stage != "verification" or self.flow.verification_status == "open":
            return
        present = {step.id for step in self.flow.checklist()}
        for step_id in VERIFICATION_STEPS:
            if step_id in present:
                self.flow.tick(step_id, at)

    # -- sensitive operations ------------------------------------------------------------------

    def reveal(self, release: Revealed) -> None:
        """Values released for this call (a pass, a passed code), kept beside earlier ones."""
        self.revealed = release if self.revealed is None else self.revealed.merged(release)

    def send_step_up(self, operation: str, code: str | None, at: datetime,
                     step_up_id: str = "") -> StepUp:
        """A code sent: made here (``code``), or by the hub (``step_up_id``)."""
        self.step_up = StepUp(operation, code, at, step_up_id)
        self.flow.step_up(operation, "sent", at)
        return self.step_up

    def check_step_up(self, answer: str, at: datetime,
                      decided: StepUpResult | None = None) -> StepUpResult:
        """What the caller read back, checked here or, with a hub, by it (``decided``)."""
        assert self.step_up is not None, "send a code first"
        result = self.step_up.settle(decided) if decided is not None else \
            self.step_up.check(answer, at)
        self.flow.step_up(self.step_up.operation, result.value, at)
        return result

    def operation_done(self, operation: str, at: datetime, **detail: str) -> None:
        self.operations.append(operation)
        self.flow.operation_done(operation, at, **detail)
        self.step_up = None  # one code, one operation

    # -- words ---------------------------------------------------------------------------------

    def notes_changed(self, text: str, at: datetime) -> list[Hit]:
        """Check the notes again; each forbidden word newly typed is counted on the call."""
        hits = self.guard.check(text)
        for hit in new_catches(self.hits, hits):
            self.flow.forbidden_caught(hit.rule_id, hit.word, at)
        self.notes, self.hits = text, hits
        return hits

    def phrase_used(self, phrase: Phrase, at: datetime, text: str = "") -> None:
        self.flow.phrase_used(phrase.id, at)
        if text:
            self.inserted.append(text)

    def own_notes(self) -> str:
        """The notes without the phrases inserted from the library: what the agent wrote."""
        notes = self.notes
        for text in self.inserted:
            notes = notes.replace(text, "\n")
        return notes

    # -- the end -------------------------------------------------------------------------------

    def summary(self) -> CallSummary:
        case = self.case
        return summarise(self.flow, self.own_notes(), self.operations,
                         case.number if case else "", case.due if case else "")

    def end(self, closing: Closing, at: datetime, override_reason: str = "",
            summary: str = "") -> Refusal | None:
        refusal = self.flow.end(at, override_reason, summary)
        if refusal is None:
            self.closing = closing
        return refusal
