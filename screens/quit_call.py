"""ctrl+q with a call open: quit only when the agent says so, and only once the call is saved.

The call is saved as it stands, not ended: no closing, no wrap-up invented for it. If the save
fails, the agent is told why and the workstation stays up, so nothing typed is lost.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button

from agent_tui.domain.call_session import CallSession
from agent_tui.domain.times import call_timer
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.workers import work


class QuitCallScreen(AgentModal[bool]):
    HELP_KEY = "help.quit_call"

    def __init__(self, call: CallSession) -> None:
        super().__init__()
        self.call = call

    def compose(self) -> ComposeResult:
        app = self.agent_app
        t, flow = app.t, self.call.flow
        message = t("quit_call.message", stage=flow.library.stage(flow.stage).name(app.language),
                    elapsed=call_timer(flow.elapsed(app.now())))
        with Vertical(classes="dialog"):
            yield Prose(Content(t("quit_call.title")), classes="dialog-title")
            yield Prose(Content(message), classes="dialog-message")
            with Horizontal(classes="buttons"):
                yield Button(t("quit_call.stay"), id="stay", variant="primary", compact=True)
                yield Button(t("quit_call.quit"), id="save-quit", variant="error", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#stay"))  # Enter on a reflex keeps the call

    @on(Button.Pressed, "#stay")
    def _stay(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#save-quit")
    def _save_and_quit(self) -> None:
        self.query_one("#save-quit", Button).disabled = True
        self.save_then_quit()

    @work(thread=True, group="call-save")
    def save_then_quit(self) -> None:
        app = self.agent_app
        saved = self.use_store(app.save_call)
        if saved:
            app.call_from_thread(app.leave)
        else:  # use_store has said why; the call stays open, in memory and on screen
            app.call_from_thread(self.dismiss, False)
