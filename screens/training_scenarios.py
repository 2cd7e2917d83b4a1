"""The scenarios a trainee can practise (issue 15): title, difficulty, minutes, whether it counts
toward certification, and the trainee's best score and attempts so far at that difficulty (from
the training store); the highlighted scenario's summary below, and what its difficulty means.

Each scenario starts at its suggested difficulty; left and right (or - and +) pick another of the
three (easy, normal, hard: the customer's patience, the facts they volunteer, whether they cut
in) before Enter starts a training call of it there. The attempt records the difficulty played."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from agent_tui.domain.scenario import Scenario
from agent_tui.store.training import ScenarioProgress, progress_by_difficulty
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.training_host import TrainingHost
from screens.widgets.workers import work

TITLE_WIDTH = 30  # cells: the rest of the row fits 80 columns; the summary below is whole
COLUMNS = ("title", "difficulty", "minutes", "core", "best", "attempts")


class TrainingScenariosScreen(AgentScreen[None]):
    ACTION_IDS = ("open", "training_easier", "training_harder")
    HELP_KEY = "training_scenarios.help"
    CSS_PATH = "training_scenarios.tcss"

    def __init__(self, scenarios: Sequence[Scenario]) -> None:
        super().__init__()
        self.scenarios = list(scenarios)
        # The difficulty picked for each scenario (its suggested one until another is picked).
        self.difficulty = {scenario.id: scenario.difficulty for scenario in self.scenarios}
        self.found: dict[str, dict[str, ScenarioProgress]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose(id="scenarios-status")
        yield MeasuredTable(id="scenarios-table", cursor_type="row", zebra_stripes=True)
        yield Prose(id="scenarios-summary")
        yield Prose(id="scenarios-difficulty")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one(DataTable)
        add_columns(table, [(key, t(f"training_scenarios.col.{key}")) for key in COLUMNS],
                    essential=COLUMNS)  # all of them fit 80 columns
        self.query_one("#scenarios-status", Static).update(Content(t(
            "training_scenarios.title", count=len(self.scenarios))))
        self.set_focus(table)
        self.load()

    @work(thread=True, exclusive=True, group="training-scenarios")
    def load(self) -> None:
        trainee = self.agent_app.config.agent.id
        self.use_store(lambda connection: progress_by_difficulty(connection, trainee),
                       self.show)

    def show(self, found: dict[str, dict[str, ScenarioProgress]]) -> None:
        language = self.agent_app.language
        self.found = found
        table = self.query_one(DataTable)
        with self.app.batch_update():
            table.clear()
            for scenario in self.scenarios:
                table.add_row(cell(scenario.title(language), width=TITLE_WIDTH),
                              *self._cells(scenario), key=scenario.id)
        self._show_summary()

    def _cells(self, scenario: Scenario) -> list:
        """The row's cells after the title: the difficulty picked, and the rest at it."""
        t, difficulty = self.agent_app.t, self.difficulty[scenario.id]
        made = self.found.get(scenario.id, {}).get(difficulty)
        return [cell(t(f"training_scenarios.difficulty.{difficulty}"),
                     "" if difficulty == scenario.difficulty else "bold $text-accent"),
                cell(str(scenario.duration_minutes)),
                cell(t("training_scenarios.core") if scenario.core else ""),
                cell(f"{made.best:.0f}" if made else "-",
                     "$text-success" if made and made.passed else ""),
                cell(str(made.attempts) if made else "0")]

    def _highlighted(self) -> Scenario | None:
        if not self.scenarios:
            return None
        row = min(max(self.query_one(DataTable).cursor_row, 0), len(self.scenarios) - 1)
        return self.scenarios[row]

    def _show_summary(self) -> None:
        t = self.agent_app.t
        summary = self.query_one("#scenarios-summary", Static)
        level = self.query_one("#scenarios-difficulty", Static)
        scenario = self._highlighted()
        if scenario is None:
            summary.update(Content(""))
            level.update(Content(""))
            return
        summary.update(safe(scenario.summary(self.agent_app.language)))
        difficulty = self.difficulty[scenario.id]
        level.update(Content.assemble(
            (t(f"training_scenarios.difficulty.{difficulty}"), "bold"), ": ",
            t(f"training_difficulty.means.{difficulty}"), " ",
            t("training_difficulty.suggested" if difficulty == scenario.difficulty
              else "training_difficulty.not_suggested",
              suggested=t(f"training_scenarios.difficulty.{scenario.difficulty}"))))

    def _pick(self, step: int) -> None:
        """Left/right: the highlighted scenario's difficulty, one easier or harder."""
        scenario = self._highlighted()
        if scenario is None:
            return
        offered = scenario.difficulties
        now = offered.index(self.difficulty[scenario.id]) if \
            self.difficulty[scenario.id] in offered else 0
        picked = offered[min(max(now + step, 0), len(offered) - 1)]
        if picked == self.difficulty[scenario.id]:
            return
        self.difficulty[scenario.id] = picked
        table = self.query_one(DataTable)
        for column, value in zip(COLUMNS[1:], self._cells(scenario), strict=True):
            table.update_cell(scenario.id, column, value)
        self._show_summary()

    def action_easier(self) -> None:
        self._pick(-1)

    def action_harder(self) -> None:
        self._pick(+1)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_summary()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()  # Enter on the table (its own key): the same as the screen's

    def action_open(self) -> None:
        """Enter: a training call of the highlighted scenario, at the difficulty picked."""
        scenario = self._highlighted()
        if scenario is not None:
            host: TrainingHost = self.app  # type: ignore[assignment]
            host.start_run(scenario, self.difficulty[scenario.id])
