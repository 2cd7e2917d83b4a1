"""The app's part in the call: ctrl+n starts one (or attaches the customer in view), the call
outlives its workspace, a call the process lost is offered back after a restart, and ending it
masks every screen again. Mixed into AgentApp (app.py holds the rest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from agent_tui.domain.phrasing import PhraseGuard

if TYPE_CHECKING:
    import sqlite3

    from agent_tui.app import AgentApp
    from agent_tui.domain.call_session import CallSession, CallSnapshot
    from agent_tui.domain.masking import Disclosure
    from agent_tui.domain.models import Customer


class CallActions:
    def action_new_call(self: AgentApp) -> None:
        """ctrl+n: start a call for the customer in view (or an unknown caller); during a call,
        attach the customer in view if the caller was unknown, and go back to the workspace."""
        in_view = getattr(self.screen, "view", None)
        customer = getattr(in_view, "customer", None)  # a 360 that has loaded
        if self.call is None:
            self.start_call(customer)
        elif customer is not None and self.call.customer is None:
            self.call.attach(customer, self.now())
            self.set_disclosure(customer.id, None)  # found, not verified
        self.show_call()

    def start_call(self: AgentApp, customer: Customer | None) -> None:
        from agent_tui.call_drafts import keep
        from agent_tui.domain.call_session import CallSession
        from agent_tui.domain.ids import new_id
        from agent_tui.store.calls import CallRecorder

        call_id = new_id()
        self.call = CallSession(call_id, self.library, self.phrase_guard(), self.now(), customer)
        self.call_recorder = CallRecorder(call_id, self.config.agent.id)
        self.call_draft = keep(self, self.call, saved=False)
        self.sub_title = self.agent_line()

    def phrase_guard(self: AgentApp) -> PhraseGuard:
        assert self.library is not None, "the scripts library is loaded before the app starts"
        if self._guard is None:
            self._guard = PhraseGuard(self.library.forbidden, self.library.allowed)
        return self._guard

    @work(thread=True, group="call-draft", exit_on_error=False)
    def offer_interrupted_call(self: AgentApp) -> None:
        """After a restart: the call the process lost, if any, offered back as it was."""
        from agent_tui.call_drafts import interrupted_call
        from agent_tui.store import drafts, sessions

        store = self.wait_for_store()
        if store is None:
            return
        quit_last = sessions.take_quit(store.connection(), self.config.agent.id)
        snapshot = interrupted_call(store.connection(), self.config.agent.id)
        case_drafts = []
        for draft in drafts.pending(store.connection(), self.config.agent.id):
            if draft.kind not in ("case_note", "case_form"):
                continue
            if drafts.blank(draft.kind, draft.body):  # nothing typed: gone, never offered
                drafts.discard(store.connection(), draft.key)
            else:
                case_drafts.append(draft)

        def offer_cases() -> None:
            if case_drafts:
                self.offer_case_drafts(case_drafts, quit_last)

        if snapshot is not None and self.call is None:
            from screens.restore_call import RestoreCallScreen

            def answered(resume: bool | None) -> None:
                if resume is not None:
                    self.resume_call(snapshot, resume)
                offer_cases()

            self.call_from_thread(lambda: self.push_screen(
                RestoreCallScreen(snapshot, quit_last), answered))
        else:
            self.call_from_thread(offer_cases)

    @work(thread=True, group="call-draft", exit_on_error=False)
    def resume_call(self: AgentApp, snapshot: CallSnapshot, resume: bool) -> None:
        from agent_tui import call_drafts
        from agent_tui.store import drafts
        from agent_tui.store.calls import CallRecorder

        connection = self.store.connection()
        if not resume:  # the call stays in the store as it was left: unfinished
            drafts.discard(connection, call_drafts.draft_key(snapshot.call_id))
            return
        call = call_drafts.restore(snapshot, self, connection)
        recorder = CallRecorder(call.id, self.config.agent.id)
        recorder.saved = call_drafts.stored_events(connection, call.id)
        disclosure = self._reprove_verification(connection, call) if call.customer_id else None

        def show() -> None:
            self.call, self.call_recorder = call, recorder
            if disclosure is not None:
                self.set_disclosure(call.customer_id, disclosure)
            self.call_draft = call_drafts.keep(self, call, saved=True)
            self.sub_title = self.agent_line()
            self.show_call()

        self.call_from_thread(show)

    def _reprove_verification(self: AgentApp, connection: sqlite3.Connection,
                              call: CallSession) -> Disclosure | None:
        """A resumed call shows only the verification it can prove again: with a hub, the hub
        confirms the pass (and releases its values again); without one, the store's own record
        does. A pass that cannot be proven now is shown as such, and asked again. Returns what
        the call may show again (set on the event loop, through ``set_disclosure``)."""
        from agent_tui.domain.masking import Disclosure, Tier
        from agent_tui.store import audit
        from agent_tui.store.customers import CustomerRepository
        from agent_tui.sync import identity

        facts = CustomerRepository(connection).verification_facts(call.customer_id, self.now())
        verification = call.start_verification(facts)
        if call.flow.verification_status != "passed":
            return None
        if self.hub_configured:
            verdict = identity.restored(connection, self.identity_client(), call.id)
            if verdict is None or verdict.status != "passed":
                return None  # not proven now: "verify again", masked, no operations
            if verdict.release is not None:
                call.reveal(verdict.release)
        verification.restore_passed()
        disclosure = audit.reveal(
            connection, agent_id=self.config.agent.id, customer_id=call.customer_id,
            tier=Tier.BASIC, at=self.now(), reason="verification.restored", call_id=call.id)
        return Disclosure(disclosure.tier, call.revealed)

    def show_call(self: AgentApp) -> None:
        from screens.call import CallScreen

        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, CallScreen):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        self.push_screen(CallScreen(self.call))

    def end_call(self: AgentApp, saved: bool) -> None:
        """The call is over and saved: the 360 masks again, and the workspace closes."""
        from screens.call import CallScreen

        call, self.call = self.call, None
        if self.call_draft is not None:  # saved: the draft goes; not saved: it stays
            self.call_draft.forget() if saved else self.call_draft.stop()
            self.call_draft = None
        if call is not None and saved and call.callback_id:
            if call.closing.reached_customer:
                self.complete_callback(call.callback_id, call.id, call.customer_id)
            else:  # the line dropped: tried, not done; the callback stays in the queue
                self.attempt_callback(call.callback_id, call.id, call.customer_id,
                                      call.closing.wrap_up)
        self.mask_all()
        if call is not None and call.customer_id:
            self.customer_facts_changed(call.customer_id)  # its history shows this call
        self.sub_title = self.agent_line()
        while isinstance(self.screen, CallScreen) or any(
                isinstance(screen, CallScreen) for screen in self.screen_stack[1:]):
            self.pop_screen()
        self.notify(self.t("call.ended" if saved else "call.ended_unsaved"),
                    severity="information" if saved else "error")
