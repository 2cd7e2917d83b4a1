"""SYNC.md's fault list against a real hub subprocess on 127.0.0.1 (SQLite), and the real client.

Each scenario ends with a fault-free sync and the three checks (``sync_checks``): exactly once or
refused with a reason, the workstation's copy equal to the hub's view, an empty outbox.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from agent_tui.hub.database import reading
from agent_tui.hub.pull import prune
from agent_tui.hub.schema import (
    audit_log,
    case_notes,
    cases,
    change_log,
    devices,
    tokens,
)
from tests.fault_proxy import FaultProxy
from tests.hub_process import raw_push, register_device
from tests.workstation import Workstation

pytestmark = pytest.mark.slow


@pytest.fixture
def proxy(hub):
    relay = FaultProxy(hub.port)
    yield relay
    relay.close()


def _work(station: Workstation) -> None:
    """A morning's worth: a case opened, noted, moved on."""
    case = station.open_case()
    station.cases.add_note(case, "客户来电:卡被ATM吞了", station.clock())
    station.cases.change_status(case, "in_progress", station.clock())


def test_a_day_of_work_reaches_the_hub_once(hub, agent):
    _work(agent)
    report = agent.sync(hub.url)
    assert report.ok and report.applied == agent.ledger.queued.__len__()
    assert agent.sync(hub.url).pushed == 0  # nothing left, nothing resent
    agent.assert_converged(hub.engine)
    with reading(hub.engine) as connection:
        assert connection.execute(select(cases.c.status).where(
            cases.c.created_by == "A1024")).scalar() == "in_progress"


def _notes_batch(case_id, count, start=1):
    return [{"seq": start + i, "mutation_id": f"m-{case_id[-6:]}-{start + i}",
             "name": "case.add_note",
             "args": {"id": f"note-{case_id[-6:]}-{start + i}", "case_id": case_id,
                      "text": f"note {start + i}", "at": "2026-11-23T10:00:00"}}
            for i in range(count)]


def test_the_same_batch_twice_concurrently_and_replayed_later_applies_once(hub, agent):
    case = agent.open_case()
    agent.sync(hub.url)
    device = register_device(hub, agent.token)
    batch = _notes_batch(case.id, 20)
    first = raw_push(hub, agent.token, device, batch).json()["results"]
    assert {answer["status"] for answer in first} == {"applied"}
    again = raw_push(hub, agent.token, device, batch).json()["results"]
    assert {(a["status"], a["result"]) for a in again} == {("duplicate", "applied")}
    # Concurrently: four pushes of a new batch at once.
    batch = _notes_batch(case.id, 20, start=21)
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(
        raw_push(hub, agent.token, device, batch))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(reply.status_code == 200 for reply in replies)
    # Replayed much later, after more work: still once.
    raw_push(hub, agent.token, device, _notes_batch(case.id, 5, start=41))
    # The same mutation twice in one batch: answered once, applied once.
    twice = _notes_batch(case.id, 1, start=46)
    answers = raw_push(hub, agent.token, device, twice + twice).json()["results"]
    assert [a["status"] for a in answers] == ["applied", "duplicate"]
    late = raw_push(hub, agent.token, device, batch).json()["results"]
    assert {a["status"] for a in late} == {"duplicate"}
    with reading(hub.engine) as connection:
        notes = connection.execute(select(case_notes.c.id).where(
            case_notes.c.case_id == case.id)).scalars().all()
        last = connection.execute(select(devices.c.last_mutation_seq).where(
            devices.c.device_id == device)).scalar()
    assert len(notes) == len(set(notes)) == 46 and last == 46
    agent.sync(hub.url)
    agent.assert_converged(hub.engine)


def test_a_reused_mutation_id_with_new_args_is_key_reuse(hub, agent):
    case = agent.open_case()
    agent.sync(hub.url)
    device = register_device(hub, agent.token)
    batch = _notes_batch(case.id, 1)
    raw_push(hub, agent.token, device, batch)
    batch[0]["args"]["text"] = "something else"
    answer = raw_push(hub, agent.token, device, batch).json()["results"][0]
    assert answer["status"] == "key_reuse"
    with reading(hub.engine) as connection:
        text = connection.execute(select(case_notes.c.text).where(
            case_notes.c.id == batch[0]["args"]["id"])).scalar()
    assert text == "note 1"


def test_a_gap_in_seq_is_409_with_the_expected_seq(hub, agent):
    case = agent.open_case()
    agent.sync(hub.url)
    device = register_device(hub, agent.token)
    reply = raw_push(hub, agent.token, device, _notes_batch(case.id, 2, start=3))
    assert reply.status_code == 409
    assert reply.json()["error"] == "out_of_order" and reply.json()["expected_seq"] == 1


def test_a_hub_that_lost_its_counter_gets_the_queue_without_a_double(hub, agent):
    _work(agent)
    agent.sync(hub.url)
    case = agent.cases.open_for(agent.customer())[0]
    agent.cases.add_note(case, "later note", agent.clock())
    with hub.engine.begin() as connection:  # as if the hub were restored from an old backup
        connection.execute(update(devices).values(last_mutation_seq=0))
    assert agent.sync(hub.url).ok
    agent.assert_converged(hub.engine)


def test_a_mutation_that_always_fails_is_rejected_after_five_tries(hub, agent):
    hub.restart(faults="fail:case.add_note")
    _work(agent)
    reports = [agent.sync(hub.url) for _ in range(5)]
    assert [report.error for report in reports[:4]] == ["hub_busy"] * 4
    assert reports[-1].ok and agent.waiting() == 0
    kept = agent.connection.execute(
        "SELECT name, status, reason FROM sync_conflicts").fetchall()
    assert kept == [("case.add_note", "rejected", "hub_error_repeated")]
    hub.restart()
    assert agent.sync(hub.url).ok
    agent.assert_converged(hub.engine)


@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_the_hub_killed_around_a_commit(hub, agent, point):
    hub.restart(faults=f"{point}:case.add_note:1")
    _work(agent)
    report = agent.sync(hub.url)
    assert report.error == "offline"
    assert hub.exited() == 70
    hub.start()
    assert agent.sync(hub.url).ok
    agent.assert_converged(hub.engine)
    with reading(hub.engine) as connection:
        assert len(connection.execute(select(case_notes.c.id)).all()) == 1


def test_the_hub_killed_mid_pull(hub, agent):
    _work(agent)
    agent.sync(hub.url)
    hub.restart(faults="mid_pull::1")
    with agent.connection:
        agent.connection.execute("DELETE FROM sync_state WHERE key = 'cursor'")
    assert agent.sync(hub.url).error == "offline"
    hub.start()
    assert agent.sync(hub.url).ok
    agent.assert_converged(hub.engine)


_CHILD = textwrap.dedent("""
    import os, sys
    from agent_tui.store import Store
    from agent_tui.sync import runner
    from agent_tui.sync.hub_client import HubClient

    where = sys.argv[3]
    class Dying(HubClient):
        def push(self, *args, **kwargs):
            reply = super().push(*args, **kwargs)
            if where == "push":
                os._exit(9)  # the hub has answered; the workstation dies before settling
            return reply

    if where == "pull":
        real = runner.apply_changes
        def apply_then_die(connection, changes, at, applied):
            real(connection, changes, at, applied)
            os._exit(9)  # inside the local transaction, before the cursor commits
        runner.apply_changes = apply_then_die
    store = Store.open(sys.argv[1])
    runner.run_sync(store.connection(), Dying(sys.argv[2], os.environ["TOKEN"]))
""")


@pytest.mark.parametrize("where", ["push", "pull"])
def test_the_workstation_killed_mid_push_and_mid_pull(hub, agent, where, tmp_path):
    _work(agent)
    agent.ledger.note(agent.connection)
    if where == "pull":
        agent.sync(hub.url)
        supervisor = hub.token("S0001", "supervisor", "T1")
        case = agent.cases.open_for(agent.customer())[0]
        device = register_device(hub, supervisor)
        raw_push(hub, supervisor, device, [{
            "seq": 1, "mutation_id": "sup-1", "name": "case.escalated", "args": {
                "case_id": case.id, "base_version": case.version, "changes": {
                    "status": "escalated", "escalated_to": "风控组",
                    "escalation_reason": "疑似诈骗"}, "detail": {}, "at": "2026-11-23T10:00:00"}}])
    child = subprocess.run([sys.executable, "-c", _CHILD, str(agent.path), hub.url, where],
                           env={**__import__("os").environ, "TOKEN": agent.token},
                           timeout=60, capture_output=True)
    assert child.returncode == 9, child.stderr.decode()[-2000:]
    assert agent.store.integrity_ok()
    if where == "push":
        assert agent.waiting() > 0  # answered at the hub, never settled here: resent next
    assert agent.sync(hub.url).ok
    agent.assert_converged(hub.engine)


@pytest.mark.parametrize("mode", ["drop", "reset", "truncate", "unavailable"])
def test_a_network_that_drops_resets_and_truncates(hub, agent, proxy, mode):
    _work(agent)
    proxy.mode = mode
    for _ in range(3):
        report = agent.sync(proxy.url)
        assert report.error == "offline"
        _work(agent)
    proxy.mode = "pass"
    assert agent.sync(proxy.url).ok
    agent.assert_converged(hub.engine)


def test_truncation_after_the_hub_applied_is_resent_as_duplicates(hub, agent, proxy):
    _work(agent)
    proxy.mode, proxy.cut = "truncate", 200  # the headers arrive, the answer is cut off
    assert agent.sync(proxy.url).error == "offline"
    proxy.mode = "pass"
    report = agent.sync(proxy.url)
    assert report.ok and report.duplicates == len(agent.ledger.queued)
    agent.assert_converged(hub.engine)


@pytest.mark.parametrize("days", [2, -2])
def test_a_workstation_clock_two_days_off(hub, tmp_path, days):
    skewed = Workstation(tmp_path / "skew", "A1031", hub.token("A1031"),
                         clock=lambda: datetime.now() + timedelta(days=days))
    _work(skewed)
    case_id = skewed.connection.execute(
        "SELECT id FROM cases WHERE created_by = 'A1031'").fetchone()[0]
    assert skewed.sync(hub.url).ok
    skewed.assert_converged(hub.engine)
    with reading(hub.engine) as connection:
        opened, due = connection.execute(select(cases.c.opened_at, cases.c.due_at).where(
            cases.c.id == case_id)).first()
        audited = connection.execute(select(audit_log.c.at).where(
            audit_log.c.agent_id == "A1031")).scalars().all()
    now = datetime.now()
    for stamp in (opened, *audited):
        assert abs(datetime.fromisoformat(stamp) - now) < timedelta(minutes=5)
    assert datetime.fromisoformat(due) > now  # the SLA clock was not started two days off
    skewed.close()


def test_a_token_expired_while_offline_keeps_the_queue(hub, agent):
    _work(agent)
    with hub.engine.begin() as connection:
        connection.execute(update(tokens).values(expires_at="2000-01-01T00:00:00"))
    report = agent.sync(hub.url)
    assert report.error == "token_expired" and agent.waiting() == len(agent.ledger.queued)
    fresh = hub.token("A1024")
    assert agent.sync(hub.url, token=fresh).ok
    agent.assert_converged(hub.engine)


def test_supervisor_escalates_while_the_agent_offline_resolves_and_adds_notes(hub, agent):
    case = agent.open_case()
    assert agent.sync(hub.url).ok
    case = agent.cases.get(case.id)
    supervisor = hub.token("S0001", "supervisor", "T1")
    device = register_device(hub, supervisor)
    answer = raw_push(hub, supervisor, device, [{
        "seq": 1, "mutation_id": "sup-1", "name": "case.escalated", "args": {
            "case_id": case.id, "base_version": case.version, "changes": {
                "status": "escalated", "escalated_to": "投诉组", "escalation_reason": "媒体"},
            "detail": {}, "at": "2026-11-23T10:00:00"}}]).json()["results"][0]
    assert answer["status"] == "applied"
    # Offline, the agent works the case on what it last saw.
    case = agent.cases.change_status(case, "in_progress", agent.clock())
    agent.cases.add_note(case, "已联系客户", agent.clock())
    case = agent.cases.change_status(case, "resolved", agent.clock())
    agent.cases.add_note(case, "客户确认已解决", agent.clock())
    report = agent.sync(hub.url)
    assert report.ok and report.refused == 2  # both status moves: the second built on the first
    local = agent.cases.get(case.id)
    assert (local.status, local.escalated_to) == ("escalated", "投诉组")
    kept = agent.connection.execute(
        "SELECT name, status, json_extract(current_json, '$.status') FROM sync_conflicts "
        "ORDER BY seq").fetchall()
    assert kept == [("case.status", "conflict", "escalated")] * 2
    with reading(hub.engine) as connection:
        notes = connection.execute(select(case_notes.c.text).where(
            case_notes.c.case_id == case.id)).scalars().all()
    assert sorted(notes) == sorted(["已联系客户", "客户确认已解决"])
    agent.assert_converged(hub.engine)


def test_a_pruned_change_log_resets_without_a_loop(hub, agent):
    _work(agent)
    agent.sync(hub.url)
    with reading(hub.engine) as connection:
        connection.execute(select(change_log.c.seq)).all()
    for _ in range(3):  # more changes, then the old part of the log is dropped
        case = agent.cases.open_for(agent.customer())[0]
        agent.cases.add_note(case, "more", agent.clock())
        agent.sync(hub.url)
    with agent.connection:
        agent.connection.execute("UPDATE sync_state SET value = '1' WHERE key = 'cursor'")
    with reading(hub.engine) as connection:
        head = connection.execute(select(change_log.c.seq).order_by(
            change_log.c.seq.desc())).scalar()
    prune(hub.engine, head - 1)
    report = agent.sync(hub.url)
    assert report.ok and report.resets == 1
    assert agent.sync(hub.url).resets == 0
    agent.assert_converged(hub.engine)


def test_a_hub_with_a_small_body_limit_still_gets_the_whole_queue_once(hub, agent):
    """Batches are cut to the hub's limit (413: half as much, again), and a change too large to
    send alone is refused here, shown to the agent, and the queue goes on past it."""
    hub.restart("", "--max-body", str(64 * 1024))
    case = agent.open_case()
    for index in range(40):
        agent.cases.add_note(case, f"{index} " + "客户反映情况" * 800, agent.clock())
    agent.cases.add_note(case, "😀" * 19_000, agent.clock())  # ~76 KB alone
    agent.cases.add_note(case, "最后一条", agent.clock())
    report = agent.sync(hub.url)
    assert report.ok and agent.waiting() == 0, report
    kept = agent.connection.execute("SELECT name, status, reason FROM sync_conflicts").fetchall()
    assert kept == [("case.add_note", "rejected", "too_large")]
    with reading(hub.engine) as connection:
        texts = connection.execute(select(case_notes.c.text).where(
            case_notes.c.case_id == case.id)).scalars().all()
    assert len(texts) == 41 and "最后一条" in texts
    hub.restart()
    assert agent.sync(hub.url).ok
