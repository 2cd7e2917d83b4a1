"""The handling stage's first question: what kind of request is this? Its procedure becomes the
checklist. The list is the scripts library's: a trainer adds a request type without code."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from agent_tui.domain.scripts import ScriptsLibrary
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose


class RequestTypeScreen(AgentModal[str]):
    HELP_KEY = "help.request_type"

    def __init__(self, library: ScriptsLibrary) -> None:
        super().__init__()
        self.library = library

    def compose(self) -> ComposeResult:
        t, language = self.agent_app.t, self.agent_app.language
        with Vertical(classes="dialog"):
            yield Prose(Content(t("request_type.title")), classes="dialog-title")
            yield OptionList(*[
                Option(Content.assemble(
                    (procedure.name(language), "bold"), "  ",
                    (" > ".join(step.text(language).split("：")[0].split(":")[0]
                                     for step in procedure.steps if step.required), "dim")),
                    id=procedure.id)
                for procedure in self.library.procedures
            ], id="request-types")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#request-types"))

    @on(OptionList.OptionSelected, "#request-types")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
