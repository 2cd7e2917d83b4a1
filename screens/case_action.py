"""F7 on a case: what can happen to it next. The statuses the lifecycle allows from here (with a
reason, recorded), escalating to one of the scripts library's groups (the rules' suggestion
highlighted and marked, a reason required), or a follow-up callback (回访) at a time to come. One
dialog: picking escalate or callback shows its form."""

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
from screens.widgets.line_broken import Prose
from screens.widgets.safe_input import SafeInput


class CaseAction(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # "status" | "escalate" | "callback"
    status: str = ""
    target: str = ""
    reason: str = ""
    due: datetime | None = None


class CaseActionScreen(AgentModal[CaseAction]):
    HELP_KEY = "help.case_action"
    CSS_PATH = "case_action.tcss"

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
            yield Prose(Content(t("case_action.title", number=self.case.number)),
                         classes="dialog-title")
            yield OptionList(*options, id="actions")
            with Vertical(id="action-form"):
                yield Label(id="first-label")
                yield OptionList(*self._group_options(), id="groups")
                yield Label(t("case_action.reason"))
                yield SafeInput(id="reason", max_length=300, compact=True)
            yield Prose(id="action-error", classes="dialog-error")
        yield KeyBar()

    def _group_options(self) -> list[Option]:
        """The library's groups; those the rules suggest for this case marked ▲."""
        app = self.agent_app
        suggested = {found.target for found in self.suggestions}
        return [Option(Content.assemble(("\u25b2 " if group.id in suggested else "  ",
                                         "bold $text-warning"), group.name(app.language)),
                       id=group.id)
                for group in app.library.escalation_groups]

    def on_mount(self) -> None:
        self.query_one("#action-form").display = False
        self.set_focus(self.query_one("#actions"))

    @on(OptionList.OptionSelected, "#actions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        t, picked = self.agent_app.t, event.option.id or ""
        self.picked = picked
        groups, reason = self.query_one("#groups", OptionList), self.query_one("#reason", Input)
        label = self.query_one("#first-label", Label)
        form = self.query_one("#action-form")
        if picked.startswith("status:"):  # a reason is optional, asked in the same form
            label.update(t("case_action.status_to", status=t(f"case.status.{picked[7:]}")))
            groups.display = False
        elif picked == "escalate":
            label.update(t("case_action.target"))
            groups.display = True
            ids = [group.id for group in self.agent_app.library.escalation_groups]
            suggestion = next((found for found in self.suggestions if found.target in ids), None)
            groups.highlighted = ids.index(suggestion.target) if suggestion else 0
            if suggestion is not None:
                reason.value = suggestion.reason(self.agent_app.language)
        else:  # a callback has its own form, shared with the call's closing
            from screens.callback_form import CallbackFormScreen

            def scheduled(request) -> None:
                if request is not None:
                    self.dismiss(CaseAction(kind="callback", due=request.due,
                                            reason=request.reason))

            self.app.push_screen(CallbackFormScreen(), scheduled)
            return
        form.display = True
        self.set_focus(groups if groups.display else reason)

    @on(OptionList.OptionSelected, "#groups")
    def _group_chosen(self) -> None:
        self.set_focus(self.query_one("#reason"))  # the group, then why

    @on(Input.Submitted)
    def _submitted(self) -> None:
        t, picked = self.agent_app.t, self.picked
        reason = sanitize(self.query_one("#reason", Input).value).strip()
        if picked.startswith("status:"):
            self.dismiss(CaseAction(kind="status", status=picked[7:], reason=reason))
        elif picked == "escalate":
            groups = self.query_one("#groups", OptionList)
            target = (groups.get_option_at_index(groups.highlighted).id
                      if groups.highlighted is not None else None)
            if not target or not reason:
                self._error(t("case.escalation_needs"))
                return
            self.dismiss(CaseAction(kind="escalate", target=target, reason=reason))

    def _error(self, text: str) -> None:
        self.query_one("#action-error", Static).update(Content(text))
