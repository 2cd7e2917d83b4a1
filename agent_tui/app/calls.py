"""The call desk: the App's part in the call. ctrl+n starts one (or attaches the customer in
view), the call outlives its workspace, a call the process lost is offered back after a restart,
and ending it masks every screen again.

The call itself is the core's ``CallController`` (``agent_tui.call_engine``, no Textual); this
adds what needs the event loop: the workspace, the dialogs, the draft autosaved within a second
of any change (the same keeper as the case forms), and the header. Worker threads read and write
the store; what the agent sees changes only on the event loop (``call_from_thread``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_tui.call_engine import KIND, draft_key
from agent_tui.store import drafts, sessions
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.draft_keeper import DraftKeeper

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost
    from agent_tui.domain.call_session import CallSession, CallSnapshot
    from agent_tui.domain.models import Customer


class CallDesk:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        self.draft: DraftKeeper | None = None  # autosaves the call in progress

    def new_call(self) -> None:
        """ctrl+n: start a call for the customer in view (or an unknown caller); during a call,
        attach the customer in view if the caller was unknown, and go back to the workspace."""
        app = self.app
        customer = (app.screen.customer_in_view() if isinstance(app.screen, AgentScreen)
                    else None)
        if app.engine.call is None:
            self.start(customer)
        elif customer is not None and app.engine.attach(customer):
            app.set_disclosure(customer.id, None)  # found, not verified
        app.show_call()  # the App's: a training session's workspace is its own

    def start(self, customer: Customer | None) -> None:
        call = self.app.engine.start(customer)
        self.draft = self._keep(call, saved=False)
        self.app.sub_title = self.app.agent_line()

    def _keep(self, call: CallSession, saved: bool) -> DraftKeeper:
        """Start autosaving ``call``; ``saved``: its draft is in the store already (resumed)."""
        keeper = DraftKeeper(self.app, draft_key(call.id), KIND,  # type: ignore[arg-type]
                             body=call.snapshot,  # encoded by the thread that writes it
                             state=lambda: (len(call.flow.events), id(call.notes)))
        keeper.start(saved)
        return keeper

    # -- after a restart -------------------------------------------------------------------------

    def offer_interrupted(self) -> None:
        self.app.run_in_thread(self._offer_interrupted, "call-draft")

    def _offer_interrupted(self) -> None:
        """From a worker thread: the call the process lost, if any, offered back as it was; then
        the notes and case forms being typed."""
        app = self.app
        store = app.wait_for_store()
        if store is None:
            return
        connection, agent_id = store.connection(), app.config.agent.id
        quit_last = sessions.take_quit(connection, agent_id)
        snapshot = app.engine.interrupted(connection)
        case_drafts = []
        for draft in drafts.pending(connection, agent_id):
            if draft.kind not in ("case_note", "case_form"):
                continue
            if drafts.blank(draft.kind, draft.body):  # nothing typed: gone, never offered
                drafts.discard(connection, draft.key)
            else:
                case_drafts.append(draft)

        def offer_cases() -> None:
            if case_drafts:
                app.offer_case_drafts(case_drafts, quit_last)

        def offer_call(snapshot: CallSnapshot) -> None:
            from screens.restore_call import RestoreCallScreen

            if app.engine.call is not None:  # a call was started meanwhile
                offer_cases()
                return

            def answered(resume: bool | None) -> None:
                if resume is not None:
                    self.resume(snapshot, resume)
                offer_cases()

            app.push_screen(RestoreCallScreen(snapshot, quit_last), answered)

        if snapshot is not None:
            app.call_from_thread(offer_call, snapshot)
        else:
            app.call_from_thread(offer_cases)

    def resume(self, snapshot: CallSnapshot, resume: bool) -> None:
        self.app.run_in_thread(lambda: self._resume(snapshot, resume), "call-draft")

    def _resume(self, snapshot: CallSnapshot, resume: bool) -> None:
        app, engine = self.app, self.app.engine
        connection = app.store.connection()
        if not resume:  # the call stays in the store as it was left: unfinished
            engine.discard_draft(connection, snapshot.call_id)
            return
        call, recorder = engine.restore(snapshot, connection)
        disclosure = engine.reprove_verification(connection, call, app.identity_client())

        def show() -> None:  # on the event loop: the call becomes the one in progress
            engine.install(call, recorder)
            if disclosure is not None and call.customer_id:
                app.set_disclosure(call.customer_id, disclosure)
            self.draft = self._keep(call, saved=True)
            app.sub_title = app.agent_line()
            self.show()

        app.call_from_thread(show)

    # -- the workspace ---------------------------------------------------------------------------

    def show(self) -> None:
        from screens.call import CallScreen

        app = self.app
        for index, screen in enumerate(app.screen_stack):
            if isinstance(screen, CallScreen):
                while len(app.screen_stack) > index + 1:
                    app.pop_screen()
                return
        app.push_screen(CallScreen(app.engine.call))

    def end(self, saved: bool) -> None:
        """The call is over and saved: the 360 masks again, and the workspace closes."""
        from screens.call import CallScreen

        app = self.app
        call = app.engine.finish()
        if self.draft is not None:  # saved: the draft goes; not saved: it stays
            self.draft.forget() if saved else self.draft.stop()
            self.draft = None
        if call is not None and saved and call.callback_id:
            if call.closing.reached_customer:
                app.complete_callback(call.callback_id, call.id, call.customer_id)
            else:  # the line dropped: tried, not done; the callback stays in the queue
                app.attempt_callback(call.callback_id, call.id, call.customer_id,
                                     call.closing.wrap_up)
        app.mask_all()
        if call is not None and call.customer_id:
            app.customer_facts_changed(call.customer_id)  # its history shows this call
        app.sub_title = app.agent_line()
        while isinstance(app.screen, CallScreen) or any(
                isinstance(screen, CallScreen) for screen in app.screen_stack[1:]):
            app.pop_screen()
        app.notify(app.t("call.ended" if saved else "call.ended_unsaved"),
                   severity="information" if saved else "error")
