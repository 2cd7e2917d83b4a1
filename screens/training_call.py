"""A training call (issue 15): the usual call workspace (stage bar, checklist, phrases, notes,
verification, step-up, case form: ``CallScreen``) with the transcript beside the notes and a
line to say below them. The trainee speaks by typing on that line, or by inserting a phrase into
it (F8, or Enter on the phrase list), and Enter says it; the simulated customer answers in the
transcript. A phrase counts as used (and ticks its step) when it is said, not when inserted: a
phrase the trainee takes back off the line was never said. From the notes, F8 works as on a live
call (the phrase goes into the notes). Tab moves between the panels.

The workspace's closing ends the call as on a live one; ctrl+d ends it at once.
Either way the attempt is scored, kept and replayed. Silence is noticed: every few seconds with
nothing said, the customer's patience is asked again (``TrainingRun.wait``); a customer who has
had enough hangs up, and the call ends there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static

from agent_tui.domain.scripts import Phrase
from agent_tui.training.attempt import TranscriptLine
from screens.call import CallScreen
from screens.widgets.line_broken import Prose
from screens.widgets.notes_editor import NotesEditor
from screens.widgets.safe import safe
from screens.widgets.safe_input import SafeInput
from screens.widgets.training_host import TrainingHost

if TYPE_CHECKING:
    from agent_tui.training.run import TrainingRun

SILENCE_CHECK_S = 5.0
GAUGE_CELLS = 10


class TrainingCallScreen(CallScreen):
    ACTION_IDS = (*CallScreen.ACTION_IDS, "training_end")
    HELP_KEY = "training_call.help"
    CSS_PATH = ["call.tcss", "training_call.tcss"]
    FIRST_FOCUS = "#run-say"
    GUARD_HINT = "training_call.guard_hint"

    def __init__(self, run: TrainingRun) -> None:
        super().__init__(run.call)
        self.run = run
        # Phrases inserted into the line to say, not said yet: (phrase, its text).
        self._on_the_line: list[tuple[Phrase, str]] = []

    @property
    def host(self) -> TrainingHost:
        return self.app  # type: ignore[return-value]

    def compose_talk(self, notes: NotesEditor) -> ComposeResult:
        with Horizontal(id="talk"):
            with VerticalScroll(id="run-transcript"):
                yield Prose(id="run-lines")
            yield notes
        yield SafeInput(id="run-say", placeholder=self.agent_app.t("training_call.say"),
                        max_length=500)

    def on_mount(self) -> None:
        """(``CallScreen.on_mount`` runs too, after this: Textual calls every class's.)"""
        t, run = self.agent_app.t, self.run
        transcript = self.query_one("#run-transcript", VerticalScroll)
        transcript.border_title = safe(t(
            "training_call.title", scenario=run.scenario.title(run.language),
            difficulty=t(f"training_scenarios.difficulty.{run.difficulty}")))
        self.show_transcript()
        self.set_interval(SILENCE_CHECK_S, self._silence)

    def on_screen_resume(self) -> None:
        """Back from a dialog (verification, step-up, closing): what happened is noticed."""
        if self.is_mounted and self.run.controller.call is not None:
            self._heard(self.run.wait(self.agent_app.now()))

    # -- drawing -------------------------------------------------------------------------------

    def _line(self, line: TranscriptLine) -> Content:
        who = self.agent_app.t(f"training_replay.speaker.{line.speaker}")
        style = {"agent": "", "customer": "bold", "system": "italic dim"}[line.speaker]
        return Content.assemble((f"{who}: ", "bold"), safe(line.text, style))

    def show_transcript(self) -> None:
        t, run = self.agent_app.t, self.run
        lines = [self._line(line) for line in run.transcript]
        self.query_one("#run-lines", Static).update(
            Content("\n").join(lines) if lines else Content(t("training_call.start")))
        filled = round(run.patience * GAUGE_CELLS)
        transcript = self.query_one("#run-transcript", VerticalScroll)
        transcript.border_subtitle = Content.assemble(
            t("training_call.patience"), " ",
            ("█" * filled, "$success" if run.patience > 0.3 else "$error"),
            ("░" * (GAUGE_CELLS - filled), "dim"))
        transcript.scroll_end(animate=False)

    # -- speaking ------------------------------------------------------------------------------

    def _in_notes(self) -> bool:
        return isinstance(self.focused, NotesEditor)

    def action_use_phrase(self) -> None:
        if self._in_notes():
            super().action_use_phrase()  # as on a live call: into the notes, or a catch mended
        else:
            self.insert_phrase()

    def insert_phrase(self) -> None:
        """The highlighted phrase onto the line to say (into the notes, from the notes)."""
        if self._in_notes():
            super().insert_phrase()
            return
        chosen = self.highlighted_phrase()
        if chosen is None:
            return
        phrase, text = chosen
        say = self.query_one("#run-say", Input)
        before, after = say.value[:say.cursor_position], say.value[say.cursor_position:]
        spaced = (" " if before and not before.endswith(" ") else "") + text.strip() + (
            " " if after and not after.startswith(" ") else "")
        say.insert_text_at_cursor(spaced)
        self._on_the_line.append((phrase, text.strip()))
        say.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "run-say":
            return
        text = event.value.strip()
        if not text or self.run.controller.call is None:
            return
        event.input.value = ""
        said, self._on_the_line = self._on_the_line, []
        for phrase, phrase_text in said:
            if phrase_text in text:  # still on the line as inserted: said
                self.phrase_said(phrase, phrase_text, in_notes=False)
        self._heard(self.run.say(text, self.agent_app.now()))

    def _silence(self) -> None:
        if self.app.screen is self and self.run.controller.call is not None:
            self._heard(self.run.wait(self.agent_app.now()))

    def _heard(self, _lines: list[TranscriptLine]) -> None:
        self.show_transcript()
        if self.run.hung_up:
            self.host.end_run()

    def action_step_up(self) -> None:
        """F12: the step-up dialog with the simulated customer on the line in it."""
        from screens.training_step_up import TrainingStepUpScreen

        self.app.push_screen(TrainingStepUpScreen(self.run), self.operation_done)

    def action_end_run(self) -> None:
        self.host.end_run()
