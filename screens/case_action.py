"""F7 on a case: what can happen to it next. The statuses the lifecycle allows from here (with a
reason, recorded), escalating (the rules' suggestions first, a reason required), or a follow-up
callback (回访) at a time to come. One dialog: picking escalate or callback shows its form."""

from __future__ import annotations

from datetime import datetime

import msgspec
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from agent_tui.domain.cases import Case, allowed_next
from agent_tui.domain.escalation import Suggestion
from agent_tui.domain.text import sanitize
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe_input import SafeInput

TARGETS = ("complaints_team", "supervisor", "vip_team", "fraud_team", "pr_compliance")


class CaseAction(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # "status" | "escalate" | "callback"
    status: str = ""
    target: str = ""
    reason: str = ""
    due: datetime | None = None


class CaseActionScreen(AgentModal[CaseAction]):
    HELP_KEY = "help.case_action"
    DEFAULT_CSS = """
    CaseActionScreen #action-form { height: auto; }
    """

    def __init__(self, case: Case, suggestions: list[Suggestion]) -> None:
        super().__init__()
        self.case = case
        self.suggestions = suggestions
        self.picked = ""  # the action whose form is shown

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        options = [Option(Content.assemble("\u2192 ", (t(f"case.status.{status}"), "bold")),
                          id=f"status:{status}") for status in allowed_next(self.case.status)
                   if status != "escalated"]  # escalating names a group: its own entry
        options += [Option(t("case_action.escalate"), id="escalate"),
                    Option(t("case_action.callback"), id="callback")]
        with Vertical(classes="dialog"):
            yield Static(Content(t("case_action.title", number=self.case.number)),
                         classes="dialog-title")
            yield OptionList(*options, id="actions")
            with Vertical(id="action-form"):
                yield Label(id="first-label")
                yield SafeInput(id="first", max_length=60, compact=True)
                yield Label(t("case_action.reason"))
                yield SafeInput(id="reason", max_length=300, compact=True)
            yield Static(id="action-error", classes="dialog-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#action-form").display = False
        self.set_focus(self.query_one("#actions"))

    @on(OptionList.OptionSelected, "#actions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        t, picked = self.agent_app.t, event.option.id or ""
        self.picked = picked
        first, reason = self.query_one("#first", Input), self.query_one("#reason", Input)
        label = self.query_one("#first-label", Label)
        form = self.query_one("#action-form")
        if picked.startswith("status:"):  # a reason is optional, asked in the same form
            label.update(t("case_action.status_to", status=t(f"case.status.{picked[7:]}")))
            first.display = False
        elif picked == "escalate":
            label.update(t("case_action.target", targets=", ".join(TARGETS)))
            first.display = True
            if self.suggestions:
                first.value = self.suggestions[0].target
                reason.value = self.suggestions[0].reason(self.agent_app.language)
        else:  # a callback has its own form, shared with the call's closing
            from screens.callback_form import CallbackFormScreen

            def scheduled(request) -> None:
                if request is not None:
                    self.dismiss(CaseAction(kind="callback", due=request.due,
                                            reason=request.reason))

            self.app.push_screen(CallbackFormScreen(), scheduled)
            return
        form.display = True
        self.set_focus(first if first.display else reason)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        t, picked = self.agent_app.t, self.picked
        first = sanitize(self.query_one("#first", Input).value).strip()
        reason = sanitize(self.query_one("#reason", Input).value).strip()
        if picked.startswith("status:"):
            self.dismiss(CaseAction(kind="status", status=picked[7:], reason=reason))
        elif picked == "escalate":
            if not first or not reason:
                self._error(t("case.escalation_needs"))
                return
            self.dismiss(CaseAction(kind="escalate", target=first, reason=reason))

    def _error(self, text: str) -> None:
        self.query_one("#action-error", Static).update(Content(text))
