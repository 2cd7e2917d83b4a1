"""Each mutation's arguments typed by its struct (agent_tui/domain/mutation_args.py): every name the
hub handles has one; the arguments an older workstation queued (frozen here as JSON, exactly as
today's store writes them) decode, encode back to the same object, and still apply through the
hub's HTTP API; a malformed one is refused with its reason code, never a server error."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import msgspec
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from agent_tui.domain import mutation_args
from agent_tui.domain.sla import SlaPolicy
from agent_tui.hub.api import create_app
from agent_tui.hub.auth import create_token
from agent_tui.hub.database import connect, reading
from agent_tui.hub.handlers import HANDLERS
from agent_tui.hub.schema import customers, operations
from agent_tui.hub.seed import seed_hub
from agent_tui.sync import reasons
from agent_tui.sync.protocol import MutationIn, PushRequest
from data.generator import SeedPlan
from tests.hub_process import AS_OF

CUSTOMER = "@customer"  # replaced by a seeded customer's id
_AT = "2026-11-23T10:00:00.000"
_DUE = "2027-01-05T09:30:00"
# What workstations queue today, one of each (the store's outbox.enqueue calls), in push order.
OLDER_QUEUE = [
    ("case.open", {"id": "0193a1b2-case", "number": "C20261123A1024001", "customer_id": CUSTOMER,
                   "channel": "phone", "category": "card", "sub_category": "lost",
                   "priority": "normal", "title": "卡片遗失", "description": "客户来电\n挂失",
                   "opened_at": _AT, "call_id": None}),
    ("case.add_note", {"id": "0193a1b2-note", "case_id": "0193a1b2-case", "text": "跟进中",
                       "at": _AT}),
    ("case.attach_contact", {"id": "0193a1b2-note2", "case_id": "0193a1b2-case",
                             "channel": "email", "call_id": None, "text": "邮件", "at": _AT}),
    ("case.status", {"case_id": "0193a1b2-case", "base_version": 1,
                     "changes": {"status": "in_progress"}, "detail": {"reason": ""},
                     "at": _AT}),
    ("case.escalated", {"case_id": "0193a1b2-case", "base_version": 2,
                        "changes": {"status": "escalated", "escalated_to": "L2",
                                    "escalation_reason": "需要授权"},
                        "detail": {"to": "L2"}, "at": _AT}),
    ("case.status", {"case_id": "0193a1b2-case", "base_version": 3,
                     "changes": {"status": "pending_customer", "paused_since": _AT},
                     "detail": {}, "at": _AT}),
    ("case.status", {"case_id": "0193a1b2-case", "base_version": 4,
                     "changes": {"status": "in_progress", "paused_since": None,
                                 "paused_seconds": 60, "due_at": "2026-11-30T10:00:00"},
                     "detail": {}, "at": _AT}),
    ("callback.schedule", {"id": "0193a1b2-cb", "customer_id": CUSTOMER,
                           "case_id": "0193a1b2-case", "call_id": None, "due_at": _DUE,
                           "reason": "回电确认", "at": _AT}),
    ("callback.attempt", {"id": "0193a1b2-try", "callback_id": "0193a1b2-cb",
                          "call_id": None, "outcome": "no_answer", "at": _AT}),
    ("callback.complete", {"id": "0193a1b2-cb", "call_id": None, "at": _AT}),
    ("call.record", {"call_id": "0193a1b2-call", "agent_id": "A1024", "customer_id": CUSTOMER,
                     "started_at": _AT, "first_event": 0,
                     "events": [[_AT, "stage", "greeting", "", {"note": "x"}],
                                [_AT, "phrase_used", "greeting", "hello", {}]],
                     "ended_at": _AT, "request_type": "card_lost",
                     "verification": "passed",
                     "closing": {"csat": 5, "nps": None, "first_contact_resolution": True,
                                 "wrap_up": "done"},
                     "notes": "备注"}),
    ("customer.flag", {"id": "0193a1b2-flag", "customer_id": CUSTOMER, "flag": "vulnerable",
                       "call_id": None, "reason": "独居老人", "at": _AT}),
    ("audit.append", {"id": "0193a1b2-audit", "at": _AT, "agent_id": "A1024",
                      "action": "case.open", "customer_id": CUSTOMER,
                      "detail": json.dumps({"case_id": "0193a1b2-case"})}),
    ("operation.perform", {"operation": "freeze_card", "customer_id": CUSTOMER,
                           "account_id": "ACC-1", "call_id": "0193a1b2-call",
                           "step_up_id": "no-such-step-up", "at": _AT}),
]


def test_every_mutation_the_hub_handles_has_its_struct():
    assert set(mutation_args.ARGS) == set(HANDLERS)
    # training.attempt (issue 15), callback.reassign and qa.reply (issue 17), suitability.assess
    # (issue 18) are newer than any queue a workstation kept
    assert {name for name, _ in OLDER_QUEUE} | {"case.reopened", "case.reassign",
                                                "training.attempt", "kb.feedback",
                                                "product.offer", "callback.reassign",
                                                "qa.reply", "suitability.assess"
                                                } == set(mutation_args.ARGS)


@pytest.mark.parametrize("name, args", OLDER_QUEUE, ids=[name for name, _ in OLDER_QUEUE])
def test_older_arguments_decode_and_encode_back_unchanged(name, args):
    typed = mutation_args.decode(name, args)
    assert isinstance(typed, mutation_args.ARGS[name])
    assert msgspec.json.decode(msgspec.json.encode(typed)) == args


@pytest.mark.parametrize("name, args, reason", [
    ("case.open", {"id": 5}, "missing_id"),
    ("case.open", {"id": "c", "number": "n", "customer_id": "x", "category": "c",
                   "title": "t", "channel": 3}, "bad_field"),
    ("case.status", {"case_id": "c", "base_version": 1, "changes": {"state": "x"}},
     "missing_changes"),
    ("case.status", {"case_id": "c", "base_version": True, "changes": {"status": "new"}},
     "missing_base_version"),
    ("case.status", {"case_id": "c", "changes": {"status": "new", "paused_seconds": -1}},
     "bad_field"),
    ("case.status", {"case_id": "c", "changes": {"status": "new", "paused_since": 7}},
     "bad_time"),
    ("case.add_note", {"id": "n", "case_id": "c", "text": "x", "at": 17}, "bad_time"),
    ("call.record", {"call_id": "c", "first_event": 0, "events": [["only", "four", "", ""]]},
     "bad_events"),
    ("call.record", {"call_id": "c", "first_event": -1, "events": []}, "bad_events"),
    ("callback.schedule", {"id": "b", "customer_id": "x", "due_at": None}, "missing_due_at"),
])
def test_malformed_arguments_are_refused_with_a_known_reason(name, args, reason):
    with pytest.raises(mutation_args.BadArgs) as refused:
        mutation_args.decode(name, args)
    assert refused.value.reason == reason and reasons.is_known(reason)


@pytest.fixture
def hub(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'hub.db'}")
    seed_hub(engine, SeedPlan(5, 1, AS_OF))
    yield engine
    engine.dispose()


def test_an_older_workstations_push_still_applies(hub):
    with reading(hub) as connection:
        customer = connection.execute(select(customers.c.id).limit(1)).scalar()
    headers = {"Authorization": "Bearer " + create_token(
        hub, "A1024", "agent", "T1", datetime.now(), timedelta(days=1))[1]}
    queue = [(name, json.loads(json.dumps(args).replace(CUSTOMER, customer)))
             for name, args in OLDER_QUEUE]
    with TestClient(create_app(hub, SlaPolicy())) as client:
        device = client.post("/v1/devices", json={}, headers=headers).json()["device_id"]
        # The bytes as an older workstation sent them: httpx's JSON of plain dicts.
        older = client.post("/v1/sync/push", headers=headers, json={
            "device_id": device, "sent_at": _AT, "mutations": [
                {"seq": seq, "mutation_id": f"m-{seq}", "name": name, "args": args}
                for seq, (name, args) in enumerate(queue, 1)]})
        assert older.status_code == 200, older.text
        answers = [(answer["status"], answer["reason"]) for answer in older.json()["results"]]
        # Everything applies; the operation is refused only for its unknown one-time code.
        assert answers == [("applied", "")] * (len(queue) - 1) + [("rejected", "unknown_step_up")]
        # The same mutations encoded from the structs, as today's client sends them: the same
        # payload, so each is the stored answer's duplicate (not a key_reuse).
        today = client.post("/v1/sync/push", headers=headers, content=msgspec.json.encode(
            PushRequest(device, [MutationIn(seq, f"m-{seq}", name, mutation_args.encode(
                mutation_args.decode(name, args))) for seq, (name, args) in enumerate(queue, 1)],
                        _AT)))
        assert {answer["status"] for answer in today.json()["results"]} == {"duplicate"}
    with reading(hub) as connection:
        assert connection.execute(select(operations)).first() is None


def test_the_workstation_queues_each_mutation_from_its_struct(tmp_path):
    """What the store queues (cases, notes, moves, callbacks, flags, audit rows) is built from the
    structs: every row decodes into its struct and encodes back to what was queued."""
    from agent_tui.store import callbacks, flags, outbox
    from tests.workstation import Workstation

    station = Workstation(tmp_path, "A1024", "unused")
    at = datetime(2026, 11, 23, 10, 0)
    case = station.open_case()
    station.cases.add_note(case, "跟进", at)
    case = station.cases.get(case.id)
    case = station.cases.change_status(case, "pending_customer", at)
    case = station.cases.change_status(case, "in_progress", at + timedelta(hours=1))
    station.cases.attach_contact(station.cases.escalate(case, "L2", "授权", at), "email", "邮件",
                                 at)
    callback = callbacks.schedule(station.connection, customer_id=station.customer(),
                                  agent_id="A1024", at=at, due=at + timedelta(days=1),
                                  reason="回电", case_id=case.id)
    callbacks.attempt(station.connection, callback.id, agent_id="A1024", at=at,
                      outcome="no_answer")
    callbacks.complete(station.connection, callback.id, agent_id="A1024", at=at)
    flags.raise_flag(station.connection, customer_id=station.customer(), flag="vulnerable",
                     agent_id="A1024", at=at, reason="独居")
    queued = outbox.pending(station.connection, 1000)
    assert {"case.open", "case.add_note", "case.status", "case.escalated",
            "case.attach_contact", "callback.schedule", "callback.attempt",
            "callback.complete", "customer.flag", "audit.append"} <= {m.name for m in queued}
    for mutation in queued:
        assert mutation_args.encode(mutation_args.decode(mutation.name, mutation.args)) == \
            mutation.args, mutation.name
    with pytest.raises(TypeError):
        outbox.enqueue(station.connection, "case.open", mutation_args.CaseAddNote(
            id="n", case_id="c", text="t"), at)
    station.close()
