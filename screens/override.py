"""F6 refused: the reason, and the agent's explicit reason to move on anyway (recorded); or, when
the caller has hung up, one button to go straight to the closing stage (recorded as well)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from agent_tui.domain.text import sanitize
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe_input import SafeInput


@dataclass(frozen=True)
class Override:
    reason: str
    hung_up: bool = False  # to the closing stage, passing every stage left


class OverrideScreen(AgentModal[Override]):
    HELP_KEY = "help.override"

    def __init__(self, refusal: str) -> None:
        super().__init__()
        self.refusal = refusal

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        with Vertical(classes="dialog"):
            yield Prose(Content(t("override.title")), classes="dialog-title")
            yield Prose(Content(self.refusal), classes="dialog-message", id="override-refusal")
            yield Label(t("override.reason"))
            yield SafeInput(id="override-reason", max_length=200,
                            placeholder=t("override.placeholder"))
            yield Prose(id="override-error", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button(t("override.hung_up"), id="hung-up", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#override-reason"))

    @on(Input.Submitted, "#override-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        reason = sanitize(event.value).strip()
        if not reason:
            self.query_one("#override-error", Static).update(
                Content(self.agent_app.t("override.empty")))
            return
        self.dismiss(Override(reason))

    @on(Button.Pressed, "#hung-up")
    def _hung_up(self) -> None:
        self.dismiss(Override(self.agent_app.t("override.hung_up_reason"), hung_up=True))
