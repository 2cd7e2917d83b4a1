"""What the training screens ask of the App besides ``AgentHost``: whether this is a training
session, the hub as a trainer reads it, and a training call started, shown and ended. The TrainingApp satisfies it
(``agent_tui.app.training_app``); the screens never import the App."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from screens.widgets.host import AgentHost

if TYPE_CHECKING:
    from agent_tui.domain.scenario import Scenario
    from agent_tui.sync.hub_client import HubClient


class TrainingHost(AgentHost, Protocol):
    in_training: bool

    def training_client(self) -> HubClient | None:
        """The hub client (from a worker thread), or None when no hub is set up."""

    def start_run(self, scenario: Scenario, difficulty: str) -> None:
        """A training call of ``scenario``, on its screen (refused while a call is open)."""

    def end_run(self) -> None:
        """The training call ends now: scored, kept, replayed."""

    def show_call(self) -> None:
        """The call workspace of the call in progress."""
