"""The hub's routes for team leads and their agents: the team board (a supervisor's own team)
and the KPIs (an agent's own, a supervisor's team's). The figures are in ``board`` and ``kpi``;
this only speaks HTTP and checks who may read what."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from agent_tui.domain.kpi import KpiRow
from agent_tui.hub import wire
from agent_tui.hub.board import team_board
from agent_tui.hub.database import reading
from agent_tui.hub.http import ERRORS, Caller, HubError
from agent_tui.hub.http_guard import StrictRoute
from agent_tui.hub.kpi import KpiQuery, kpi_view
from agent_tui.sync.protocol import KpiPoint, KpiReply, TeamBoard

router = APIRouter(route_class=StrictRoute)
Day = Annotated[date | None, Query()]
AgentFilter = Annotated[str | None, Query(max_length=64)]
MOST_DAYS = 366


@router.get("/v1/team/board", responses={200: wire.content(TeamBoard), **ERRORS})
def board(caller: Caller, request: Request) -> Response:
    """The caller's team now: each agent's state, open cases and callbacks with their SLA
    risk, and the changes the hub refused them in the last day. A team's supervisor only."""
    if caller.role != "supervisor" or not caller.team:
        raise HubError(403, "supervisors_only", "the board is read by a team's supervisor")
    state = request.app.state
    with reading(state.engine) as connection:
        found = team_board(connection, caller.team, state.policy, state.clock())
    return wire.reply(found)


def _point(row: KpiRow) -> KpiPoint:
    return KpiPoint(row.who, row.starts.isoformat(), row.counts)


@router.get("/v1/kpi", responses={200: wire.content(KpiReply), **ERRORS})
def kpis(caller: Caller, request: Request, since: Annotated[Day, Query(alias="from")] = None,
         until: Annotated[Day, Query(alias="to")] = None, agent: AgentFilter = None
         ) -> Response:
    """KPIs over the days asked (the last 14 by default): an agent's own, or a supervisor's
    team's (per agent, or one agent's). A row per agent for the range, and a trend a day."""
    now = request.app.state.clock()
    last = until or now.date()
    first = since or last - timedelta(days=13)
    if first > last or (last - first).days >= MOST_DAYS:
        raise HubError(400, "bad_request", f"from..to: at most {MOST_DAYS} days, first first")
    if caller.role == "supervisor" and caller.team:
        query = KpiQuery(first, last, team=caller.team, agent=agent)
    elif caller.role == "agent" and agent in (None, caller.agent_id):
        query = KpiQuery(first, last, agent=caller.agent_id)
    else:
        raise HubError(403, "not_yours", "an agent reads their own figures")
    with reading(request.app.state.engine) as connection:
        rows, trend = kpi_view(connection, query, now)
    return wire.reply(KpiReply([_point(row) for row in rows], [_point(row) for row in trend]))
