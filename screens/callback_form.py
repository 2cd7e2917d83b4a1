"""Scheduling a follow-up call (回访): when, and why. From a case (F7) or a call's closing form.
The time defaults to tomorrow at 10:00; a time that has passed, or no reason, is refused with
what to do, and nothing typed is lost."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from agent_tui.domain.text import sanitize
from agent_tui.domain.times import parse_stamp, stamp
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe_input import SafeInput


class CallbackRequest(msgspec.Struct, frozen=True):
    due: datetime
    reason: str


class CallbackFormScreen(AgentModal[CallbackRequest]):
    HELP_KEY = "help.callback_form"
    CSS_PATH = "callback_form.tcss"

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        tomorrow = (self.agent_app.now() + timedelta(days=1)).replace(
            hour=10, minute=0, second=0, microsecond=0)
        with Vertical(classes="dialog"):
            yield Prose(Content(t("callback_form.title")), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label(t("case_action.when", format="YYYY-MM-DD HH:MM"))
                yield SafeInput(stamp(tomorrow), id="callback-when",
                                max_length=16, compact=True)
            with Horizontal(classes="row"):
                yield Label(t("case_action.reason"))
                yield SafeInput(id="callback-reason", max_length=300, compact=True,
                                placeholder=t("callback_form.reason_placeholder"))
            yield Prose(id="callback-error", classes="dialog-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#callback-reason"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        t = self.agent_app.t
        when = self.query_one("#callback-when", Input).value.strip()
        reason = sanitize(self.query_one("#callback-reason", Input).value).strip()
        try:
            due = parse_stamp(when)
        except ValueError:
            self._error(t("case_action.bad_when", value=when, format="YYYY-MM-DD HH:MM"))
            return
        if due <= self.agent_app.now():
            self._error(t("callback.in_the_past", due=when))
            return
        if not reason:
            self._error(t("callback.no_reason"))
            return
        self.dismiss(CallbackRequest(due, reason))

    def _error(self, text: str) -> None:
        self.query_one("#callback-error", Static).update(Content(text))
