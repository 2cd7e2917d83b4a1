"""The sync controller: the App's side of sync. One exclusive worker, its timer, the header's
status, and what the hub's answers mean for the screens (changed cases announced, customers cached
for offline).

The sync itself (push, pull, SQLite, HTTP) runs on one dedicated thread, so two syncs never
overlap and the event loop only schedules and shows: its share of a cycle is a few attribute
reads and at most a header update (bench: ``sync.loop_share``).
"""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from agent_tui.domain.times import time_of_day
from agent_tui.sync import state
from agent_tui.sync.describe import describe_error
from agent_tui.sync.schedule import next_delay
from agent_tui.sync.state import SyncStatus
from screens.widgets.agent_screen import AgentScreen

if TYPE_CHECKING:
    from textual.timer import Timer

    from agent_tui.app.host import AppHost
    from agent_tui.sync.hub_client import HubClient
    from agent_tui.sync.runner import SyncReport

STATUS_REFRESH_S = 2.0  # how often "changes waiting" is re-counted between syncs


class SyncController:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        self.status: SyncStatus | None = None
        self.running = False
        self._again = False
        self._failures = 0
        self._error_shown = ""
        self._executor: ThreadPoolExecutor | None = None
        self._client: HubClient | None = None
        self._timer: Timer | None = None

    @property
    def configured(self) -> bool:
        return self.app.config.hub.configured

    def start(self) -> None:
        """After the store opens: the first sync soon, then on the jittered timer."""
        if not self.configured or self._executor is not None:
            return
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="sync")
        self.app.set_interval(STATUS_REFRESH_S, self.refresh_status)
        self._schedule(0.5)

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(delay, self.app.action_sync_now)

    def sync_now(self) -> None:
        """F5: sync at once (after the one running, if one is)."""
        app = self.app
        if not self.configured:
            from agent_tui.config import config_path

            app.notify(app.t("sync.not_configured_here",
                             config=str(app.config.source or config_path())),
                       severity="warning", timeout=15)
            return
        if self._executor is None:
            return  # the store is not open yet; start will run the first one
        if self.running:
            self._again = True
            return
        self.running = True
        app.run_worker(self._cycle(), group="sync", exit_on_error=False)

    async def _cycle(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            report, status = await loop.run_in_executor(self._executor, self._in_thread)
        finally:
            self.running = False
        self.app.sync_finished(report, status)

    def _in_thread(self) -> tuple[SyncReport, SyncStatus]:
        from agent_tui.sync.runner import run_sync

        store = self.app.wait_for_store()
        connection = store.connection()
        report = run_sync(connection, self.hub_client(), self.app.clock)
        return report, state.status(connection, True)

    def hub_client(self) -> HubClient:
        """The one HTTP client of the session (connections kept alive between syncs)."""
        from agent_tui.sync.hub_client import HubClient

        if self._client is None:
            hub = self.app.config.hub
            self._client = HubClient(hub.url, hub.token)
        return self._client

    def finished(self, report: SyncReport, status: SyncStatus) -> None:
        """On the event loop: show the status, say what needs saying, plan the next sync."""
        app = self.app
        self._failures = 0 if report.ok else self._failures + 1
        self.show_status(status)
        if report.error != self._error_shown:  # each new problem once, not every 10 s
            self._error_shown = report.error
            if report.error:
                app.notify(describe_error(app.catalog, report.error), severity="warning",
                           timeout=8)
        if report.touched.cases:
            self._announce_changed_cases(report.touched.cases)
        for customer_id in report.touched.assessed:  # another agent's reassessment, say
            app.customer_facts_changed(customer_id)
        self._schedule(next_delay(app.config.hub.interval_seconds, self._failures))
        if self._again:
            self._again = False
            app.action_sync_now()

    def _announce_changed_cases(self, case_ids: set[str]) -> None:
        app = self.app
        for screen in app.screen_stack:
            if isinstance(screen, AgentScreen) and screen.cases_changed(case_ids):
                if screen is app.screen:
                    app.notify(app.t("sync.case_changed"), severity="warning", timeout=8)

    def refresh_status(self) -> None:
        self.app.run_in_thread(self._refresh_status, "sync-status", exclusive=True)

    def _refresh_status(self) -> None:
        store = self.app.wait_for_store(timeout=1)
        if store is not None:
            self.app.call_from_thread(self.show_status, state.status(store.connection(), True))

    def show_status(self, status: SyncStatus) -> None:
        if status != self.status:
            had_conflicts = bool(self.status and self.status.conflicts)
            self.status = status
            self.app.sub_title = self.app.agent_line()
            if had_conflicts != bool(status.conflicts):
                self.app.refresh_bindings()  # the review key shows only when there is a review

    def allows(self, action: str) -> bool | None:
        """Sync keys only where there is a hub; the review key only when there is a review;
        None for any other action."""
        if action == "sync_now":
            return True  # without a hub, F5 says how to set one up
        if action == "conflicts":
            return bool(self.status and self.status.conflicts)
        return None

    def line(self, short: bool = False) -> str:
        """The header's part about sync: online or offline, waiting, last good sync, review
        (``short``: without the last sync's time, the review without its key)."""
        status, t = self.status, self.app.t
        if not self.configured or status is None:
            return ""
        parts = [t("sync.online" if status.online else "sync.offline"),
                 t("sync.waiting", count=status.waiting)]
        if not short:
            parts.append(t("sync.last", time=time_of_day(status.last_sync))
                         if status.last_sync else t("sync.never"))
        if status.conflicts:
            parts.append(t("short.conflicts", count=status.conflicts) if short
                         else t("sync.conflicts", count=status.conflicts))
        return " · ".join(parts)

    # -- online search and fetch (worker threads) ----------------------------------------------

    def search_hub(self, connection: sqlite3.Connection, text: str):
        """Ask the hub too and cache what it finds: its hits (masked), or None when it could
        not be asked."""
        from agent_tui.sync.online import search_and_cache

        if not self.configured:
            return None
        return search_and_cache(connection, self.hub_client(), text)

    def identity_client(self) -> HubClient | None:
        """Who decides a call's identity and sends one-time codes: the hub, when there is one."""
        return self.hub_client() if self.configured else None

    def fetch_from_hub(self, connection: sqlite3.Connection, customer_id: str) -> bool:
        """Cache the customer's record from the hub (then it is there offline too); True if
        anything on the workstation changed."""
        from agent_tui.sync.online import fetch_and_cache

        return self.configured and fetch_and_cache(connection, self.hub_client(),
                                                   customer_id, self.app.now())

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        if self._client is not None:
            self._client.close()
            self._client = None
