"""The trainer's report (issue 15): trainees x scenarios from the hub, as ``agent-tui hub training
report`` prints it (attempts, last and best score, passed); Enter replays the highlighted row's
last attempt, fetched from the hub. The hub reads it to a trainer's token only, and only the
trainees of the trainer's own team(s) (the status line names them): any other token is told so,
as is a trainer's token naming no team, a workstation with no hub or a hub out of reach."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from agent_tui.sync.protocol import TrainingAttemptReply, TrainingReportRow
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.training_host import TrainingHost
from screens.widgets.workers import work

COLUMNS = ("trainee", "team", "scenario", "attempts", "last", "best", "passed")
# What the hub's refusal of a trainer's question means for them.
_REFUSED = {"trainers_only": "training_report.not_trainer",
            "no_team": "training_report.scope.no_team"}


class TrainingReportScreen(AgentScreen[None]):
    ACTION_IDS = ("open",)
    HELP_KEY = "training_report.help"
    CSS_PATH = "training_report.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[TrainingReportRow] = []

    @property
    def host(self) -> TrainingHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose(id="report-status")
        yield MeasuredTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one(DataTable)
        add_columns(table, [(key, t(f"training_report.col.{key}")) for key in COLUMNS],
                    essential=COLUMNS)  # all of them fit 80 columns
        self.set_focus(table)
        self._say("training_report.loading")
        self.load()

    def _say(self, key: str, **values: str) -> None:
        self.query_one("#report-status", Static).update(safe(self.agent_app.t(key, **values)))

    @work(thread=True, exclusive=True, group="training-report")
    def load(self) -> None:
        answer = self._ask(lambda client: client.training_report())
        if answer is not None:
            self.app.call_from_thread(self.show, answer.rows, answer.teams)

    def _ask(self, question):
        """From the worker: the hub's answer, or None with the reason shown."""
        from agent_tui.sync.hub_errors import HubRefused, HubUnreachable

        client = self.host.training_client()
        if client is None:
            self.app.call_from_thread(self._say, "training_report.no_hub")
            return None
        try:
            return question(client)
        except HubRefused as refused:
            key, values = _REFUSED.get(refused.code, "training_report.scope.other"), {}
            if key == "training_report.scope.other":
                values = {"code": refused.code}
            self.app.call_from_thread(lambda: self._say(key, **values))
        except HubUnreachable:
            self.app.call_from_thread(self._say, "training_report.unreachable")
        return None

    def show(self, rows: list[TrainingReportRow], teams: list[str] | None = None) -> None:
        t = self.agent_app.t
        self.rows = rows
        table = self.query_one(DataTable)
        with self.app.batch_update():
            table.clear()
            for index, row in enumerate(rows):
                table.add_row(
                    cell(row.trainee), cell(row.team or "-"), cell(row.scenario_id),
                    cell(str(row.attempts)), cell(f"{row.last_score:.0f}"),
                    cell(f"{row.best_score:.0f}"),
                    cell(t("training_report.yes" if row.passed else "training_report.no"),
                         "$text-success" if row.passed else ""),
                    key=str(index))
        if not rows:
            self._say("training_report.empty")
        elif teams:
            self._say("training_report.scope.teams", teams=", ".join(teams))
        else:
            self._say("training_report.title")

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()  # Enter on the table (its own key): the same as the screen's

    def action_open(self) -> None:
        """Enter: the highlighted row's last attempt, from the hub, replayed."""
        if self.rows:
            row = self.rows[min(max(self.query_one(DataTable).cursor_row, 0),
                                len(self.rows) - 1)]
            self._fetch(row.last_attempt_id)

    @work(thread=True, exclusive=True, group="training-report")
    def _fetch(self, attempt_id: str) -> None:
        answer = self._ask(lambda client: client.training_attempt(attempt_id))
        if answer is not None:
            self.app.call_from_thread(self._open_replay, answer)

    def _open_replay(self, answer: TrainingAttemptReply) -> None:
        import msgspec

        from agent_tui.training.attempt import Attempt
        from screens.training_replay import TrainingReplayScreen

        try:
            attempt = msgspec.convert(answer.record, Attempt)
        except msgspec.ValidationError:
            self._say("training_report.unreachable")
            return
        self.app.push_screen(TrainingReplayScreen(attempt))
