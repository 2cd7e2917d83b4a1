"""The app's part in cases: F4 opens the queue from anywhere; a case form opened from the call
(prefilled from it) or from a 360; a callback from the queue starts its call with the case loaded,
and is marked done when that call reaches the customer (an attempt, if the caller hung up). Mixed
into AgentApp (app.py holds the rest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

if TYPE_CHECKING:  # the rest is imported when a case is first worked, not at start
    from agent_tui.app import AgentApp
    from agent_tui.domain.cases import Case
    from agent_tui.domain.models import Customer
    from agent_tui.store.cases import CaseDraft
    from agent_tui.store.drafts import Draft
    from agent_tui.store.queue import QueueItem


class CaseActions:
    def action_queue(self: AgentApp) -> None:
        from screens.queue import QueueScreen

        if isinstance(self.screen, QueueScreen):
            return
        if any(isinstance(screen, QueueScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, QueueScreen):
                self.pop_screen()
            return
        self.push_screen(QueueScreen())

    def open_case_form(self: AgentApp, customer: Customer) -> None:
        """A case for ``customer``: from the call in progress if it is theirs (prefilled with the
        request type, the summary and the notes), else a contact from another channel."""
        from agent_tui.store.cases import CaseDraft

        call = self.call if self.call is not None and self.call.customer_id == customer.id \
            else None
        draft = CaseDraft(customer_id=customer.id, channel="phone" if call else "branch")
        if call is not None:
            summary = call.summary()
            draft.category = call.flow.request_type or "consultation"
            draft.title = summary.asked[:200]
            draft.description = call.own_notes().strip()
            draft.call_id = call.id
        self.open_kept_or_new_form(draft, customer.name, call)

    @work(thread=True, group="case-form", exit_on_error=False)
    def open_kept_or_new_form(self: AgentApp, draft: CaseDraft, name: str, call: object) -> None:
        """The form kept for this customer when it was last closed with text in it, as it was;
        else ``draft``, new."""
        import msgspec

        from agent_tui.store.cases import CaseDraft
        from screens.case_form import CaseFormScreen

        kept = self.kept_draft(f"case-form:{draft.customer_id}")
        if kept is not None:
            body = {field: value for field, value in kept.items() if field != "customer_label"}
            draft = msgspec.convert(body, CaseDraft)

        def show() -> None:  # screens are made on the event loop
            self.push_screen(CaseFormScreen(draft, name, restored=kept is not None),
                             lambda case: case is not None and self.case_opened(case, call))

        self.call_from_thread(show)

    def kept_draft(self: AgentApp, key: str) -> dict | None:
        """From a worker thread: what the box of draft ``key`` was left holding, if anything."""
        import msgspec

        from agent_tui.store import drafts

        if key in self.kept_typing:  # closed moments ago: its write may still be on its way
            body = self.kept_typing[key]
            return msgspec.to_builtins(body) if body is not None else None
        store = self.wait_for_store()
        if store is None:
            return None
        return next((found.body for found in drafts.pending(store.connection(),
                                                            self.config.agent.id)
                     if found.key == key and not drafts.blank(found.kind, found.body)), None)

    def case_opened(self: AgentApp, case: Case, call: object) -> None:
        from agent_tui.domain.call_session import CaseLink

        if call is not None and call is self.call:  # the closing summary reads it out
            self.call.case = CaseLink(case.id, case.number, case.due_at.strftime("%Y-%m-%d %H:%M"))
        self.customer_facts_changed(case.customer_id)  # a 360 behind counts it
        self.notify(self.t("case.opened", number=case.number,
                           due=case.due_at.strftime("%Y-%m-%d %H:%M")))

    def start_callback(self: AgentApp, item: QueueItem) -> None:
        if self.call is not None:
            self.notify(self.t("queue.call_open"), severity="warning")
            return
        self.load_callback(item)

    @work(thread=True, group="callback", exit_on_error=False)
    def load_callback(self: AgentApp, item: QueueItem) -> None:
        from agent_tui.store import callbacks
        from agent_tui.store.customers import CustomerRepository

        connection = self.store.connection()
        customer = CustomerRepository(connection).customer(item.customer_id)
        callback = callbacks.get(connection, item.id)
        case = self.cases(connection).get(callback.case_id) if callback.case_id else None
        self.call_from_thread(self.begin_callback, customer, case, item.id)

    def begin_callback(self: AgentApp, customer: Customer | None, case: Case | None,
                       callback_id: str) -> None:
        from agent_tui.domain.call_session import CaseLink

        self.start_call(customer)
        self.call.callback_id = callback_id
        if case is not None:
            self.call.case = CaseLink(case.id, case.number, case.due_at.strftime("%Y-%m-%d %H:%M"))
        self.show_call()

    @work(thread=True, group="callback", exit_on_error=False)
    def complete_callback(self: AgentApp, callback_id: str, call_id: str,
                          customer_id: str) -> None:
        from agent_tui.store import callbacks

        callbacks.complete(self.store.connection(), callback_id, agent_id=self.config.agent.id,
                           at=self.now(), call_id=call_id)
        self.call_from_thread(self.customer_facts_changed, customer_id)  # off the queue

    @work(thread=True, group="callback", exit_on_error=False)
    def attempt_callback(self: AgentApp, callback_id: str, call_id: str, customer_id: str,
                         outcome: str) -> None:
        from agent_tui.store import callbacks

        count = callbacks.attempt(self.store.connection(), callback_id,
                                  agent_id=self.config.agent.id, at=self.now(),
                                  outcome=outcome, call_id=call_id)
        self.call_from_thread(self.customer_facts_changed, customer_id)  # the queue counts it
        self.call_from_thread(self.notify, self.t("callback.attempted", count=count),
                              severity="warning")

    def offer_case_drafts(self: AgentApp, drafts: list[Draft], quit_last: bool = False) -> None:
        """After a restart: notes and case forms the agent was typing, offered back
        (``quit_last``: the agent quit, the workstation did not end under them)."""
        from screens.restore_drafts import RestoreDraftsScreen

        self.push_screen(RestoreDraftsScreen(drafts, quit_last), self.reopen_draft)

    def reopen_draft(self: AgentApp, draft: Draft | None) -> None:
        if draft is None:
            return
        if draft.kind == "case_note":
            from screens.case import CaseScreen

            self.push_screen(CaseScreen(draft.body["case_id"], note=draft.body.get("text", "")))
        else:
            import msgspec

            from agent_tui.store.cases import CaseDraft
            from screens.case_form import CaseFormScreen

            body = dict(draft.body)
            label = str(body.pop("customer_label", ""))
            form = msgspec.convert(body, CaseDraft)
            self.push_screen(CaseFormScreen(form, label, restored=True),
                             lambda case: case is not None and self.case_opened(case, None))
