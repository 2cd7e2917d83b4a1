"""The trainee's progress (issue 15): each scenario tried, with its attempts, best and last score
and whether it was passed, the trend of the highlighted scenario's scores (a sparkline, oldest
first), and "certified" once every core scenario has been passed. Enter replays the highlighted
scenario's last attempt. Read from the training store (the trainee's own attempts)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Sparkline, Static

from agent_tui.store.training import ScenarioProgress, progress
from agent_tui.training import attempts
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import cell
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

COLUMNS = ("scenario", "attempts", "best", "last", "passed")


class TrainingProgressScreen(AgentScreen[None]):
    ACTION_IDS = ("open",)
    HELP_KEY = "training_progress.help"
    CSS_PATH = "training_progress.tcss"

    def __init__(self, core: frozenset[str] = frozenset(),
                 titles: dict[str, str] | None = None) -> None:
        """``core``: the scenarios that count toward certification; ``titles``: each
        scenario's title in the trainee's language (its id where there is none)."""
        super().__init__()
        self.core = core
        self.titles = titles or {}
        self.progress: list[ScenarioProgress] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress-title")
        yield Static(id="progress-status")
        yield MeasuredTable(id="progress-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="progress-trend-label")
        yield Sparkline([], id="progress-trend")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one(DataTable)
        for key in COLUMNS:
            table.add_column(t(f"training_progress.col.{key}"), key=key)
        self.query_one("#progress-title", Static).update(Content(t(
            "training_progress.title", trainee=self.agent_app.config.agent.id)))
        self.set_focus(table)
        self.load()

    @work(thread=True, exclusive=True, group="training-progress")
    def load(self) -> None:
        trainee = self.agent_app.config.agent.id
        self.use_store(lambda connection: progress(connection, trainee), self.show)

    def show(self, found: dict[str, ScenarioProgress]) -> None:
        t = self.agent_app.t
        self.progress = sorted(found.values(), key=lambda made: made.scenario_id)
        table = self.query_one(DataTable)
        with self.app.batch_update():
            table.clear()
            for made in self.progress:
                table.add_row(
                    cell(self.titles.get(made.scenario_id, made.scenario_id)),
                    cell(str(made.attempts)), cell(f"{made.best:.0f}"), cell(f"{made.last:.0f}"),
                    cell(t("training_progress.passed") if made.passed
                         else t("training_progress.not_passed"),
                         "$text-success" if made.passed else ""),
                    key=made.scenario_id)
        self.query_one("#progress-status", Static).update(self._status(found))
        self._show_trend()

    def _status(self, found: dict[str, ScenarioProgress]) -> Content:
        t = self.agent_app.t
        if not found:
            return Content(t("training_progress.empty"))
        if not self.core:
            return Content(t("training_progress.no_core", count=len(found)))
        if attempts.certified(found, self.core):
            return Content(t("training_progress.certified")).stylize("bold $text-success")
        passed = sum(1 for scenario in self.core if scenario in found and found[scenario].passed)
        return Content(t("training_progress.not_certified", passed=passed, core=len(self.core)))

    def _selected(self) -> ScenarioProgress | None:
        if not self.progress:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.progress[min(max(row, 0), len(self.progress) - 1)]

    def _show_trend(self) -> None:
        selected = self._selected()
        label = self.query_one("#progress-trend-label", Static)
        trend = self.query_one("#progress-trend", Sparkline)
        if selected is None:
            label.update(Content(""))
            trend.data = []
            return
        title = self.titles.get(selected.scenario_id, selected.scenario_id)
        label.update(Content(self.agent_app.t("training_progress.trend", scenario=title)))
        trend.data = list(selected.scores)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_trend()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()  # Enter on the table (its own key): the same as the screen's

    def action_open(self) -> None:
        """Enter: the highlighted scenario's last attempt, replayed."""
        selected = self._selected()
        if selected is not None:
            self._replay(selected.scenario_id)

    @work(thread=True, exclusive=True, group="training-progress")
    def _replay(self, scenario_id: str) -> None:
        trainee = self.agent_app.config.agent.id
        self.use_store(lambda connection: attempts.of_trainee(connection, trainee, scenario_id),
                       self._open_replay)

    def _open_replay(self, made: list) -> None:
        from screens.training_replay import TrainingReplayScreen

        if made:
            self.app.push_screen(TrainingReplayScreen(
                made[0], self.titles.get(made[0].scenario_id, "")))
