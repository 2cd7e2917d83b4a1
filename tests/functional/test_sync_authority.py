"""The hub's authority over what workstations send: roles decide who may reassign, the token
decides who did something, and a conflict carries the hub's state as JSON, answered again on a
duplicate. Against a real hub subprocess, like the fault tests."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from agent_tui.domain.sla import SlaPolicy
from agent_tui.hub.database import reading
from agent_tui.hub.schema import audit_log, cases, mutation_results
from agent_tui.store.cases import CaseStore
from tests.hub_process import raw_push, register_device

pytestmark = pytest.mark.slow


def test_an_agent_cannot_reassign_and_a_supervisor_can(hub, agent):
    case = agent.open_case()
    agent.sync(hub.url)
    case = agent.cases.get(case.id)
    mutation = {"seq": 1, "mutation_id": "r-1", "name": "case.reassign", "args": {
        "case_id": case.id, "base_version": case.version, "assigned_to": "A2000"}}
    refused = raw_push(hub, agent.token, register_device(hub, agent.token), [mutation]).json()
    assert refused["results"][0]["status"] == "rejected"
    assert refused["results"][0]["reason"] == "supervisor_only"
    supervisor = hub.token("S0001", "supervisor", "T1")
    reused = raw_push(hub, supervisor, register_device(hub, supervisor), [mutation]).json()
    assert reused["results"][0]["status"] == "key_reuse"  # another agent's mutation id
    applied = raw_push(hub, supervisor, register_device(hub, supervisor),
                        [{**mutation, "mutation_id": "r-2"}]).json()
    assert applied["results"][0]["status"] == "applied"
    report = agent.sync(hub.url)  # the agent learns it is no longer its case
    assert report.ok and case.id in report.touched.cases
    assert agent.cases.get(case.id).assigned_to == "A2000"
    with reading(hub.engine) as connection:
        stored = connection.execute(select(mutation_results.c.reason).where(
            mutation_results.c.mutation_id.in_(("r-1", "r-2")))).scalars().all()
    assert sorted(stored) == ["", "supervisor_only"]


def test_an_agent_id_in_the_arguments_is_not_believed(hub, agent):
    agent.open_case()
    with agent.connection:
        agent.connection.execute(
            "UPDATE outbox SET args_json = json_set(args_json, '$.agent_id', 'A9999') "
            "WHERE name = 'audit.append'")
    agent.sync(hub.url)
    with reading(hub.engine) as connection:
        who = set(connection.execute(select(audit_log.c.agent_id)).scalars())
    assert who == {"A1024"}


def test_the_conflict_payload_is_json(hub, agent):
    """Stored answers keep the hub's current state as JSON, answered again on a duplicate."""
    case = agent.open_case()
    agent.sync(hub.url)
    stale = CaseStore(agent.connection, SlaPolicy(), "A1024", "1024")
    case = stale.get(case.id)
    with hub.engine.begin() as connection:
        connection.execute(update(cases).where(cases.c.id == case.id).values(version=5))
    stale.change_status(case, "in_progress", agent.clock())
    agent.sync(hub.url)
    current = agent.connection.execute("SELECT current_json FROM sync_conflicts").fetchone()[0]
    assert json.loads(current)["version"] == 5


def test_a_callback_attempt_reaches_the_hub_and_the_callback_stays_open(hub, agent):
    from datetime import datetime, timedelta

    from agent_tui.hub.schema import callback_attempts, callbacks
    from agent_tui.store import callbacks as local_callbacks

    now = datetime.now()
    callback = local_callbacks.schedule(agent.connection, agent_id="A1024",
                                        customer_id=agent.customer(), due=now + timedelta(hours=1),
                                        reason="回访退款", at=now)
    local_callbacks.attempt(agent.connection, callback.id, agent_id="A1024",
                            outcome="caller_hung_up", at=now, call_id="call-1")
    report = agent.sync(hub.url)
    assert report.ok and report.refused == 0
    with reading(hub.engine) as connection:
        status = connection.execute(select(callbacks.c.status).where(
            callbacks.c.id == callback.id)).scalar()
        tried = connection.execute(select(callback_attempts.c.call_id,
                                          callback_attempts.c.outcome,
                                          callback_attempts.c.agent_id)).all()
    assert status == "scheduled"
    assert [tuple(row) for row in tried] == [("call-1", "caller_hung_up", "A1024")]


def test_a_hub_database_of_schema_2_gets_the_callback_attempts(tmp_path):
    from sqlalchemy import inspect, text

    from agent_tui.hub.database import LATEST, connect, migrate, schema_version

    url = f"sqlite:///{tmp_path / 'old-hub.db'}"
    engine = connect(url)
    with engine.begin() as connection:  # as a hub of the first schema left it
        connection.execute(text("DROP TABLE callback_attempts"))
        connection.execute(text("UPDATE hub_meta SET value = '2' WHERE key = 'schema_version'"))
    assert migrate(engine) == LATEST
    with engine.connect() as connection:
        assert schema_version(connection) == LATEST
    assert "callback_attempts" in inspect(engine).get_table_names()
    engine.dispose()
