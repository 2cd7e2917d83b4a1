"""After a restart: the case notes and case forms the agent was typing when the workstation ended,
each offered back exactly as it was. Enter reopens one; the others wait for the next start."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from agent_tui.domain.times import short_stamp
from agent_tui.store.drafts import Draft
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import safe


class RestoreDraftsScreen(AgentModal[Draft]):
    HELP_KEY = "help.restore_drafts"

    def __init__(self, drafts: list[Draft], quit_last: bool = False) -> None:
        super().__init__()
        self.drafts = drafts
        self.quit_last = quit_last  # kept when the agent quit, not lost to a crash

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        options = []
        for index, draft in enumerate(self.drafts):
            body = draft.body
            if draft.kind == "case_note":
                what = t("restore_drafts.note", characters=f"{len(body.get('text', '')):,}")
                text = body.get("text", "")
            else:
                what = t("restore_drafts.form", customer=body.get("customer_label", ""))
                text = body.get("title", "")
            first_line = next((line for line in str(text).splitlines() if line.strip()), "")
            options.append(Option(Content.assemble(
                (short_stamp(draft.saved_at), "$text-muted"), "  ", (what, "bold"),
                "  ", safe(first_line[:60], "italic")), id=str(index)))
        with Vertical(classes="dialog"):
            title = "restore_drafts.title_quit" if self.quit_last else "restore_drafts.title"
            yield Prose(Content(t(title)), classes="dialog-title")
            yield OptionList(*options, id="drafts")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#drafts"))

    @on(OptionList.OptionSelected, "#drafts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.drafts[int(event.option.id or 0)])
