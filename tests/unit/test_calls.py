"""Calls in the store: the event record written as the call goes, once, append-only."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import pytest

from agent_tui.domain.callflow import CallFlow, EventKind
from agent_tui.store import Store
from agent_tui.store.calls import CallRecorder, Closing, as_flow_events, events
from tests.library_fixture import small_library

T0 = datetime(2026, 11, 23, 10, 0)


def _at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def connection(tmp_path) -> sqlite3.Connection:
    return Store.open(tmp_path / "store.db", create=True).connection()


def test_a_call_saved_as_it_goes_keeps_every_event_once(connection):
    flow = CallFlow(small_library(), T0, customer_id="C1")
    recorder = CallRecorder("call-1", "A1024")
    assert recorder.save(connection, flow) == 2  # started, entered greeting
    flow.tick("greeting.greet", _at(3))
    flow.advance(_at(4))
    assert recorder.save(connection, flow) == 2
    assert recorder.save(connection, flow) == 0  # nothing new, nothing written twice
    flow.tick("verification.ask", _at(5))
    flow.record_verification("passed", _at(6))
    flow.advance(_at(7))
    flow.choose_request_type("complaint", _at(8))
    flow.phrase_used("complaint.empathize.1", _at(9))
    flow.forbidden_caught("dont_know", "不知道\x1b[2J", _at(10))
    flow.advance(_at(11), override_reason="customer had to go")
    flow.tick("closing.summarise", _at(12))
    flow.tick("closing.thank", _at(13))
    assert flow.end(_at(20)) is None
    closing = Closing(csat=4, nps=9, first_contact_resolution=True, wrap_up="COMPL")
    recorder.save(connection, flow, closing, notes="客户投诉ATM吞卡\x1b[2J")

    stored = events(connection, "call-1")
    assert as_flow_events(stored) == [
        event if event.kind is not EventKind.FORBIDDEN_CAUGHT else type(event)(
            event.at, event.kind, event.stage, event.step,
            {"rule": "dont_know", "word": "不知道"})
        for event in flow.events
    ]
    row = connection.execute(
        "SELECT customer_id, ended_at, request_type, verification, phrases_used, "
        "forbidden_caught, overrides, csat, nps, first_contact_resolution, wrap_up, notes "
        "FROM calls"
    ).fetchone()
    assert row == ("C1", "2026-11-23T10:00:20.000", "complaint", "passed", 1, 1, 1, 4, 9, 1,
                   "COMPL", "客户投诉ATM吞卡")


def test_a_caller_found_during_the_call_is_stored_on_the_call(connection):
    connection.execute("INSERT INTO customers (id, name, name_pinyin, name_initials, gender, "
                       "birth_date, id_number, id_last6, mobile, segment, risk_level, "
                       "customer_since) VALUES ('C7', '王芳', 'wangfang', 'wf', 'F', "
                       "'1990-01-01', 'x', 'x', 'x', 'mass', 2, '2020-01-01')")
    flow = CallFlow(small_library(), T0)  # an unknown caller: saved as the workspace opens
    recorder = CallRecorder("call-3", "A1024")
    recorder.save(connection, flow)
    flow.attach_customer("C7", _at(30))
    recorder.save(connection, flow)
    assert connection.execute("SELECT customer_id FROM calls").fetchone() == ("C7",)
    [mutation] = [json.loads(args) for (args,) in connection.execute(
        "SELECT args_json FROM outbox WHERE name = 'call.record' ORDER BY seq DESC LIMIT 1")]
    assert mutation["customer_id"] == "C7"


def test_the_event_record_cannot_be_changed(connection):
    flow = CallFlow(small_library(), T0)
    CallRecorder("call-2", "A1").save(connection, flow)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE call_events SET kind = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM call_events")


@pytest.mark.parametrize("closing", [{"csat": 6}, {"csat": 0}, {"nps": 11}, {"nps": -1}])
def test_ratings_out_of_range_are_refused(closing):
    with pytest.raises(ValueError):
        Closing(**closing)
