"""The team controller: the App's part for team leads, QA staff and agents' own figures
(issue 17). ctrl+b opens the team board, ctrl+y the KPIs (an agent's own; a supervisor's team's).
It reads the hub through the session's identity client (from the screens' worker threads) and
queues what a lead changes from the board like every change, synced at once. The hub decides who
reads and changes what (its token's role); the screens say so when it refuses.

Screens reach it as ``AgentHost.team_desk`` (``screens.widgets.host.TeamDesk``): one attribute,
not a delegation per member on the App, so the App stays the wiring it is."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from agent_tui.store.team import queue_reassignment

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost
    from agent_tui.sync.protocol import BoardItem, KpiReply, TeamBoard


class TeamController:
    def __init__(self, app: AppHost) -> None:
        self.app = app

    # -- on the event loop ---------------------------------------------------------------------

    def open_board(self) -> None:
        from screens.team_board import TeamBoardScreen

        if not isinstance(self.app.screen, TeamBoardScreen):
            self.app.push_screen(TeamBoardScreen())

    def open_kpis(self) -> None:
        from screens.kpi_view import KpiScreen

        if not isinstance(self.app.screen, KpiScreen):
            self.app.push_screen(KpiScreen())

    def reassigned(self) -> None:
        """A reassignment is queued: send it now, so the agents' queues change at their next
        sync rather than at this workstation's."""
        self.app.action_sync_now()

    # -- from a worker thread ------------------------------------------------------------------

    def board(self) -> TeamBoard | None:
        """The caller's team now (None: no hub). HubRefused, HubUnreachable go to the screen."""
        client = self.app.identity_client()
        return None if client is None else client.team_board()

    def kpis(self, since: date, until: date) -> KpiReply | None:
        client = self.app.identity_client()
        return None if client is None else client.kpis(since, until)

    def queue_reassignment(self, connection: sqlite3.Connection, item: BoardItem,
                           agent_id: str) -> str:
        """Hand ``item`` (a case or a callback of the board) to ``agent_id``: audited here,
        queued for the hub on the version the board showed."""
        return queue_reassignment(connection, item.kind, item.id, agent_id, item.version,
                                  self.app.config.agent.id, self.app.now())
