"""The closing: the summary to read out, the customer's rating if given (CSAT 1-5, NPS 0-10),
first-contact resolution and a wrap-up code; ending saves the call and masks the 360 again.

Ending with a required closing step open (the caller hung up before the thanks) asks for a reason,
which is recorded as an override, as F6 does.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from agent_tui.domain.call_session import CALLER_HUNG_UP, CallSession, Closing
from agent_tui.domain.times import stamp
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import safe
from screens.widgets.safe_input import SafeInput
from screens.widgets.textual_private import HookedSelect, SelectOverlay
from screens.widgets.workers import work

HUNG_UP = CALLER_HUNG_UP
WRAP_UPS = ("resolved", "information_given", "case_opened", "transferred", "callback", HUNG_UP)


class WrapUpSelect(HookedSelect):
    """The wrap-up codes: opened on the first code, not on the blank "choose one" line (the
    blank stays, so a call is never ended with a code nobody chose)."""

    def expanded_changed(self, expanded: bool) -> None:
        if expanded and self.value is Select.NULL:
            self.query_one(SelectOverlay).select(1)


class ClosingScreen(AgentModal[bool]):
    ACTION_IDS = ("save",)
    HELP_KEY = "help.closing"

    def __init__(self, call: CallSession, hung_up: bool = False) -> None:
        super().__init__()
        self.call = call
        self.hung_up = hung_up  # filled in for a dropped line: Enter ends the call

    def compose(self) -> ComposeResult:
        t, language = self.agent_app.t, self.agent_app.language
        open_steps = self.call.flow.open_required()
        with Vertical(classes="dialog"):
            yield Prose(Content(t("closing.title")), classes="dialog-title")
            yield Prose(self._summary(), classes="dialog-message", id="closing-summary")
            with Horizontal(classes="row"):
                yield Label(t("closing.csat"))
                yield SafeInput(id="csat", compact=True, max_length=1, restrict=r"[1-5]?",
                                placeholder=t("closing.not_given"))
            with Horizontal(classes="row"):
                yield Label(t("closing.nps"))
                yield SafeInput(id="nps", compact=True, max_length=2, restrict=r"(10|[0-9])?",
                                placeholder=t("closing.not_given"))
            yield Checkbox(t("closing.fcr"), id="fcr", compact=True)
            yield WrapUpSelect([(t(f"wrap_up.{code}"), code) for code in WRAP_UPS],
                               id="wrap-up", prompt=t("closing.wrap_up"), compact=True,
                               value=HUNG_UP if self.hung_up else Select.NULL)
            if open_steps:
                steps = self.call.flow.step_texts(open_steps, language)
                yield Prose(Content(t("closing.steps_open", steps="; ".join(steps))),
                             classes="dialog-error")
                with Horizontal(classes="row"):
                    yield Label(t("override.reason"))
                    yield SafeInput(id="end-reason", compact=True, max_length=200,
                                    value=t("override.hung_up_reason") if self.hung_up else "")
            yield Prose(id="closing-error", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button(t("closing.end"), id="end-call", variant="primary", compact=True)
                yield Button(t("closing.callback"), id="schedule-callback", compact=True,
                             disabled=self.call.customer_id is None)
        yield KeyBar()

    def _summary(self) -> Content:
        """What to read out; a caller who hung up hears nothing, and an empty summary is said
        to be empty rather than left as a bare "Read out:"."""
        t = self.agent_app.t
        if self.hung_up:
            return Content(t("closing.hung_up")).stylize("$text-muted")
        sentence = self.call.summary().sentence(self.agent_app.language)
        if not sentence:
            return Content(t("closing.nothing_to_read")).stylize("$text-muted")
        return Content.assemble((t("closing.summary"), "bold"), " ", safe(sentence))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#end-call" if self.hung_up else "#csat"))

    @on(Input.Submitted)
    @on(Button.Pressed, "#end-call")
    def action_save(self) -> None:
        t = self.agent_app.t
        wrap_up = self.query_one("#wrap-up", Select).value
        if wrap_up is Select.NULL:
            self.query_one("#closing-error", Static).update(Content(t("closing.no_wrap_up")))
            self.set_focus(self.query_one("#wrap-up"))
            return
        csat = self.query_one("#csat", Input).value
        nps = self.query_one("#nps", Input).value
        closing = Closing(
            csat=int(csat) if csat else None, nps=int(nps) if nps else None,
            first_contact_resolution=self.query_one("#fcr", Checkbox).value,
            wrap_up=str(wrap_up),
        )
        reasons = self.query("#end-reason")
        reason = reasons.first(Input).value if reasons else ""
        refusal = self.call.end(closing, self.agent_app.now(), reason,
                                self.call.summary().sentence(self.agent_app.language))
        if refusal is not None:
            self.query_one("#closing-error", Static).update(Content(t("closing.need_reason")))
            self.set_focus(self.query_one("#end-reason"))
            return
        self.dismiss(True)

    # -- a follow-up call (回访) -----------------------------------------------------------

    @on(Button.Pressed, "#schedule-callback")
    def _schedule_callback(self) -> None:
        from screens.callback_form import CallbackFormScreen

        self.app.push_screen(CallbackFormScreen(),
                             lambda request: request is not None and self.schedule(request))

    @work(thread=True, group="closing-callback")
    def schedule(self, request) -> None:
        from agent_tui.store import callbacks
        from agent_tui.store.cases import CaseError

        app, call = self.agent_app, self.call
        try:
            self.use_store(lambda connection: callbacks.schedule(
                connection, agent_id=app.config.agent.id, customer_id=call.customer_id,
                due=request.due, reason=request.reason, at=app.now(),
                case_id=call.case.id if call.case else None, call_id=call.id),
                lambda callback: self.query_one("#closing-error", Static).update(Content(
                    app.t("closing.callback_scheduled", due=stamp(callback.due_at)))))
        except CaseError as error:
            app.call_from_thread(self.query_one("#closing-error", Static).update,
                                 Content(app.catalog.error(error)))
