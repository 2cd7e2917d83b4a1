"""The hub on a real PostgreSQL cluster: the same sync, a database restart, concurrent batches
under row locks, and the cursor regression in which a plain sequence cursor loses a row."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import insert, select, text

from agent_tui.hub.auth import Principal
from agent_tui.hub.database import connect, reading
from agent_tui.hub.pull import read_feed
from agent_tui.hub.schema import case_notes, change_log
from tests.functional.test_hub_migrations import upgrade_from_v3, upgrade_to_kb_words
from tests.hub_process import HubProcess, register_device
from tests.postgres_cluster import PostgresCluster, unavailable_reason

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

_REASON = unavailable_reason()
if _REASON:
    print(f"\n!!! SKIPPING the PostgreSQL hub tests: {_REASON}")
    pytestmark.append(pytest.mark.skip(reason=_REASON))


@pytest.fixture(scope="module")
def cluster():
    running = PostgresCluster()
    yield running
    running.close()


@pytest.fixture
def hub(cluster, tmp_path):
    """The hub on its own PostgreSQL database (``agent`` comes from conftest, on this hub)."""
    process = HubProcess(cluster.new_database(), tmp_path)
    process.seed()
    process.start()
    yield process
    process.close()


def _work(station):
    case = station.open_case()
    station.cases.add_note(case, "客户来电", station.clock())
    station.cases.change_status(case, "in_progress", station.clock())
    return case


def test_sync_through_a_postgres_hub(hub, agent):
    _work(agent)
    assert agent.sync(hub.url).ok
    assert agent.sync(hub.url).pushed == 0
    agent.assert_converged(hub.engine)


def test_postgres_restarted_between_and_during_syncs(hub, agent, cluster):
    _work(agent)
    assert agent.sync(hub.url).ok
    _work(agent)
    cluster.stop()
    try:
        report = agent.sync(hub.url)
        assert report.error == "offline" and agent.waiting() > 0  # a 503: kept, tried later
    finally:
        cluster.start()
    hub.engine.dispose()  # the test's own connections died with the server too
    assert agent.sync(hub.url).ok
    agent.assert_converged(hub.engine)


def test_the_same_batch_pushed_concurrently_applies_once(hub, agent):
    case = _work(agent)
    agent.sync(hub.url)
    headers = {"Authorization": f"Bearer {agent.token}"}
    device = httpx.post(f"{hub.url}/v1/devices", headers=headers, json={"first_seq": 1},
                        timeout=10).json()["device_id"]
    batch = [{"seq": i, "mutation_id": f"pg-{i}", "name": "case.add_note", "args": {
        "id": f"pg-note-{i}", "case_id": case.id, "text": f"note {i}",
        "at": "2026-11-23T10:00:00"}} for i in range(1, 31)]
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(httpx.post(
        f"{hub.url}/v1/sync/push", headers=headers,
        json={"device_id": device, "mutations": batch}, timeout=60))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert [reply.status_code for reply in replies] == [200] * 4
    statuses = [answer["status"] for reply in replies for answer in reply.json()["results"]]
    assert statuses.count("applied") == 30
    with reading(hub.engine) as connection:
        notes = connection.execute(select(case_notes.c.id).where(
            case_notes.c.id.like("pg-note-%"))).scalars().all()
    assert len(notes) == 30


def _change(seq_label: str) -> dict:
    return {"audience": "agent:A1", "entity": "case", "entity_id": seq_label, "version": 1,
            "op": "upsert", "data": "{}", "at": "2026-11-23T10:00:00"}


def test_a_naive_sequence_cursor_loses_a_row_and_the_txid_cursor_does_not(cluster):
    engine = connect(cluster.new_database())
    principal = Principal("A1", "agent", "")
    with engine.begin() as connection:
        connection.execute(insert(change_log), [_change("before")])
    with engine.connect() as reader:
        start_naive = reader.execute(select(change_log.c.seq)).scalar()
        _, start_cursor, _ = read_feed(reader, principal.audiences, "0.0", 100)
        reader.rollback()
    slow = engine.connect()
    slow_transaction = slow.begin()
    slow.execute(insert(change_log), [_change("slow")])  # takes the lower seq, commits last
    with engine.begin() as fast:
        fast.execute(insert(change_log), [_change("fast")])
    with engine.connect() as reader:
        naive = reader.execute(select(change_log.c.entity_id, change_log.c.seq).where(
            change_log.c.seq > start_naive).order_by(change_log.c.seq)).all()
        seen, cursor, _ = read_feed(reader, principal.audiences, start_cursor, 100)
        reader.rollback()
    naive_cursor = naive[-1].seq
    assert [row.entity_id for row in naive] == ["fast"]
    assert seen == []  # the fast row waits until the slow transaction is settled
    slow_transaction.commit()
    slow.close()
    with engine.connect() as reader:
        naive_after = reader.execute(select(change_log.c.entity_id).where(
            change_log.c.seq > naive_cursor)).scalars().all()
        seen, cursor, _ = read_feed(reader, principal.audiences, cursor, 100)
        reader.execute(text("SELECT 1"))
    assert naive_after == []  # the naive cursor stepped over "slow": lost
    assert [change.id for change in seen] == ["slow", "fast"]
    engine.dispose()


def test_hub_killed_after_commit_on_postgres(hub, agent):
    hub.restart(faults="after_commit:case.add_note:1")
    _work(agent)
    assert agent.sync(hub.url).error == "offline"
    assert hub.exited() == 70
    hub.start()
    assert agent.sync(hub.url).ok
    agent.assert_converged(hub.engine)


def test_two_hub_processes_serve_one_database(hub, agent, tmp_path):
    second = HubProcess(hub.db_url, tmp_path / "second")
    second.start()
    try:
        _work(agent)
        assert agent.sync(second.url).ok
        _work(agent)
        assert agent.sync(hub.url).ok
        agent.assert_converged(hub.engine)
    finally:
        second.close()


def test_migration_4_on_postgres(cluster):
    upgrade_from_v3(cluster.new_database())


def test_migration_12_on_postgres(cluster):
    upgrade_to_kb_words(cluster.new_database())


@pytest.mark.parametrize("cursor", ["18446744073709551616.0", "1.9223372036854775808",
                                    "99999999999999999999999.1", "-1.0", "s:1e5.0:x"])
def test_a_cursor_beyond_xid8_or_bigint_is_400_not_a_database_error(hub, cursor):
    token = hub.token("A1024")
    reply = httpx.post(f"{hub.url}/v1/sync/pull", headers={"Authorization": f"Bearer {token}"},
                       json={"device_id": register_device(hub, token), "cursor": cursor},
                       timeout=10)
    assert (reply.status_code, reply.json()["error"]) == (400, "bad_cursor")


@pytest.mark.parametrize("query", ["q=%00zhang", "q=zh%00"])
def test_a_nul_in_a_query_is_400_not_a_database_error(hub, query):
    reply = httpx.get(f"{hub.url}/v1/customers?{query}", timeout=10,
                      headers={"Authorization": f"Bearer {hub.token('A1024')}"})
    assert (reply.status_code, reply.json()["error"]) == (400, "bad_text")


def test_a_64_character_mutation_id_is_stored_on_postgres(hub):
    token = hub.token("A1024")
    reply = httpx.post(f"{hub.url}/v1/sync/push", headers={"Authorization": f"Bearer {token}"},
                       timeout=10, json={"device_id": register_device(hub, token), "mutations": [{
                           "seq": 1, "mutation_id": "m" * 64, "name": "audit.append",
                           "args": {"id": "audit-long", "action": "test"}}]})
    assert reply.status_code == 200 and reply.json()["results"][0]["status"] == "applied"
