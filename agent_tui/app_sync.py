"""The app's side of sync: one exclusive worker, its timer, the header's status, and what the
hub's answers mean for the screens (changed cases announced, customers cached for offline).

The sync itself (push, pull, SQLite, HTTP) runs on one dedicated thread, so two syncs never
overlap and the event loop only schedules and shows: its share of a cycle is a few attribute
reads and at most a header update (bench: ``sync.loop_share``).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from textual import work
from textual.timer import Timer

from agent_tui.sync.schedule import next_delay
from agent_tui.sync.state import SyncStatus

if TYPE_CHECKING:
    from agent_tui.app import AgentApp
    from agent_tui.sync.hub_client import HubClient
    from agent_tui.sync.runner import SyncReport

STATUS_REFRESH_S = 2.0  # how often "changes waiting" is re-counted between syncs


class SyncActions:
    """Mixed into AgentApp."""

    sync_status: SyncStatus | None = None
    _sync_executor: ThreadPoolExecutor | None = None
    _sync_client: HubClient | None = None
    _sync_timer: Timer | None = None
    _sync_running = False
    _sync_again = False
    _sync_failures = 0
    _sync_error_shown = ""

    @property
    def hub_configured(self: AgentApp) -> bool:
        return self.config.hub.configured

    def start_sync(self: AgentApp) -> None:
        """After the store opens: the first sync soon, then on the jittered timer."""
        if not self.hub_configured or self._sync_executor is not None:
            return
        self._sync_executor = ThreadPoolExecutor(1, thread_name_prefix="sync")
        self.set_interval(STATUS_REFRESH_S, self.refresh_sync_status)
        self._schedule_sync(0.5)

    def _schedule_sync(self: AgentApp, delay: float) -> None:
        if self._sync_timer is not None:
            self._sync_timer.stop()
        self._sync_timer = self.set_timer(delay, self.action_sync_now)

    def action_sync_now(self: AgentApp) -> None:
        """F5: sync at once (after the one running, if one is)."""
        if not self.hub_configured:
            self.notify(self.t("sync.not_configured"), severity="warning")
            return
        if self._sync_executor is None:
            return  # the store is not open yet; start_sync will run the first one
        if self._sync_running:
            self._sync_again = True
            return
        self._sync_running = True
        self._sync_cycle()

    @work(group="sync", exit_on_error=False)
    async def _sync_cycle(self: AgentApp) -> None:
        loop = asyncio.get_running_loop()
        try:
            report, status = await loop.run_in_executor(self._sync_executor, self._sync_in_thread)
        finally:
            self._sync_running = False
        self.sync_finished(report, status)

    def _sync_in_thread(self: AgentApp) -> tuple[SyncReport, SyncStatus]:
        from agent_tui.sync import state
        from agent_tui.sync.runner import run_sync

        store = self.wait_for_store()
        connection = store.connection()
        report = run_sync(connection, self.hub_client(), self.clock)
        return report, state.status(connection, True)

    def hub_client(self: AgentApp) -> HubClient:
        """The one HTTP client of the session (connections kept alive between syncs)."""
        from agent_tui.sync.hub_client import HubClient

        if self._sync_client is None:
            self._sync_client = HubClient(self.config.hub.url, self.config.hub.token)
        return self._sync_client

    def sync_finished(self: AgentApp, report: SyncReport, status: SyncStatus) -> None:
        """On the event loop: show the status, say what needs saying, plan the next sync."""
        self._sync_failures = 0 if report.ok else self._sync_failures + 1
        self.show_sync_status(status)
        if report.error != self._sync_error_shown:  # each new problem once, not every 10 s
            self._sync_error_shown = report.error
            if report.error:
                from agent_tui.sync_cli import describe_error

                self.notify(describe_error(self.catalog, report.error), severity="warning",
                            timeout=8)
        if report.touched.cases:
            self._announce_changed_cases(report.touched.cases)
        self._schedule_sync(next_delay(self.config.hub.interval_seconds, self._sync_failures))
        if self._sync_again:
            self._sync_again = False
            self.action_sync_now()

    def _announce_changed_cases(self: AgentApp, case_ids: set[str]) -> None:
        for screen in self.screen_stack:
            if getattr(screen, "case_id", None) in case_ids and hasattr(screen, "load"):
                screen.load()
                if screen is self.screen:
                    self.notify(self.t("sync.case_changed"), severity="warning", timeout=8)

    @work(thread=True, group="sync-status", exclusive=True, exit_on_error=False)
    def refresh_sync_status(self: AgentApp) -> None:
        from agent_tui.sync import state

        store = self.wait_for_store(timeout=1)
        if store is not None:
            self.call_from_thread(self.show_sync_status,
                                  state.status(store.connection(), True))

    def show_sync_status(self: AgentApp, status: SyncStatus) -> None:
        if status != self.sync_status:
            had_conflicts = bool(self.sync_status and self.sync_status.conflicts)
            self.sync_status = status
            self.sub_title = self.agent_line()
            if had_conflicts != bool(status.conflicts):
                self.refresh_bindings()  # the review key shows only when there is a review

    def check_action(self: AgentApp, action: str, parameters: tuple[object, ...]
                     ) -> bool | None:
        """Sync keys only where there is a hub; the review key only when there is a review."""
        if action == "sync_now":
            return self.hub_configured
        if action == "conflicts":
            return bool(self.sync_status and self.sync_status.conflicts)
        return super().check_action(action, parameters)

    def sync_line(self: AgentApp) -> str:
        """The header's part about sync: online or offline, waiting, last good sync, review."""
        status = self.sync_status
        if not self.hub_configured or status is None:
            return ""
        parts = [self.t("sync.online" if status.online else "sync.offline"),
                 self.t("sync.waiting", count=status.waiting),
                 self.t("sync.last", time=status.last_sync[11:16]) if status.last_sync
                 else self.t("sync.never")]
        if status.conflicts:
            parts.append(self.t("sync.conflicts", count=status.conflicts))
        return " · ".join(parts)

    # -- online search and fetch (worker threads) ----------------------------------------------

    def search_hub(self: AgentApp, connection, text: str):
        """Ask the hub too and cache what it finds: its hits (masked), or None when it could
        not be asked."""
        from agent_tui.sync.online import search_and_cache

        if not self.hub_configured:
            return None
        return search_and_cache(connection, self.hub_client(), text)

    def identity_client(self: AgentApp) -> HubClient | None:
        """Who decides a call's identity and sends one-time codes: the hub, when there is one."""
        return self.hub_client() if self.hub_configured else None

    def fetch_from_hub(self: AgentApp, connection, customer_id: str) -> bool:
        """Cache the customer's record from the hub (then it is there offline too); True if
        anything on the workstation changed."""
        from agent_tui.sync.online import fetch_and_cache

        return self.hub_configured and fetch_and_cache(connection, self.hub_client(),
                                                       customer_id, self.clock())

    def action_conflicts(self: AgentApp) -> None:
        from screens.conflicts import ConflictsScreen

        if not isinstance(self.screen, ConflictsScreen):
            self.push_screen(ConflictsScreen())

    def stop_sync(self: AgentApp) -> None:
        if self._sync_timer is not None:
            self._sync_timer.stop()
        if self._sync_executor is not None:
            self._sync_executor.shutdown(wait=False, cancel_futures=True)
            self._sync_executor = None
        if self._sync_client is not None:
            self._sync_client.close()
            self._sync_client = None

    def on_unmount(self: AgentApp) -> None:
        self.stop_sync()
