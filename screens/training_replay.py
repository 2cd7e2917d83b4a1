"""The replay of one training attempt (issue 15): what was said and what the call recorded, in
the order it happened, stepped through a line or an event at a time (→/Space forward, ←/Backspace
back), at any later time: from the training store for the trainee, from the hub for a trainer.

The attempt's text (the trainee's lines, the simulated customer's) is outside text: sanitised
and drawn as Content, never markup."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from agent_tui.domain.times import call_timer
from agent_tui.training.attempt import (
    Attempt,
    AttemptCatch,
    AttemptEvent,
    AttemptMiss,
    TranscriptLine,
)
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import safe

Step = TranscriptLine | AttemptEvent | AttemptCatch | AttemptMiss


def steps_of(attempt: Attempt) -> list[Step]:
    """The transcript's lines, the call's events, the forbidden phrases caught and the steps
    missed (at the moment they should have happened, with the model line), by time; at the same
    moment the line said comes first, then what the call recorded, then the feedback."""
    timed = [(line.at, 0, index, line) for index, line in enumerate(attempt.transcript)]
    timed += [(event.at, 1, index, event) for index, event in enumerate(attempt.events)]
    timed += [(catch.at, 2, index, catch) for index, catch in enumerate(attempt.caught)]
    timed += [(miss.at, 3, index, miss) for index, miss in enumerate(attempt.misses)]
    return [step for *_order, step in sorted(timed, key=lambda item: item[:3])]


class TrainingReplayScreen(AgentScreen[None]):
    ACTION_IDS = ("replay_next", "replay_previous")
    HELP_KEY = "training_replay.help"
    CSS_PATH = "training_replay.tcss"

    def __init__(self, attempt: Attempt, scenario_title: str = "") -> None:
        super().__init__()
        self.attempt = attempt
        self.scenario_title = scenario_title or attempt.scenario_id
        self.steps = steps_of(attempt)
        self.position = min(1, len(self.steps))  # the first step shown at once

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title(), id="replay-title")
        yield Static(self._scores(), id="replay-scores")
        with VerticalScroll(id="replay-steps"):
            yield Static(id="replay-lines")
        yield Static(id="replay-position")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()

    def _title(self) -> Content:
        t, attempt = self.agent_app.t, self.attempt
        verdict = t("training_replay.passed" if attempt.passed else "training_replay.failed")
        title = t("training_replay.title", scenario=self.scenario_title, trainee=attempt.trainee,
                  score=f"{attempt.score:.0f}",
                  outcome=t(f"training_replay.outcome.{attempt.outcome}"))
        return Content.assemble(safe(title, "bold"), "  ",
                                (verdict, "$text-success" if attempt.passed else "$text-error"))

    def _scores(self) -> Content:
        parts = [f"{section.section} {section.score:g}/{section.weight:g}"
                 for section in self.attempt.sections]
        line = safe(" · ".join(parts))
        if self.attempt.fatal:
            fatal = self.agent_app.t("training_replay.fatal", items=", ".join(self.attempt.fatal))
            line = Content.assemble(line, "  ", safe(fatal, "$text-error"))
        return line

    def _line(self, step: Step, current: bool) -> Content:
        t = self.agent_app.t
        at = call_timer(timedelta(seconds=step.at))
        if isinstance(step, TranscriptLine):
            who = t(f"training_replay.speaker.{step.speaker}")
            text = Content.assemble((f"{at}  ", "dim"), (f"{who}: ", "bold"), safe(step.text))
        elif isinstance(step, AttemptMiss):
            text = Content.assemble((f"{at}  ", "dim"), safe(t(
                "training_replay.missed", item=step.item, model=step.model), "$text-warning"))
        elif isinstance(step, AttemptCatch):
            text = Content.assemble((f"{at}  ", "dim"), safe(t(
                "training_replay.caught", word=step.word), "$text-error"))
        else:
            text = Content.assemble((f"{at}  · ", "dim"), safe(t(
                "training_replay.event", stage=step.stage, kind=step.kind, step=step.step),
                "italic dim"))
        return text.stylize("reverse") if current else text

    def show(self) -> None:
        t = self.agent_app.t
        lines = self.query_one("#replay-lines", Static)
        position = self.query_one("#replay-position", Static)
        if not self.steps:
            lines.update(Content(t("training_replay.empty")))
            position.update(Content(""))
            return
        shown = [self._line(step, index == self.position - 1)
                 for index, step in enumerate(self.steps[:self.position])]
        lines.update(Content("\n").join(shown) if shown else Content(t("training_replay.start")))
        position.update(Content(t("training_replay.position", step=self.position,
                                  total=len(self.steps))))
        self.query_one("#replay-steps", VerticalScroll).scroll_end(animate=False)

    def action_next_step(self) -> None:
        if self.position < len(self.steps):
            self.position += 1
            self.show()

    def action_previous_step(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.show()
