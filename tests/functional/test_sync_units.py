"""The sync pieces that need no hub: the timer's jitter and backoff, redo and drop of a
conflict, the client's reading of garbage answers, and ``agent-tui sync`` without a hub."""

from __future__ import annotations

import random

import httpx
import msgspec
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from agent_tui.cli import main
from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import Store, outbox
from agent_tui.store.cases import CaseDraft, CaseStore
from agent_tui.store.database import transaction
from agent_tui.sync.conflicts import CannotRedo, drop, open_conflicts, redo
from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable
from agent_tui.sync.schedule import BACKOFF_CEILING, next_delay
from tests.conftest import FROZEN_NOW


@given(st.floats(1, 3600), st.integers(0, 50), st.integers(0, 2**32))
def test_the_next_sync_is_jittered_and_backs_off_to_a_ceiling(interval, failures, seed):
    delay = next_delay(interval, failures, random.Random(seed))
    if failures == 0:
        assert interval * 0.5 <= delay <= interval * 1.5
    else:
        assert 2.5 <= delay <= BACKOFF_CEILING
        assert delay <= next_delay(interval, failures + 1, random.Random(seed)) * 2


def test_ten_second_interval_means_five_to_fifteen():
    delays = [next_delay(10, 0, random.Random(seed)) for seed in range(500)]
    assert 5 <= min(delays) < 6 and 14 < max(delays) <= 15


def _conflict(connection, cases, case, wanted: str, current_status: str):
    """A status change the hub answered with a conflict: the case is now as the hub says."""
    case = cases.change_status(case, wanted, FROZEN_NOW)
    [mutation] = [m for m in outbox.pending(connection) if m.name == "case.status"][-1:]
    with transaction(connection):
        connection.execute("DELETE FROM outbox")
        connection.execute(
            "INSERT INTO sync_conflicts (mutation_id, seq, name, args_json, created_at, status, "
            "reason, current_json, received_at) VALUES (?, ?, ?, ?, ?, 'conflict', 'stale', ?, ?)",
            (mutation.mutation_id, mutation.seq, mutation.name,
             msgspec.json.encode(mutation.args).decode(), mutation.created_at,
             msgspec.json.encode({"status": current_status}).decode(), "2026-11-23T10:00:00"))
        connection.execute("UPDATE cases SET status = ?, version = 7 WHERE id = ?",
                           (current_status, case.id))


@pytest.fixture
def desk(writable_store):
    store = Store.open(writable_store)
    connection = store.connection()
    cases = CaseStore(connection, SlaPolicy(), "A1024", "1024")
    customer = connection.execute("SELECT id FROM customers LIMIT 1").fetchone()[0]
    case = cases.open(CaseDraft(customer_id=customer, title="挂失"), FROZEN_NOW)
    yield connection, cases, case
    store.close()


def test_redo_makes_the_change_again_on_the_hubs_version(desk):
    connection, cases, case = desk
    _conflict(connection, cases, case, "in_progress", "escalated")
    [conflict] = open_conflicts(connection)
    redo(connection, cases, conflict.id, FROZEN_NOW)
    sent = [m for m in outbox.pending(connection) if m.name == "case.status"]
    assert sent[-1].args["base_version"] == 7 and sent[-1].args["changes"]["status"] == \
        "in_progress"
    assert open_conflicts(connection) == []


def test_redo_that_no_longer_fits_says_why_and_keeps_the_conflict(desk):
    connection, cases, case = desk
    _conflict(connection, cases, case, "in_progress", "in_progress")
    [conflict] = open_conflicts(connection)
    with pytest.raises(CannotRedo) as refused:
        redo(connection, cases, conflict.id, FROZEN_NOW)
    assert refused.value.reason == "case.refused.already"
    assert len(open_conflicts(connection)) == 1
    drop(connection, conflict.id, "A1024", FROZEN_NOW)
    assert open_conflicts(connection) == []
    assert connection.execute(
        "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0] == \
        "sync.conflict_dropped"


@pytest.mark.parametrize("answer", [
    httpx.Response(200, content=b"<html>proxy login</html>"),
    httpx.Response(200, content=b'{"results": [{"mutation_id": 1}'),
    httpx.Response(502, content=b"bad gateway"),
    httpx.Response(200, json={"results": "not a list", "last_mutation_seq": 0}),
])
def test_a_hub_that_answers_garbage_is_unreachable_not_a_crash(answer):
    client = HubClient("http://hub", "t", transport=httpx.MockTransport(lambda _r: answer))
    with pytest.raises(HubUnreachable):
        client.push("d", [], FROZEN_NOW)


def test_a_refused_token_is_told_apart():
    reply = httpx.Response(401, json={"error": "token_expired"})
    client = HubClient("http://hub", "t", transport=httpx.MockTransport(lambda _r: reply))
    with pytest.raises(HubRefused) as refused:
        client.pull("d", "", 10)
    assert refused.value.code == "token_expired"


def test_sync_without_a_hub_says_how_to_set_one(tmp_path):
    result = CliRunner().invoke(main, ["sync", "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "[hub] url and token" in result.output


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "http://[::1", "not a url"])
def test_sync_with_an_unreachable_hub_says_why_in_one_line(writable_store, url):
    result = CliRunner().invoke(main, ["sync", "--store", str(writable_store), "--hub", url,
                                       "--token", "atk_x"])
    assert result.exit_code == 1
    [line] = result.output.splitlines()  # the reason, not a report of nothing moved
    assert "cannot be reached" in line and url in line and "Nothing was lost" in line
    assert "Traceback" not in result.output
