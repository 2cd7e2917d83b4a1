"""The team board as the hub derives it: each agent's state from their calls and pushes, the
team's open cases and callbacks with their SLA risk, the refusals waiting; and through a real
hub process, for a supervisor's token."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from agent_tui.domain.sla import SlaPolicy
from agent_tui.domain.times import iso
from agent_tui.hub.board import team_board
from agent_tui.hub.database import connect, reading
from agent_tui.hub.schema import (
    call_events,
    callbacks,
    calls,
    cases,
    devices,
    mutation_results,
)
from agent_tui.hub.teams import add_member, save_team
from tests.hub_process import started_hub

NOW = datetime(2026, 11, 10, 12, 0)


def _ago(now: datetime, minutes: float) -> str:
    return iso(now - timedelta(minutes=minutes))


def load_team(engine, now: datetime = NOW) -> None:
    with engine.begin() as connection:
        save_team(connection, "T1", "Retail 1", "S1", now)
        for agent in ("A1", "A2", "A3", "A4"):
            add_member(connection, "T1", agent, f"Agent {agent}", now)
        for call_id, agent, started, stage in (("c1", "A1", 6, "closing"),
                                               ("c2", "A2", 2, "handling"),
                                               ("c0", "A4", 600, "handling")):  # lost, 10 h
            connection.execute(calls.insert().values(id=call_id, agent_id=agent,
                                                     started_at=_ago(now, started), team="T1"))
            for position, step in enumerate(("greeting", stage)):
                connection.execute(call_events.insert().values(
                    call_id=call_id, position=position, at=_ago(now, started), kind="stage_entered",
                    stage=step))
        connection.execute(devices.insert().values(device_id="D3", agent_id="A3",
                                                   registered_at=_ago(now, 600)))
        for number, (status, reason, minutes) in enumerate((("applied", "", 1),
                                                            ("conflict", "stale", 30))):
            connection.execute(mutation_results.insert().values(
                device_id="D3", mutation_id=f"m{number}", seq=number + 1, name="case.update",
                payload_hash="h", status=status, reason=reason, received_at=_ago(now, minutes)))
        # A consultation has 24 h: opened 20 h ago is 83 % used (amber); 30 h ago breached.
        for case_id, opened_hours in (("k1", 20), ("k2", 30), ("k3", 1)):
            opened = now - timedelta(hours=opened_hours)
            connection.execute(cases.insert().values(
                id=case_id, number=f"CS-{case_id}", customer_id="C1", category="consultation",
                priority="normal", status="in_progress", title="查询", opened_at=iso(opened),
                due_at=iso(opened + timedelta(hours=24)), assigned_to="A2", team="T1"))
        connection.execute(cases.insert().values(  # another team's: not on this board
            id="k9", number="CS-k9", customer_id="C1", category="consultation", status="new",
            opened_at=_ago(now, 60), due_at=_ago(now, -600), assigned_to="B1", team="T2"))
        connection.execute(callbacks.insert().values(
            id="b1", customer_id="C1", agent_id="A1", team="T1", due_at=_ago(now, 5),
            status="scheduled", created_at=_ago(now, 125), reason="回访"))


def test_states_risks_and_refusals_as_the_hub_derives_them(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'hub.db'}")
    load_team(engine)
    with reading(engine) as connection:
        board = team_board(connection, "T1", SlaPolicy(), NOW)
    states = {agent.agent_id: (agent.state, agent.since, agent.open_cases, agent.open_callbacks)
              for agent in board.agents}
    assert states == {"A1": ("wrap_up", _ago(NOW, 6), 0, 1), "A2": ("in_call", _ago(NOW, 2), 3, 0),
                      "A3": ("idle", None, 0, 0), "A4": ("offline", None, 0, 0)}
    assert {agent.agent_id: agent.last_seen for agent in board.agents}["A4"] == _ago(NOW, 600)
    risks = {item.id: item.risk for item in board.items}
    assert risks == {"k1": "warn", "k2": "breached", "k3": "ok", "b1": "breached"}
    assert [(refusal.agent_id, refusal.status, refusal.reason) for refusal in board.refusals] == [
        ("A3", "conflict", "stale")]
    assert (board.name, board.lead) == ("Retail 1", "S1")
    with reading(engine) as connection:
        empty = team_board(connection, "T9", SlaPolicy(), NOW)
    assert (empty.agents, empty.items, empty.refusals) == ([], [], [])


def test_a_supervisor_reads_their_team_board_from_the_hub(tmp_path):
    hub = started_hub(tmp_path)
    try:
        load_team(hub.engine, datetime.now().replace(microsecond=0))
        token = hub.token("S1", "supervisor", "T1")
        reply = httpx.get(f"{hub.url}/v1/team/board",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert [agent["state"] for agent in body["agents"]] == [
            "wrap_up", "in_call", "idle", "offline"]
        assert {item["id"] for item in body["items"]} == {"k1", "k2", "k3", "b1"}
    finally:
        hub.close()
