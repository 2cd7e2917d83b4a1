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
    from agent_tui.training.attempt import Attempt
    from agent_tui.training.run import TrainingRun


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
    KEPT_TITLE = "training.short_banner"

    def __init__(self, config: Config, language: str, *, real_store: Path,
                 scenarios: Sequence[Scenario] = (), **options) -> None:
        super().__init__(config, language, **options)
        self.real_store = real_store
        self.scenarios = tuple(scenarios)
        # The training call in progress (not ``run``: that is App.run, which starts the app).
        self.training_run: TrainingRun | None = None
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

    # -- a training call -----------------------------------------------------------------------

    def start_run(self, scenario: Scenario, difficulty: str) -> None:
        """The training call of ``scenario`` over the App's own call engine (the workspace is
        the live one), on its screen. The seed is the moment it starts: each attempt differs,
        and its record says how to replay it."""
        from agent_tui.store.training import set_cards
        from agent_tui.training.run import TrainingRun
        from agent_tui.training.training_store import card_rows
        from screens.training_call import TrainingCallScreen

        if self.engine.call is not None:
            self.notify(self.t("training_call.finish_call_first"), severity="warning")
            return
        now = self.now()
        language = self.language if self.language in scenario.languages else scenario.languages[0]
        self.training_run = TrainingRun(scenario, language, difficulty, int(now.timestamp()), self.engine,
                               self.trainee, now)
        self.sub_title = self.agent_line()
        run = self.training_run

        def cards_then_call() -> None:
            # The persona's card as the scenario starts it (an earlier attempt froze it),
            # before the workspace can offer to change it.
            set_cards(self.wait_for_store().connection(), card_rows([scenario]))
            self.call_from_thread(lambda: self.push_screen(TrainingCallScreen(run)))

        self.run_in_thread(cards_then_call, "training-cards")

    def show_call(self) -> None:
        """ctrl+n during a training call left with F3: back to its workspace, the training one
        (transcript and line to say), not the live one."""
        from screens.call import CallScreen
        from screens.training_call import TrainingCallScreen

        run = self.training_run
        if run is None or any(isinstance(screen, CallScreen) for screen in self.screen_stack):
            super().show_call()
            return
        self.push_screen(TrainingCallScreen(run))

    def end_call(self, saved: bool) -> None:
        """The workspace closed the call (saved or not): a training call is scored too."""
        attempt = self._finish_run() if self.engine.call is not None else None
        super().end_call(saved)
        if attempt is not None:
            self._keep(attempt)

    def end_run(self) -> None:
        """F12, or the customer hung up: the training call ends where it is."""
        attempt = self._finish_run()
        if attempt is None:
            return
        self.mask_all()
        self.sub_title = self.agent_line()
        self._keep(attempt)

    def _finish_run(self) -> Attempt | None:
        run, self.training_run = self.training_run, None
        if run is None or run.controller.call is None:
            return None
        return run.finish(self.now())

    def _keep(self, attempt: Attempt) -> None:
        """Keep the attempt in the training store (a thread), then its replay in front, and the
        score said; the training sync takes it to the hub."""
        from agent_tui.training import attempts

        def keep() -> None:
            attempts.save(self.wait_for_store().connection(), attempt)
            self.call_from_thread(self._kept, attempt)

        self.run_in_thread(keep, "training-attempt")

    def _kept(self, attempt: Attempt) -> None:
        from screens.training_call import TrainingCallScreen
        from screens.training_replay import TrainingReplayScreen

        while any(isinstance(screen, TrainingCallScreen) for screen in self.screen_stack):
            self.pop_screen()
        titles = self.scenario_titles()
        self.push_screen(TrainingReplayScreen(attempt, titles.get(attempt.scenario_id, "")))
        verdict = self.t("training_replay.passed" if attempt.passed else "training_replay.failed")
        self.notify(self.t("training_call.done", score=f"{attempt.score:.0f}", verdict=verdict),
                    timeout=8)
        if self.hub_configured:
            self.action_sync_now()
