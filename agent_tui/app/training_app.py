"""The App of a training session (issue 15): the workstation as the trainee will use it, on the
training store, marked as training on every screen, and sending the hub nothing but attempts.

- The store is the training store (``config.store`` swapped by ``agent-tui train``); the real
  store's path is known only to check that it is never the one opened (``store_path``).
- Every screen shows it: the header reads the training banner, and the "-training" class on the
  App colours the header, the key bar and every dialog's frame (screens/training_session.tcss).
- The sync pushes the trainee's attempts only (``sync.training``); the hub is never asked for a
  customer (search, fetch) nor for a verification: the customers are synthetic, and local."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from agent_tui.app.agent_app import AgentApp
from agent_tui.app.sync import SyncController
from agent_tui.config import Config
from agent_tui.domain.scenario import Scenario
from agent_tui.store import StoreError

if TYPE_CHECKING:
    from agent_tui.sync.hub_client import HubClient
    from agent_tui.sync.runner import SyncReport
    from agent_tui.sync.state import SyncStatus


class TrainingSync(SyncController):
    """The sync of a training session: attempts out, nothing in, no customer from the hub."""

    def _in_thread(self) -> tuple[SyncReport, SyncStatus]:
        from agent_tui.sync.training import run_training_sync, training_status

        connection = self.app.wait_for_store().connection()
        report = run_training_sync(connection, self.hub_client(), self.app.clock)
        return report, training_status(connection, True)

    def _refresh_status(self) -> None:
        from agent_tui.sync.training import training_status

        store = self.app.wait_for_store(timeout=1)
        if store is not None:
            self.app.call_from_thread(self.show_status,
                                      training_status(store.connection(), self.configured))

    def search_hub(self, connection: sqlite3.Connection, text: str):
        return None  # synthetic customers only: the hub's are real

    def fetch_from_hub(self, connection: sqlite3.Connection, customer_id: str) -> bool:
        return False

    def identity_client(self) -> HubClient | None:
        return None  # the synthetic caller is verified against the training store

    def training_client(self) -> HubClient | None:
        """The hub, for a trainer's report (the token decides whether it may be read)."""
        return self.hub_client() if self.configured else None


class TrainingApp(AgentApp):
    in_training = True

    def __init__(self, config: Config, language: str, *, real_store: Path,
                 scenarios: Sequence[Scenario] = (), **options) -> None:
        super().__init__(config, language, **options)
        self.real_store = real_store
        self.scenarios = tuple(scenarios)
        self.sync = TrainingSync(self)
        self.add_class("-training")
        self.title = self.t("training.banner")

    @property
    def store_path(self) -> Path:
        """The training store; never the real one (refused here, as the CLI refused it)."""
        path = self.config.store_path()
        if path.expanduser().resolve() == self.real_store.expanduser().resolve():
            raise StoreError("training.real_store", path=str(path))
        return path

    @property
    def trainee(self) -> str:
        return self.config.agent.id

    def training_client(self) -> HubClient | None:
        return self.sync.training_client()

    def scenario_titles(self) -> dict[str, str]:
        return {scenario.id: scenario.title(self.language) for scenario in self.scenarios}

    @property
    def core_scenarios(self) -> frozenset[str]:
        return frozenset(scenario.id for scenario in self.scenarios if scenario.core)
