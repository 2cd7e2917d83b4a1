"""The base of the call's dialogs: an AgentScreen that sits over the workspace, dimming it.

Modal, as Textual's ModalScreen is (its keys come before the app's), but with the workstation's
translated bindings and typed access to the app.
"""

from __future__ import annotations

from typing import Generic

from screens.widgets.agent_screen import AgentScreen, ResultType


class AgentModal(AgentScreen[ResultType], Generic[ResultType]):
    DEFAULT_CSS = """
    AgentModal {
        align: center middle;
        background: $background 60%;
    }
    AgentModal > .dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 1;
        border: round $primary;
        background: $surface;
    }
    AgentModal .dialog-title {
        text-style: bold;
        height: auto;
    }
    AgentModal .dialog-message {
        height: auto;
        margin-bottom: 1;
    }
    AgentModal .dialog-error {
        color: $text-error;
        height: auto;
    }
    AgentModal .row {
        height: 1;
        margin-bottom: 0;
    }
    AgentModal .row > Label {
        width: 22;
    }
    AgentModal .row > Input {
        width: 1fr;
    }
    AgentModal .buttons {
        height: auto;
        margin-top: 1;
    }
    AgentModal .buttons Button {
        margin-right: 2;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._modal = True  # as ModalScreen: the app's keys wait until the dialog is closed

    def go_back(self) -> None:
        """F3 / Escape: the dialog closes with no answer, and its caller is told so."""
        self.dismiss(None)
