"""The App's actions for team leads and agents (issue 17), kept beside the App rather than in it:
ctrl+b opens the team board, ctrl+y the KPIs (an agent's own; a supervisor's team's). The hub
decides who reads what (its token's role); the screens say so when it refuses."""

from __future__ import annotations


class TeamActions:
    """Mixed into the App (first, so nothing of Textual's is shadowed: it defines only these)."""

    def action_team_board(self) -> None:
        from screens.team_board import TeamBoardScreen

        if not isinstance(self.screen, TeamBoardScreen):
            self.push_screen(TeamBoardScreen())

    def action_kpis(self) -> None:
        from screens.kpi_view import KpiScreen

        if not isinstance(self.screen, KpiScreen):
            self.push_screen(KpiScreen())
