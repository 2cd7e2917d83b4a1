"""Step-up in a training call (F12 in the training workspace): the live dialog (``StepUpScreen``:
choose the operation, send a code, type what the caller reads back, the operation done), with the
simulated customer on the line inside it, since a dialog over the workspace hides the transcript.

- The code goes to the simulated customer's phone through the training run
  (``TrainingRun.send_step_up``, as a golden transcript's ``step_up`` does), never to the hub nor
  to the SMS outbox file: the customer is synthetic and so is their phone.
- The trainee speaks on the dialog's own line (Enter says it, through ``TrainingRun.say`` as on
  the workspace's line): asked for the code, the customer reads it out. What the customer says is
  shown in the dialog and kept in the transcript; when they read a code, the code box is focused.
- The code is checked and the operation done as on a live call without a hub (the training
  store's card is frozen): a wrong code, an expired one and too many tries the same.
- Silence counts here too, and a customer who hangs up closes the dialog (the workspace ends the
  call when it is back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from agent_tui.domain.operations import OPERATION_NAMES
from agent_tui.training.attempt import TranscriptLine
from screens.step_up import StepUpScreen
from screens.widgets.line_broken import Prose
from screens.widgets.safe import safe
from screens.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from agent_tui.training.run import TrainingRun

SILENCE_CHECK_S = 5.0
SHOWN_LINES = 3  # the customer's last lines: what they said about the code fits at 80x24


class TrainingStepUpScreen(StepUpScreen):
    CSS_PATH = "training_step_up.tcss"
    HELP_KEY = "training_step_up.help"

    def __init__(self, run: TrainingRun) -> None:
        super().__init__(run.call)
        self.run = run
        self._heard_lines: list[TranscriptLine] = []

    @property
    def hub_decides(self) -> bool:
        return False  # the training run is the customer's phone; the hub is never asked

    def compose_caller(self) -> ComposeResult:
        yield Prose(id="step-up-heard")
        yield SafeInput(id="step-up-say", max_length=500, compact=True,
                        placeholder=self.agent_app.t("training_step_up.say"))

    def on_mount(self) -> None:
        """(``StepUpScreen.on_mount`` runs too: Textual calls every class's.)"""
        self.set_interval(SILENCE_CHECK_S, self._silence)

    # -- the code to the customer's phone ------------------------------------------------------

    def send_code(self, operation: str) -> None:
        app, customer = self.agent_app, self.call.customer
        if customer is None:
            return
        self.run.send_step_up(operation, app.now())
        shown = app.disclosure_for(customer.id).mobile(customer.mobile)
        self.await_code(app.t("training_step_up.sent", mobile=shown,
                              operation=OPERATION_NAMES[operation](app.language)))
        self._heard(self.run.wait(app.now()))  # the customer notices the message arrive
        self.set_focus(self.query_one("#step-up-say"))  # next: ask them to read it out

    # -- the customer on the line --------------------------------------------------------------

    @on(Input.Submitted, "#step-up-say")
    def _said(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text or self.run.controller.call is None:
            return
        event.input.value = ""
        self._heard(self.run.say(text, self.agent_app.now()))

    def _silence(self) -> None:
        if self.app.screen is self and self.run.controller.call is not None:
            self._heard(self.run.wait(self.agent_app.now()))

    def _heard(self, lines: list[TranscriptLine]) -> None:
        said = [line for line in lines if line.speaker == "customer"]
        if said:
            self._heard_lines = (self._heard_lines + said)[-SHOWN_LINES:]
            who = self.agent_app.t("training_replay.speaker.customer")
            self.query_one("#step-up-heard", Static).update(Content("\n").join(
                Content.assemble((f"{who}: ", "bold"), safe(line.text, "bold"))
                for line in self._heard_lines))
        if self.run.hung_up:
            self.dismiss(None)  # the workspace ends the call once it is back
            return
        code_box = self.query_one("#step-up-code", Input)
        if code_box.display and any(line.intent == "code" for line in said):
            self.set_focus(code_box)  # read out: the trainee types it
