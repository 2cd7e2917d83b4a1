"""The scenarios a trainee can practise (issue 15): title, suggested difficulty, minutes, whether
it counts toward certification, and the trainee's best score and attempts so far (from the
training store); the highlighted scenario's summary below. Enter starts a training call of the
highlighted scenario at its suggested difficulty."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from agent_tui.domain.scenario import Scenario
from agent_tui.store.training import ScenarioProgress, progress
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.training_host import TrainingHost
from screens.widgets.workers import work

TITLE_WIDTH = 30  # cells: the rest of the row fits 80 columns; the summary below is whole
COLUMNS = ("title", "difficulty", "minutes", "core", "best", "attempts")


class TrainingScenariosScreen(AgentScreen[None]):
    ACTION_IDS = ("open",)
    HELP_KEY = "training_scenarios.help"
    CSS_PATH = "training_scenarios.tcss"

    def __init__(self, scenarios: Sequence[Scenario]) -> None:
        super().__init__()
        self.scenarios = list(scenarios)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="scenarios-status")
        yield MeasuredTable(id="scenarios-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="scenarios-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one(DataTable)
        for key in COLUMNS:
            table.add_column(t(f"training_scenarios.col.{key}"), key=key)
        self.query_one("#scenarios-status", Static).update(Content(t(
            "training_scenarios.title", count=len(self.scenarios))))
        self.set_focus(table)
        self.load()

    @work(thread=True, exclusive=True, group="training-scenarios")
    def load(self) -> None:
        trainee = self.agent_app.config.agent.id
        self.use_store(lambda connection: progress(connection, trainee), self.show)

    def show(self, found: dict[str, ScenarioProgress]) -> None:
        t, language = self.agent_app.t, self.agent_app.language
        table = self.query_one(DataTable)
        with self.app.batch_update():
            table.clear()
            for scenario in self.scenarios:
                made = found.get(scenario.id)
                table.add_row(
                    cell(scenario.title(language), width=TITLE_WIDTH),
                    cell(t(f"training_scenarios.difficulty.{scenario.difficulty}")),
                    cell(str(scenario.duration_minutes)),
                    cell(t("training_scenarios.core") if scenario.core else ""),
                    cell(f"{made.best:.0f}" if made else "-",
                         "$text-success" if made and made.passed else ""),
                    cell(str(made.attempts) if made else "0"), key=scenario.id)
        self._show_summary()

    def _show_summary(self) -> None:
        summary = self.query_one("#scenarios-summary", Static)
        if not self.scenarios:
            summary.update(Content(""))
            return
        row = min(max(self.query_one(DataTable).cursor_row, 0), len(self.scenarios) - 1)
        summary.update(safe(self.scenarios[row].summary(self.agent_app.language)))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_summary()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()  # Enter on the table (its own key): the same as the screen's

    def action_open(self) -> None:
        """Enter: a training call of the highlighted scenario, at its suggested difficulty."""
        if self.scenarios:
            row = min(max(self.query_one(DataTable).cursor_row, 0), len(self.scenarios) - 1)
            scenario = self.scenarios[row]
            host: TrainingHost = self.app  # type: ignore[assignment]
            host.start_run(scenario, scenario.difficulty)
