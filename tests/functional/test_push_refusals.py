"""A push batch with refusals in it: refused mutations are answered in place, in one pass (not one
attempt per refusal), and a handler that wrote before refusing still leaves nothing behind.
In-process, against the hub's own push on a SQLite file; attempts are counted, never timed."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, func, select

from agent_tui.domain.sla import SlaPolicy
from agent_tui.hub import push
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import connect, reading
from agent_tui.hub.handlers import HANDLERS, MutationKind
from agent_tui.hub.mutations import Rejected, insert_later
from agent_tui.hub.schema import audit_log, change_log, devices, mutation_results
from agent_tui.hub.seed import seed_hub
from data.generator import SeedPlan
from tests.hub_process import AS_OF

AGENT = Principal("A1024", "agent", "T1")


@pytest.fixture
def engine(tmp_path):
    hub = connect(f"sqlite:///{tmp_path / 'hub.db'}")
    seed_hub(hub, SeedPlan(5, 1, AS_OF))
    with hub.begin() as connection:
        connection.execute(devices.insert().values(
            device_id="D1", agent_id="A1024", registered_at="2026-11-23T09:00:00"))
    yield hub
    hub.dispose()


def _audit(seq: int) -> push.PushItem:
    return push.PushItem(seq, f"m-{seq}", "audit.append", {
        "id": f"audit-{seq}", "action": "test", "at": "2026-11-23T10:00:00"})


def _note_on_nothing(seq: int) -> push.PushItem:
    return push.PushItem(seq, f"m-{seq}", "case.add_note", {
        "id": f"note-{seq}", "case_id": "no-such-case", "text": "x"})


def _push(engine, items):
    return push.push(engine, AGENT, "D1", items, None, SlaPolicy(), datetime.now)


def _count(engine, table, *where) -> int:
    with reading(engine) as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)
                                  ).scalar()


def test_a_thousand_refusals_are_answered_in_one_attempt(engine):
    attempts = []
    event.listen(engine, "begin", lambda connection: attempts.append(1))
    items = [_audit(1)] + [_note_on_nothing(seq) for seq in range(2, 1001)] + [_audit(1001)]
    reply = _push(engine, items)
    assert [answer.status for answer in reply.results] == \
        ["applied"] + ["rejected"] * 999 + ["applied"]
    assert {answer.reason for answer in reply.results[1:-1]} == {"unknown_case"}
    assert reply.last_mutation_seq == 1001
    # The batch's transaction and the read of the device's counter: no attempt per refusal.
    assert len(attempts) <= 2, f"{len(attempts)} transactions for one batch"
    assert _count(engine, mutation_results) == 1001
    assert _count(engine, audit_log) == 2


def test_a_handler_that_refuses_after_writing_leaves_nothing_behind(engine, monkeypatch):
    def half_done(context, args):
        insert_later(context.connection, audit_log, {
            "id": "half", "at": "2026-11-23T10:00:00", "agent_id": "A1024", "action": "half",
            "detail": "", "received_at": "2026-11-23T10:00:00"})
        raise Rejected("bad_field")

    monkeypatch.setitem(HANDLERS, "test.half_done", MutationKind(half_done))
    items = [_audit(1), push.PushItem(2, "m-2", "test.half_done", {}), _audit(3)]
    reply = _push(engine, items)
    assert [(a.status, a.reason) for a in reply.results] == [
        ("applied", ""), ("rejected", "bad_field"), ("applied", "")]
    assert _count(engine, audit_log, audit_log.c.id == "half") == 0
    assert _count(engine, audit_log) == 2 and _count(engine, mutation_results) == 3


def test_refused_mutations_write_no_change_rows(engine):
    reply = _push(engine, [_note_on_nothing(1), _audit(2), _note_on_nothing(3)])
    assert [a.status for a in reply.results] == ["rejected", "applied", "rejected"]
    assert _count(engine, change_log) == 0  # an audit row is not pulled; a refusal writes none
    again = _push(engine, [_note_on_nothing(1), _audit(2), _note_on_nothing(3)])
    assert [(a.status, a.result) for a in again.results] == [
        ("duplicate", "rejected"), ("duplicate", "applied"), ("duplicate", "rejected")]


def test_an_unknown_mutation_is_refused_and_the_device_moves_on(engine):
    reply = _push(engine, [push.PushItem(1, "m-1", "case.explode", {}), _audit(2)])
    assert [(a.status, a.reason) for a in reply.results] == [
        ("rejected", "unknown_mutation"), ("applied", "")]
    assert reply.last_mutation_seq == 2
