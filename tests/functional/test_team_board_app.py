"""A team lead's workstation on a real hub: the board shows the team, changes when an agent's
call reaches the hub (the next reading, within seconds, waited on and not slept through), and F7
hands a case to another agent of the team: the hub applies it, on the version shown, and records
who moved it where."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent_tui.config import AgentSection, Config, HubSection, StoreSection, UISection
from agent_tui.hub.database import reading
from agent_tui.hub.schema import case_events, cases
from agent_tui.hub.teams import add_member, save_team
from screens.reassign import ReassignScreen
from screens.team_board import TeamBoardScreen
from tests.conftest import FROZEN_NOW
from tests.functional.test_sync_app import station  # noqa: F401 (a fixture)
from tests.hub_process import raw_push, register_device
from tests.screen import wait_for, wait_for_screen

pytestmark = pytest.mark.slow


def _lead(store, hub) -> Config:
    return Config(agent=AgentSection(id="S1001", name="周组长", staff_number="1001"),
                  store=StoreSection(path=str(store)),
                  ui=UISection(mouse=False, cursor_blink=False),
                  hub=HubSection(url=hub.url, token=hub.token("S1001", "supervisor", "T1"),
                                 interval_seconds=3600))


def _team_with_a_case(hub) -> None:
    with hub.engine.begin() as connection:
        save_team(connection, "T1", "Retail 1", "S1001", FROZEN_NOW)
        for agent in ("A1024", "A1025"):
            add_member(connection, "T1", agent, agent, FROZEN_NOW)
        connection.execute(cases.insert().values(
            id="case-1", number="CS-1", customer_id="C00000000001", category="consultation",
            priority="normal", status="in_progress", title="网银转账失败",
            opened_at="2026-11-23T09:00:00", due_at="2026-11-24T09:00:00",
            updated_at="2026-11-23T09:00:00", assigned_to="A1024", team="T1"))


def _state(board: TeamBoardScreen, agent_id: str) -> str | None:
    if board.board is None:
        return None
    return next(agent.state for agent in board.board.agents if agent.agent_id == agent_id)


async def test_the_board_follows_the_hub_and_hands_a_case_over(hub, station, make_app):  # noqa: F811
    _team_with_a_case(hub)
    app = make_app(station, config=_lead(station, hub))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press("ctrl+b")
        board = await wait_for_screen(pilot, TeamBoardScreen)
        await wait_for(pilot, lambda: _state(board, "A1024") == "offline")
        assert [item.id for item in board.board.items] == ["case-1"]

        token = hub.token("A1024")
        reply = raw_push(hub, token, register_device(hub, token), [{
            "seq": 1, "mutation_id": "call-1", "name": "call.record", "args": {
                "call_id": "CALL-1", "started_at": board.board.at, "first_event": 0,
                "events": [[board.board.at, "call_started", "greeting", "", {}],
                           [board.board.at, "stage_entered", "greeting", "", {}]]}}])
        assert reply.json()["results"][0]["status"] == "applied"
        await wait_for(pilot, lambda: _state(board, "A1024") == "in_call")

        await pilot.press("f7")
        dialog = await wait_for_screen(pilot, ReassignScreen)
        assert [agent for agent, _name in dialog.agents] == ["A1025"]
        await pilot.press("down", "enter")

        def moved() -> bool:
            with reading(hub.engine) as connection:
                return connection.execute(select(cases.c.assigned_to).where(
                    cases.c.id == "case-1")).scalar() == "A1025"

        await wait_for(pilot, moved, timeout=20)
        with reading(hub.engine) as connection:
            events = connection.execute(select(case_events.c.agent_id, case_events.c.kind,
                                               case_events.c.detail)).all()
        assert [(row.agent_id, row.kind) for row in events] == [("S1001", "reassigned")]
        assert '"to": "A1025"' in events[0].detail or '"to":"A1025"' in events[0].detail
