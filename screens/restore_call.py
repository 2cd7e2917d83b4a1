"""After a restart: the call the process lost (killed, crashed, the terminal closed), or the one the
agent quit during (saved unfinished), offered back; the dialog says which.

Resuming brings the workspace back exactly as it was: the stage, the ticks, the request type, the
verification (a passed one is revealed again, audited) and every character of the notes that was
autosaved. Leaving it keeps the call in the store as it was left, unfinished.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button

from agent_tui.domain.call_session import CallSnapshot
from agent_tui.domain.callflow import EventKind
from agent_tui.domain.scripts import STAGE_ORDER
from agent_tui.domain.times import stamp
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import safe

PREVIEW_LINES = 3


class RestoreCallScreen(AgentModal[bool]):
    HELP_KEY = "help.restore_call"

    def __init__(self, snapshot: CallSnapshot, quit_last: bool = False) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.quit_last = quit_last  # the agent quit with the call saved: say so

    def compose(self) -> ComposeResult:
        app, snapshot = self.agent_app, self.snapshot
        t = app.t
        entered = sum(event.kind is EventKind.STAGE_ENTERED for event in snapshot.events)
        stage_id = STAGE_ORDER[max(0, min(entered, len(STAGE_ORDER)) - 1)]
        stage = app.library.stage(stage_id).name(app.language) if app.library else stage_id
        started = snapshot.events[0].at if snapshot.events else None
        lines = [line for line in snapshot.notes.splitlines() if line.strip()]
        with Vertical(classes="dialog"):
            how = "_quit" if self.quit_last else ""
            yield Prose(Content(t(f"restore_call.title{how}")), classes="dialog-title")
            yield Prose(Content(t(
                f"restore_call.message{how}", stage=stage,
                started=stamp(started) if started else "-",
                caller=t("restore_call.known_caller") if snapshot.customer_id
                else t("call.unknown_caller"),
                characters=f"{len(snapshot.notes):,}")), classes="dialog-message")
            if lines:
                yield Prose(safe("\n".join(lines[-PREVIEW_LINES:]), "italic"),
                             classes="dialog-message", id="restore-preview")
            with Horizontal(classes="buttons"):
                yield Button(t("restore_call.resume"), id="resume", variant="primary",
                             compact=True)
                yield Button(t("restore_call.leave"), id="leave", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#resume"))

    @on(Button.Pressed, "#resume")
    def _resume(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#leave")
    def _leave(self) -> None:
        self.dismiss(False)

    def go_back(self) -> None:
        """F3 decides nothing: the draft stays, and is offered again at the next start."""
        self.dismiss(None)
