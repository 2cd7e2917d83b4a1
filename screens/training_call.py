"""A training call (issue 15): what is said, and how patient the simulated customer still is. The
trainee speaks by typing a line (Enter sends it); the customer answers here. The call itself is
the usual one: F7 opens its workspace (stages, checklist, phrases, verification, step-up, case
form), which F3 leaves for this screen again, and the workspace's closing ends the call as on a
live one. F12 ends it at once. Either way the attempt is scored, kept and replayed.

Silence is noticed: every few seconds with nothing said, the customer's patience is asked again
(``TrainingRun.wait``); a customer who has had enough hangs up, and the call ends there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, Static

from agent_tui.training.attempt import TranscriptLine
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import safe
from screens.widgets.safe_input import SafeInput
from screens.widgets.training_host import TrainingHost

if TYPE_CHECKING:
    from agent_tui.training.run import TrainingRun

SILENCE_CHECK_S = 5.0
GAUGE_CELLS = 20


class TrainingCallScreen(AgentScreen[None]):
    ACTION_IDS = ("training_workspace", "training_end")
    HELP_KEY = "training_call.help"
    CSS_PATH = "training_call.tcss"

    def __init__(self, run: TrainingRun) -> None:
        super().__init__()
        self.run = run

    @property
    def host(self) -> TrainingHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t, run = self.agent_app.t, self.run
        yield Header()
        yield Static(safe(t("training_call.title", scenario=run.scenario.title(run.language),
                            difficulty=t(f"training_scenarios.difficulty.{run.difficulty}")),
                          "bold"), id="run-title")
        yield Static(id="run-patience")
        with VerticalScroll(id="run-transcript"):
            yield Static(id="run-lines")
        yield SafeInput(id="run-say", placeholder=t("training_call.say"), max_length=500)

        yield KeyBar()

    def on_mount(self) -> None:
        self.show()
        self.query_one("#run-say", Input).focus()
        self.set_interval(SILENCE_CHECK_S, self._silence)

    def on_screen_resume(self) -> None:
        """Back from the workspace: what happened in the call there is noticed."""
        if self.is_mounted and self.run.controller.call is not None:
            self._heard(self.run.wait(self.agent_app.now()))

    def _line(self, line: TranscriptLine) -> Content:
        who = self.agent_app.t(f"training_replay.speaker.{line.speaker}")
        style = {"agent": "", "customer": "bold", "system": "italic dim"}[line.speaker]
        return Content.assemble((f"{who}: ", "bold"), safe(line.text, style))

    def show(self) -> None:
        t, run = self.agent_app.t, self.run
        lines = [self._line(line) for line in run.transcript]
        self.query_one("#run-lines", Static).update(
            Content("\n").join(lines) if lines else Content(t("training_call.start")))
        filled = round(run.patience * GAUGE_CELLS)
        self.query_one("#run-patience", Static).update(Content.assemble(
            t("training_call.patience"), " ",
            ("█" * filled, "$success" if run.patience > 0.3 else "$error"),
            ("░" * (GAUGE_CELLS - filled), "dim")))
        self.query_one("#run-transcript", VerticalScroll).scroll_end(animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text or self.run.controller.call is None:
            return
        event.input.value = ""
        self._heard(self.run.say(text, self.agent_app.now()))

    def _silence(self) -> None:
        if self.app.screen is self and self.run.controller.call is not None:
            self._heard(self.run.wait(self.agent_app.now()))

    def _heard(self, _lines: list[TranscriptLine]) -> None:
        self.show()
        if self.run.hung_up:
            self.host.end_run()

    def action_workspace(self) -> None:
        self.host.show_call()

    def action_end_run(self) -> None:
        self.host.end_run()
