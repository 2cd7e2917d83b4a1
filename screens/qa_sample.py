"""shift+F8, the reviewer's week (a team supervisor's token, issue 17): the calls of the team this
week that the hub chose for QA review (``GET /v1/qa/sample``): every call with a fatal item failed,
a verification lockout or a complaint, and a few per agent drawn at random. Each row: when, whose,
why it was chosen, and whether it is reviewed yet. Enter opens the call's record to score it.

Read from the hub in a thread worker (the session's client is synchronous) each time the screen
comes back to the front, so a review just sent shows as done."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from agent_tui.domain.times import short_stamp
from agent_tui.sync.hub_errors import HubRefused, HubUnreachable
from agent_tui.sync.protocol import QaSample
from screens.qa_call import QaCallScreen
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import cell
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work


class QaSampleScreen(AgentScreen[None]):
    HELP_KEY = "qa_desk.sample_help"
    CSS_PATH = "qa_desk.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.sample: QaSample | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(self.agent_app.t("qa_desk.loading")), id="qa-status")
        yield MeasuredTable(id="qa-sample", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        add_columns(self.query_one("#qa-sample", DataTable),
                    [(key, t(f"qa_desk.col_{key}")) for key in
                     ("when", "agent", "why", "reviewed")],
                    essential=("when", "agent", "reviewed"))
        if not self.agent_app.hub_configured:
            self.say("qa_desk.no_hub")

    def on_screen_resume(self) -> None:
        if self.agent_app.hub_configured:
            self.load()

    @work(thread=True, exclusive=True, group="qa-sample")
    def load(self) -> None:
        app = self.agent_app
        try:
            sample = app.team_desk.qa_sample()
        except HubRefused as refused:
            app.call_from_thread(self.say, "qa_desk.not_lead" if refused.code in (
                "supervisors_only", "training_only") else "qa_desk.refused")
            return
        except HubUnreachable:
            app.call_from_thread(self.say, "qa_desk.unreachable")
            return
        if sample is not None:
            app.call_from_thread(self.show, sample)

    def say(self, key: str) -> None:
        self.query_one("#qa-status", Static).update(
            Content(self.agent_app.t(key)).stylize("$warning"))

    def show(self, sample: QaSample) -> None:
        self.sample = sample
        t = self.agent_app.t
        table = self.query_one("#qa-sample", DataTable)
        row = table.cursor_row
        table.clear()
        for call in sample.calls:
            why = ", ".join(t(f"qa_cli.reason.{reason}") for reason in call.reasons) or t(
                "qa_cli.reason.drawn")
            done = t("qa_desk.reviewed", count=call.reviews) if call.reviews else t(
                "qa_desk.to_review")
            table.add_row(cell(short_stamp(call.started_at)), cell(call.agent_id),
                          cell(why, "bold" if call.reasons else ""),
                          cell(done, "$success" if call.reviews else "$warning"),
                          key=call.call_id)
        fit_columns(table)
        if sample.calls:
            table.move_cursor(row=min(row, len(sample.calls) - 1))
        left = sum(1 for call in sample.calls if not call.reviews)
        self.query_one("#qa-status", Static).update(Content(
            t("qa_desk.sample_status", week=sample.week, count=len(sample.calls), left=left)
            if sample.calls else t("qa_desk.sample_empty", week=sample.week)))

    @on(DataTable.RowSelected, "#qa-sample")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.push_screen(QaCallScreen(str(event.row_key.value)))
