"""The team controller: the App's part for team leads, QA staff and agents' own figures
(issue 17). ctrl+b opens the team board, ctrl+y the KPIs (an agent's own; a supervisor's team's), shift+F4
the agent's QA reviews (acknowledged or disputed there), shift+F8 a reviewer's week of calls to
review (each call's record, scored there, and two reviewers' calibration).
It reads the hub through the session's identity client (from the screens' worker threads) and
queues what a lead changes from the board like every change, synced at once. The hub decides who
reads and changes what (its token's role); the screens say so when it refuses.

Screens reach it as ``AgentHost.team_desk`` (``screens.widgets.host.TeamDesk``): one attribute,
not a delegation per member on the App, so the App stays the wiring it is."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from agent_tui.store import qa
from agent_tui.store.team import queue_reassignment

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost
    from agent_tui.domain.qa_review import Mark, QaReview
    from agent_tui.domain.rubric import Rubric
    from agent_tui.sync.protocol import (
        BoardItem,
        KpiReply,
        QaCalibration,
        QaCallRecord,
        QaSample,
        TeamBoard,
    )


class TeamController:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        self._rubric: Rubric | None = None

    # -- on the event loop ---------------------------------------------------------------------

    def open_board(self) -> None:
        from screens.team_board import TeamBoardScreen

        if not isinstance(self.app.screen, TeamBoardScreen):
            self.app.push_screen(TeamBoardScreen())

    def open_kpis(self) -> None:
        from screens.kpi_view import KpiScreen

        if not isinstance(self.app.screen, KpiScreen):
            self.app.push_screen(KpiScreen())

    def open_reviews(self) -> None:
        from screens.qa_reviews import QaReviewsScreen

        if not isinstance(self.app.screen, QaReviewsScreen):
            self.app.push_screen(QaReviewsScreen())

    def open_qa_sample(self) -> None:
        from screens.qa_sample import QaSampleScreen

        if not isinstance(self.app.screen, QaSampleScreen):
            self.app.push_screen(QaSampleScreen())

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

    def qa_sample(self) -> QaSample | None:
        """This week's calls of the caller's team to review (None: no hub)."""
        client = self.app.identity_client()
        return None if client is None else client.qa_sample()

    def qa_call(self, call_id: str) -> QaCallRecord | None:
        client = self.app.identity_client()
        return None if client is None else client.qa_call(call_id)

    def qa_calibration(self, call_id: str) -> QaCalibration | None:
        """Two reviewers' agreement on the call; None until the hub has it for the caller."""
        from agent_tui.sync.hub_errors import HubRefused

        client = self.app.identity_client()
        if client is None:
            return None
        try:
            return client.qa_calibration(call_id)
        except HubRefused as refused:
            if refused.code == "not_calibrated":
                return None
            raise

    def submit_review(self, call_id: str, marks: dict[str, Mark], calibration: bool
                      ) -> QaReview | None:
        """The reviewer's marks to the hub, which scores and keeps the review (HubRefused says
        what it refused)."""
        from agent_tui.domain.ids import new_id
        from agent_tui.sync.protocol import QaReviewRequest

        client = self.app.identity_client()
        if client is None:
            return None
        return client.qa_review(QaReviewRequest(new_id(), call_id, marks, calibration))

    def rubric(self) -> Rubric | None:
        """The QA rubric reviews are scored with (the library's qa.toml), for its items' names;
        None if it does not load (``scripts check`` says why)."""
        if self._rubric is None:
            from agent_tui.library.loader import QA_FILE
            from agent_tui.library.qa import read_rubric

            self._rubric, _problems = read_rubric(self.app.config.scripts_path() / QA_FILE)
        return self._rubric

    def my_reviews(self, connection: sqlite3.Connection) -> list[QaReview]:
        return qa.reviews(connection, self.app.config.agent.id)

    def answer_review(self, connection: sqlite3.Connection, review_id: str, status: str,
                      reason: str) -> QaReview:
        """Acknowledge or dispute (with ``reason``) a review of one's call: queued, audited."""
        return qa.answer(connection, review_id, status, reason, self.app.config.agent.id,
                         self.app.now())

    def queue_reassignment(self, connection: sqlite3.Connection, item: BoardItem,
                           agent_id: str) -> str:
        """Hand ``item`` (a case or a callback of the board) to ``agent_id``: audited here,
        queued for the hub on the version the board showed."""
        return queue_reassignment(connection, item.kind, item.id, agent_id, item.version,
                                  self.app.config.agent.id, self.app.now())
