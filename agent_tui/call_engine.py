"""The call engine: one call in progress, its record in the store, its draft and its restoration.

No screen, no Textual: the App drives it through its call desk (``agent_tui.app.calls``), and the
training simulator can drive it headless, from a script. Everything a call is (stages, checklist,
verification, phrases, notes, step-up) is ``agent_tui.domain.call_session.CallSession``; this owns
the session in progress and what goes with it (the recorder that writes its events, the phrase
guard, the draft it is autosaved as) and talks to the store through ``agent_tui.store``.

Threads: ``start``, ``attach``, ``install`` and ``finish`` change what the call in progress is and
are called by whoever owns the call (the App's event loop, or the simulator's one thread). The
methods taking a ``connection`` read or write the store and may run on a worker thread with that
thread's connection; they never change which call is in progress.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from agent_tui.domain.call_session import CallSession, CallSnapshot, CaseLink
from agent_tui.domain.ids import new_id
from agent_tui.domain.masking import Disclosure, Tier
from agent_tui.domain.phrasing import PhraseGuard
from agent_tui.domain.scripts import ScriptsLibrary
from agent_tui.store import audit, drafts
from agent_tui.store.calls import CallRecorder, stored_count
from agent_tui.store.customers import CustomerRepository

if TYPE_CHECKING:
    from agent_tui.domain.cases import Case
    from agent_tui.domain.models import Customer
    from agent_tui.sync.hub_client import HubClient

KIND = "call"  # the kind of the call's draft in the store
Clock = Callable[[], datetime]


def draft_key(call_id: str) -> str:
    return f"{KIND}:{call_id}"


def case_link(case: Case) -> CaseLink:
    """What the closing summary reads out of a case opened or loaded in the call."""
    return CaseLink(case.id, case.number, case.due_at.strftime("%Y-%m-%d %H:%M"))


class CallController:
    """The agent's call in progress (at most one), with its recorder and its draft."""

    def __init__(self, library: ScriptsLibrary | None, agent: Callable[[], str],
                 clock: Clock) -> None:
        self.library = library
        self._agent = agent  # who is signed in now (the first run signs in after start-up)
        self.clock = clock
        self.call: CallSession | None = None
        self.recorder: CallRecorder | None = None
        self._guard: PhraseGuard | None = None

    @property
    def agent_id(self) -> str:
        return self._agent()

    def phrase_guard(self) -> PhraseGuard:
        assert self.library is not None, "the scripts library is loaded before a call starts"
        if self._guard is None:
            self._guard = PhraseGuard(self.library.forbidden, self.library.allowed)
        return self._guard

    # -- the call in progress ------------------------------------------------------------------

    def start(self, customer: Customer | None) -> CallSession:
        """A new call, for ``customer`` or an unknown caller."""
        assert self.call is None, "one call at a time"
        assert self.library is not None, "the scripts library is loaded before a call starts"
        call_id = new_id()
        self.call = CallSession(call_id, self.library, self.phrase_guard(), self.clock(), customer)
        self.recorder = CallRecorder(call_id, self.agent_id)
        return self.call

    def attach(self, customer: Customer) -> bool:
        """The unknown caller was found: the call is theirs. False if it already had one."""
        if self.call is None or self.call.customer is not None:
            return False
        self.call.attach(customer, self.clock())
        return True

    def install(self, call: CallSession, recorder: CallRecorder) -> None:
        """A restored call (``restore``) becomes the call in progress."""
        self.call, self.recorder = call, recorder

    def finish(self) -> CallSession | None:
        """The call is over: it is no longer in progress (returned, for what follows it)."""
        call, self.call, self.recorder = self.call, None, None
        return call

    def link_case(self, case: Case) -> None:
        if self.call is not None:
            self.call.case = case_link(case)

    # -- the store -----------------------------------------------------------------------------

    def save(self, connection: sqlite3.Connection) -> int:
        """Write the call's events not stored yet, its totals and its notes."""
        call, recorder = self.call, self.recorder
        assert call is not None and recorder is not None, "no call in progress"
        return recorder.save(connection, call.flow, call.closing, call.notes)

    def draft_state(self) -> tuple[int, int]:
        """Cheap to compare: changes when an event is recorded or the notes are edited."""
        assert self.call is not None
        return len(self.call.flow.events), id(self.call.notes)

    def write_draft(self, connection: sqlite3.Connection) -> None:
        """The call as it is now, kept as a draft (what ``interrupted`` finds after a crash)."""
        assert self.call is not None
        drafts.save(connection, draft_key(self.call.id), KIND, self.agent_id,
                    self.call.snapshot(), self.clock())

    def discard_draft(self, connection: sqlite3.Connection, call_id: str) -> None:
        drafts.discard(connection, draft_key(call_id))

    def interrupted(self, connection: sqlite3.Connection) -> CallSnapshot | None:
        """The agent's most recent call draft, if the process ended with a call open."""
        for draft in reversed(drafts.pending(connection, self.agent_id)):
            if draft.kind == KIND:
                try:
                    return msgspec.convert(draft.body, CallSnapshot)
                except msgspec.ValidationError:
                    continue
        return None

    def restore(self, snapshot: CallSnapshot, connection: sqlite3.Connection
                ) -> tuple[CallSession, CallRecorder]:
        """The call of ``snapshot`` with its customer read again from the store, and a recorder
        that carries on after the events already stored. Not yet in progress: ``install`` it."""
        customer = (CustomerRepository(connection).customer(snapshot.customer_id)
                    if snapshot.customer_id else None)
        call = CallSession.restore(snapshot, self.library, self.phrase_guard(), customer)
        recorder = CallRecorder(call.id, self.agent_id)
        recorder.saved = stored_count(connection, call.id)
        return call, recorder

    def reprove_verification(self, connection: sqlite3.Connection, call: CallSession,
                             hub: HubClient | None) -> Disclosure | None:
        """A resumed call shows only the verification it can prove again: with a hub, the hub
        confirms the pass (and releases its values again); without one, the store's own record
        does. A pass that cannot be proven now is shown as such, and asked again. Returns what
        the call may show again (for its owner to set)."""
        from agent_tui.sync import identity

        if not call.customer_id:
            return None
        facts = CustomerRepository(connection).verification_facts(call.customer_id, self.clock())
        verification = call.start_verification(facts)
        if call.flow.verification_status != "passed":
            return None
        if hub is not None:
            verdict = identity.restored(connection, hub, call.id)
            if verdict is None or verdict.status != "passed":
                return None  # not proven now: "verify again", masked, no operations
            if verdict.release is not None:
                call.reveal(verdict.release)
        verification.restore_passed()
        disclosure = audit.reveal(
            connection, agent_id=self.agent_id, customer_id=call.customer_id,
            tier=Tier.BASIC, at=self.clock(), reason="verification.restored", call_id=call.id)
        return Disclosure(disclosure.tier, call.revealed)
