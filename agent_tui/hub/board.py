"""The team board: what a team lead sees of their team now, read from what the hub holds.

An agent's state is derived, not reported (docs/kpi.md):

- in a call: their newest call is open (no end) and started less than ``LIVE_CALL`` ago (an
  older open call is a lost one, not a live one); in wrap-up when that call has entered the
  closing stage. A workstation sends its call's record with each sync (5-15 s), so the board is
  that far behind the agent at most.
- idle: heard from within ``SEEN_WITHIN`` (their newest push or call event), no open call.
- offline: not heard from since; ``last_seen`` says when they were.

The roster is the team's members (``hub team add``) and everyone holding a token of the team.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, func, select

from agent_tui.domain.cases import OPEN_STATUSES
from agent_tui.domain.sla import ClockState, SlaPolicy, read_clock
from agent_tui.domain.times import iso
from agent_tui.hub.schema import (
    call_events,
    callbacks,
    calls,
    cases,
    devices,
    mutation_results,
    team_members,
    teams,
    tokens,
)
from agent_tui.sync.protocol import BoardAgent, BoardItem, BoardRefusal, TeamBoard

LIVE_CALL = timedelta(hours=4)
SEEN_WITHIN = timedelta(minutes=5)
REFUSALS_WITHIN = timedelta(days=1)
_RISK = {ClockState.BREACHED: "breached", ClockState.WARNING: "warn",
         ClockState.PAUSED: "paused"}


def _roster(connection: Connection, team: str) -> dict[str, str]:
    members = dict(connection.execute(select(team_members.c.agent_id, team_members.c.name).where(
        team_members.c.team_id == team)).all())
    for (agent,) in connection.execute(select(tokens.c.agent_id).where(
            tokens.c.team == team, tokens.c.role == "agent").distinct()):
        members.setdefault(agent, agent)
    return members


def _last_pushes(connection: Connection, agents: list[str]) -> dict[str, str]:
    return dict(connection.execute(select(devices.c.agent_id, func.max(
        mutation_results.c.received_at)).join(
        mutation_results, mutation_results.c.device_id == devices.c.device_id).where(
        devices.c.agent_id.in_(agents)).group_by(devices.c.agent_id)).all())


def _open_calls(connection: Connection, agents: list[str], now: datetime
                ) -> dict[str, tuple[str, str]]:
    """agent -> (their open call's start, its stage now)."""
    found = connection.execute(select(calls.c.id, calls.c.agent_id, calls.c.started_at).where(
        calls.c.agent_id.in_(agents), calls.c.ended_at.is_(None),
        calls.c.started_at >= iso(now - LIVE_CALL)).order_by(calls.c.started_at)).all()
    newest = {row.agent_id: row for row in found}
    stages = {}
    for row in newest.values():
        stages[row.agent_id] = connection.execute(select(call_events.c.stage).where(
            call_events.c.call_id == row.id, call_events.c.kind == "stage_entered").order_by(
            call_events.c.position.desc()).limit(1)).scalar() or ""
    return {agent: (row.started_at, stages[agent]) for agent, row in newest.items()}


def _last_calls(connection: Connection, agents: list[str]) -> dict[str, str]:
    return dict(connection.execute(select(calls.c.agent_id, func.max(func.coalesce(
        calls.c.ended_at, calls.c.started_at))).where(calls.c.agent_id.in_(agents)).group_by(
        calls.c.agent_id)).all())


def _case_items(connection: Connection, team: str, policy: SlaPolicy, now: datetime
                ) -> list[BoardItem]:
    items = []
    for row in connection.execute(select(cases).where(
            cases.c.team == team, cases.c.status.in_(OPEN_STATUSES)).order_by(cases.c.due_at)):
        target = policy.target(row.category, row.priority)
        reading = read_clock(
            policy, opened_at=datetime.fromisoformat(row.opened_at),
            resolution=target.resolution, now=now, paused_seconds=row.paused_seconds,
            paused_since=datetime.fromisoformat(row.paused_since) if row.paused_since else None,
            breached_at=datetime.fromisoformat(row.breached_at) if row.breached_at else None)
        items.append(BoardItem("case", row.id, f"{row.number} {row.title}", row.assigned_to,
                               row.due_at, _RISK.get(reading.state, "ok"),
                               round(reading.used, 3), row.version))
    return items


def _callback_items(connection: Connection, agents: list[str], now: datetime
                    ) -> list[BoardItem]:
    items = []
    for row in connection.execute(select(callbacks).where(
            callbacks.c.agent_id.in_(agents), callbacks.c.status == "scheduled").order_by(
            callbacks.c.due_at)):
        made, due = datetime.fromisoformat(row.created_at), datetime.fromisoformat(row.due_at)
        whole = (due - made).total_seconds()
        used = (now - made).total_seconds() / whole if whole > 0 else 1.0
        risk = "breached" if now >= due else "warn" if used >= 0.8 else "ok"
        items.append(BoardItem("callback", row.id, row.reason, row.agent_id, row.due_at, risk,
                               round(used, 3), row.version))
    return items


def _refusals(connection: Connection, agents: list[str], now: datetime) -> list[BoardRefusal]:
    found = connection.execute(select(
        devices.c.agent_id, mutation_results.c.name, mutation_results.c.status,
        mutation_results.c.reason, mutation_results.c.received_at).join(
        devices, devices.c.device_id == mutation_results.c.device_id).where(and_(
            devices.c.agent_id.in_(agents),
            mutation_results.c.status.in_(("rejected", "conflict")),
            mutation_results.c.received_at >= iso(now - REFUSALS_WITHIN))).order_by(
        mutation_results.c.received_at.desc()).limit(50))
    return [BoardRefusal(*row) for row in found]


def team_board(connection: Connection, team: str, policy: SlaPolicy, now: datetime
               ) -> TeamBoard:
    about = connection.execute(select(teams.c.name, teams.c.lead).where(
        teams.c.id == team)).first()
    roster = _roster(connection, team)
    agents = sorted(roster)
    pushes, open_calls = _last_pushes(connection, agents), _open_calls(connection, agents, now)
    last_calls = _last_calls(connection, agents)
    items = _case_items(connection, team, policy, now) + _callback_items(connection, agents, now)
    board_agents = []
    for agent in agents:
        seen = max(filter(None, (pushes.get(agent), last_calls.get(agent))), default=None)
        started, stage = open_calls.get(agent, (None, ""))
        if started:
            state = "wrap_up" if stage == "closing" else "in_call"
        elif seen and seen >= iso(now - SEEN_WITHIN):
            state = "idle"
        else:
            state = "offline"
        board_agents.append(BoardAgent(
            agent, roster[agent], state, started, seen,
            sum(1 for item in items if item.kind == "case" and item.agent_id == agent),
            sum(1 for item in items if item.kind == "callback" and item.agent_id == agent)))
    return TeamBoard(team, about.name if about else team, about.lead if about else "", iso(now),
                     board_agents, items, _refusals(connection, agents, now))
