"""The case controller: the App's part in cases. F4 opens the queue from anywhere; a case form
opened from the call (prefilled from it) or from a 360; a callback from the queue starts its call
with the case loaded, and is marked done when that call reaches the customer (an attempt, if the
caller hung up). Store work runs on worker threads (``AppHost.run_in_thread``: one worker policy);
what the agent sees changes on the event loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from agent_tui.domain.times import stamp
from agent_tui.store import callbacks, drafts
from agent_tui.store.cases import CaseDraft
from agent_tui.store.customers import CustomerRepository

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost
    from agent_tui.domain.call_session import CallSession
    from agent_tui.domain.cases import Case
    from agent_tui.domain.models import Customer
    from agent_tui.store.drafts import Draft
    from agent_tui.store.queue import QueueItem


class CaseController:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        # What each box closed with text in it last held, by draft key (None: cleared), known
        # before its draft is written: reopening it a moment later gets exactly that.
        self.kept_typing: dict[str, object] = {}

    def open_queue(self) -> None:
        from screens.queue import QueueScreen

        app = self.app
        if isinstance(app.screen, QueueScreen):
            return
        if any(isinstance(screen, QueueScreen) for screen in app.screen_stack):
            while not isinstance(app.screen, QueueScreen):
                app.pop_screen()
            return
        app.push_screen(QueueScreen())

    def open_case_form(self, customer: Customer) -> None:
        """A case for ``customer``: from the call in progress if it is theirs (prefilled with the
        request type, the summary and the notes), else a contact from another channel."""
        call = self.app.engine.call
        call = call if call is not None and call.customer_id == customer.id else None
        draft = CaseDraft(customer_id=customer.id, channel="phone" if call else "branch")
        if call is not None:
            summary = call.summary()
            draft.category = call.flow.request_type or "consultation"
            draft.title = summary.asked[:200]
            draft.description = call.own_notes().strip()
            draft.call_id = call.id
        self.app.run_in_thread(lambda: self._open_kept_or_new_form(draft, customer.name, call),
                               "case-form")

    def _open_kept_or_new_form(self, draft: CaseDraft, name: str,
                               call: CallSession | None) -> None:
        """From a worker thread: the form kept for this customer when it was last closed with
        text in it, as it was; else ``draft``, new."""
        from screens.case_form import CaseFormScreen

        kept = self.kept_draft(f"case-form:{draft.customer_id}")
        if kept is not None:
            body = {field: value for field, value in kept.items() if field != "customer_label"}
            draft = msgspec.convert(body, CaseDraft)

        def show() -> None:  # screens are made on the event loop
            self.app.push_screen(CaseFormScreen(draft, name, restored=kept is not None),
                                 lambda case: case is not None and self.case_opened(case, call))

        self.app.call_from_thread(show)

    def kept_draft(self, key: str) -> dict | None:
        """From a worker thread: what the box of draft ``key`` was left holding, if anything."""
        if key in self.kept_typing:  # closed moments ago: its write may still be on its way
            body = self.kept_typing[key]
            return msgspec.to_builtins(body) if body is not None else None
        store = self.app.wait_for_store()
        if store is None:
            return None
        return next((found.body for found in drafts.pending(store.connection(),
                                                            self.app.config.agent.id)
                     if found.key == key and not drafts.blank(found.kind, found.body)), None)

    def case_opened(self, case: Case, call: CallSession | None) -> None:
        app = self.app
        if call is not None and call is app.engine.call:  # the closing summary reads it out
            app.engine.link_case(case)
        app.customer_facts_changed(case.customer_id)  # a 360 behind counts it
        app.notify(app.t("case.opened", number=case.number,
                         due=stamp(case.due_at)))

    # -- callbacks -------------------------------------------------------------------------------

    def start_callback(self, item: QueueItem) -> None:
        if self.app.engine.call is not None:
            self.app.notify(self.app.t("queue.call_open"), severity="warning")
            return
        self.app.run_in_thread(lambda: self._load_callback(item), "callback-load")

    def _load_callback(self, item: QueueItem) -> None:
        app = self.app
        connection = app.store.connection()
        customer = CustomerRepository(connection).customer(item.customer_id)
        callback = callbacks.get(connection, item.id)
        case = app.cases(connection).get(callback.case_id) if callback.case_id else None
        app.call_from_thread(self._begin_callback, customer, case, item.id)

    def _begin_callback(self, customer: Customer | None, case: Case | None,
                        callback_id: str) -> None:
        app = self.app
        if app.engine.call is not None:  # a call was started while the callback loaded
            app.notify(app.t("queue.call_open"), severity="warning")
            return
        app.start_call(customer)
        app.engine.call.callback_id = callback_id
        if case is not None:
            app.engine.link_case(case)
        app.show_call()

    def complete_callback(self, callback_id: str, call_id: str, customer_id: str) -> None:
        app = self.app

        def complete() -> None:
            callbacks.complete(app.store.connection(), callback_id, agent_id=app.config.agent.id,
                               at=app.now(), call_id=call_id)
            app.call_from_thread(app.customer_facts_changed, customer_id)  # off the queue

        app.run_in_thread(complete, "callback")

    def attempt_callback(self, callback_id: str, call_id: str, customer_id: str,
                         outcome: str) -> None:
        app = self.app

        def attempt() -> None:
            count = callbacks.attempt(app.store.connection(), callback_id,
                                      agent_id=app.config.agent.id, at=app.now(),
                                      outcome=outcome, call_id=call_id)
            app.call_from_thread(app.customer_facts_changed, customer_id)  # the queue counts it
            app.call_from_thread(app.notify, app.t("callback.attempted", count=count),
                                 severity="warning")

        app.run_in_thread(attempt, "callback")

    # -- after a restart -------------------------------------------------------------------------

    def offer_case_drafts(self, drafts: list[Draft], quit_last: bool = False) -> None:
        """After a restart: notes and case forms the agent was typing, offered back
        (``quit_last``: the agent quit, the workstation did not end under them)."""
        from screens.restore_drafts import RestoreDraftsScreen

        self.app.push_screen(RestoreDraftsScreen(drafts, quit_last), self.reopen_draft)

    def reopen_draft(self, draft: Draft | None) -> None:
        app = self.app
        if draft is None:
            return
        if draft.kind == "case_note":
            from screens.case import CaseScreen

            app.push_screen(CaseScreen(draft.body["case_id"], note=draft.body.get("text", "")))
        else:
            from screens.case_form import CaseFormScreen

            body = dict(draft.body)
            label = str(body.pop("customer_label", ""))
            form = msgspec.convert(body, CaseDraft)
            app.push_screen(CaseFormScreen(form, label, restored=True),
                            lambda case: case is not None and self.case_opened(case, None))
