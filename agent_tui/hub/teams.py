"""Teams as data: a team, its lead, its members (``agent-tui hub team …``, the demo seed).

An agent is on one team at a time: adding them to another moves them. A token's team still says
what its holder may touch (hub/roles); the roster says whose figures and states a lead's board
and KPIs show."""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import Connection, delete, select, update

from agent_tui.domain.times import iso
from agent_tui.hub.schema import team_members, teams


class Team(msgspec.Struct, frozen=True):
    id: str
    name: str
    lead: str
    members: tuple[tuple[str, str], ...] = ()  # (agent id, name), by agent id


def save_team(connection: Connection, team_id: str, name: str, lead: str, now: datetime) -> None:
    """Create the team, or change its name and lead."""
    found = connection.execute(select(teams.c.id).where(teams.c.id == team_id)).scalar()
    if found is None:
        connection.execute(teams.insert().values(id=team_id, name=name, lead=lead,
                                                 created_at=iso(now)))
    else:
        connection.execute(update(teams).where(teams.c.id == team_id).values(name=name, lead=lead))


def add_member(connection: Connection, team_id: str, agent_id: str, name: str,
               now: datetime) -> bool:
    """Put the agent on the team (off any other); False if there is no such team."""
    if connection.execute(select(teams.c.id).where(teams.c.id == team_id)).scalar() is None:
        return False
    connection.execute(delete(team_members).where(team_members.c.agent_id == agent_id))
    connection.execute(team_members.insert().values(
        agent_id=agent_id, team_id=team_id, name=name, joined_at=iso(now)))
    return True


def remove_member(connection: Connection, agent_id: str) -> bool:
    return bool(connection.execute(delete(team_members).where(
        team_members.c.agent_id == agent_id)).rowcount)


def read_teams(connection: Connection, team_id: str | None = None) -> list[Team]:
    statement = select(teams).order_by(teams.c.id)
    if team_id is not None:
        statement = statement.where(teams.c.id == team_id)
    found = connection.execute(statement).all()
    members: dict[str, list[tuple[str, str]]] = {}
    query = select(team_members.c.team_id, team_members.c.agent_id, team_members.c.name)
    if team_id is not None:
        query = query.where(team_members.c.team_id == team_id)
    for row in connection.execute(query.order_by(team_members.c.agent_id)):
        members.setdefault(row.team_id, []).append((row.agent_id, row.name))
    return [Team(row.id, row.name, row.lead, tuple(members.get(row.id, ()))) for row in found]


def team_of(connection: Connection, agent_id: str) -> str | None:
    return connection.execute(select(team_members.c.team_id).where(
        team_members.c.agent_id == agent_id)).scalar()
