"""What the training screens ask of the App besides ``AgentHost``: whether this is a training
session, and the hub as a trainer reads it. The TrainingApp satisfies it
(``agent_tui.app.training_app``); the screens never import the App."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from screens.widgets.host import AgentHost

if TYPE_CHECKING:
    from agent_tui.sync.hub_client import HubClient


class TrainingHost(AgentHost, Protocol):
    in_training: bool

    def training_client(self) -> HubClient | None:
        """The hub client (from a worker thread), or None when no hub is set up."""
