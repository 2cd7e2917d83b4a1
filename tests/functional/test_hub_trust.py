"""The hub is the authority over customer data (issue 13), in-process against its HTTP API.

Master data leaves the hub masked; a call's verification is decided by the hub, bound to the
agent, device and customer of its first attempt, and a pass releases the basic tier for that call
only (audited); a one-time code the hub issued and checked releases the full tier and authorises
one operation, which the hub applies to its own accounts; reads are audited and limited.
"""

from __future__ import annotations

import stat
from datetime import datetime, timedelta

import msgspec
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from agent_tui.domain.disclosed import Revealed
from agent_tui.domain.masking import mask_mobile
from agent_tui.domain.sealed import SealedCopy, open_sealed
from agent_tui.domain.sla import SlaPolicy
from agent_tui.domain.verification import RECENT_AMOUNT_WINDOW
from agent_tui.hub.access import Limits
from agent_tui.hub.api import create_app
from agent_tui.hub.auth import create_token
from agent_tui.hub.database import reading
from agent_tui.hub.schema import (
    accounts,
    cases,
    change_log,
    customer_flags,
    customers,
    disclosures,
    transactions,
)
from agent_tui.hub.settings import HubSettings

NOW = datetime(2026, 11, 20, 12, 0)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def _client(engine, tmp_path, clock, limits=Limits()):
    settings = HubSettings(limits=limits, sms_outbox=tmp_path / "sms.log")
    return TestClient(create_app(engine, SlaPolicy(), clock=clock, settings=settings))


@pytest.fixture
def client(engine, tmp_path, clock):
    with _client(engine, tmp_path, clock) as test_client:
        yield test_client


def _bearer(engine, agent="A1024", role="agent", team="T1"):
    return {"Authorization": "Bearer " + create_token(
        engine, agent, role, team, datetime.now(), timedelta(days=1))[1]}


def _device(client, headers) -> str:
    return client.post("/v1/devices", json={}, headers=headers).json()["device_id"]


def _customer(engine, customer_id=None):
    """A customer's full values, as the hub holds them, and facts a caller would give."""
    with reading(engine) as connection:
        row = connection.execute(select(customers).where(
            customers.c.id == customer_id) if customer_id else select(customers).where(
            customers.c.id.in_(select(accounts.c.customer_id)))).first()
        cards = connection.execute(select(accounts.c.id, accounts.c.number, accounts.c.status,
                                          accounts.c.kind).where(
            accounts.c.customer_id == row.id)).all()
        amounts = connection.execute(select(transactions.c.amount_cents).where(
            transactions.c.customer_id == row.id,
            transactions.c.at >= (NOW - RECENT_AMOUNT_WINDOW).isoformat(),
            transactions.c.at <= NOW.isoformat()).order_by(
            transactions.c.at.desc())).scalars().all()
    return row, cards, [cents for cents in amounts if cents]


def _right_answers(row) -> dict[str, str]:
    return {"name": row.name, "id_last6": row.id_number[-6:], "mobile": row.mobile}


def _full_values(row, cards) -> list[str]:
    return [row.name, row.mobile, row.id_number, row.birth_date, row.id_number[-6:],
            *(number for _, number, _, _ in cards)]


def test_master_data_leaves_the_hub_masked(engine, client):
    headers = _bearer(engine)
    row, cards, _ = _customer(engine)
    record = client.get(f"/v1/customers/{row.id}", headers=headers).json()
    hits = client.get("/v1/customers", params={"q": row.mobile}, headers=headers).json()
    assert row.id in {hit["id"] for hit in hits["customers"]}
    sent = msgspec.json.encode([record, hits]).decode()
    for value in _full_values(row, cards):
        assert value not in sent, f"{value!r} left the hub in full"
    assert record["customer"]["mobile"] == mask_mobile(row.mobile)
    assert record["customer"]["masked"] == 1
    assert all(account["balance_cents"] is None for account in record["accounts"])
    assert all(txn["amount_cents"] is None for txn in record["transactions"])


def test_a_pulled_case_carries_its_customer_masked(engine, client):
    with reading(engine) as connection:
        case = connection.execute(select(cases.c.assigned_to, cases.c.customer_id)).first()
    headers = _bearer(engine, agent=case.assigned_to)
    pulled = client.post("/v1/sync/pull", json={"device_id": _device(client, headers),
                                                "cursor": ""}, headers=headers).json()
    row, cards, _ = _customer(engine, case.customer_id)
    sent = msgspec.json.encode(pulled).decode()
    assert row.id in sent
    for value in _full_values(row, cards):
        assert value not in sent


def test_verification_is_decided_by_the_hub_and_a_pass_releases_the_basic_tier(engine, client):
    headers = _bearer(engine)
    device = _device(client, headers)
    row, cards, _ = _customer(engine)
    wrong = client.post("/v1/calls/CALL-1/verification", headers=headers, json={
        "device_id": device, "customer_id": row.id,
        "answers": {**_right_answers(row), "mobile": "13900000000", "id_last6": "000000"}})
    assert wrong.json() == {"status": "open", "failed": ["id_last6", "mobile"], "missing": [],
                            "attempts_left": 2, "release": None}
    passed = client.post("/v1/calls/CALL-1/verification", headers=headers, json={
        "device_id": device, "customer_id": row.id, "answers": _right_answers(row)}).json()
    assert passed["status"] == "passed"
    release = msgspec.convert(passed["release"], Revealed)
    assert (release.customer.name, release.customer.mobile) == (row.name, row.mobile)
    assert release.customer.id_number is None  # the full tier needs a one-time code
    assert all(account.number is None for account in release.accounts)
    with reading(engine) as connection:
        audited = connection.execute(select(disclosures)).all()
    assert [(d.agent_id, d.device_id, d.customer_id, d.call_id, d.tier) for d in audited] == [
        ("A1024", device, row.id, "CALL-1", "basic")]


def test_a_call_is_bound_to_its_agent_device_and_customer(engine, client):
    headers = _bearer(engine)
    device = _device(client, headers)
    row, _, _ = _customer(engine)
    body = {"device_id": device, "customer_id": row.id, "answers": _right_answers(row)}
    assert client.post("/v1/calls/CALL-2/verification", headers=headers,
                       json=body).json()["status"] == "passed"
    other_device = _device(client, headers)
    refused = client.post("/v1/calls/CALL-2/verification", headers=headers,
                          json={**body, "device_id": other_device})
    assert (refused.status_code, refused.json()["error"]) == (403, "call_not_yours")
    thief = _bearer(engine, agent="A2000")
    stolen = client.post("/v1/calls/CALL-2/verification", headers=thief,
                         json={**body, "device_id": _device(client, thief)})
    assert (stolen.status_code, stolen.json()["error"]) == (403, "call_not_yours")
    with reading(engine) as connection:
        other = connection.execute(select(customers.c.id).where(customers.c.id != row.id)).first()
    moved = client.post("/v1/calls/CALL-2/verification", headers=headers,
                        json={**body, "customer_id": other.id})
    assert (moved.status_code, moved.json()["error"]) == (409, "other_customer")
    foreign = client.post("/v1/calls/CALL-2/verification", headers=headers,
                          json={**body, "device_id": _device(client, thief)})
    assert (foreign.status_code, foreign.json()["error"]) == (403, "device_not_yours")


def test_three_failures_lock_the_call_and_flag_the_customer_once(engine, client):
    headers = _bearer(engine)
    device = _device(client, headers)
    row, _, _ = _customer(engine)
    wrong = {"device_id": device, "customer_id": row.id,
             "answers": {**_right_answers(row), "mobile": "13900000000", "id_last6": "000000"}}
    statuses = [client.post("/v1/calls/CALL-3/verification", headers=headers,
                            json=wrong).json()["status"] for _ in range(4)]
    assert statuses == ["open", "open", "locked", "locked"]
    right = client.post("/v1/calls/CALL-3/verification", headers=headers, json={
        **wrong, "answers": _right_answers(row)}).json()
    assert right["status"] == "locked" and right["release"] is None
    with reading(engine) as connection:
        flags = connection.execute(select(customer_flags.c.flag).where(
            customer_flags.c.customer_id == row.id)).scalars().all()
    assert flags == ["possible_fraud"]


def test_missing_answers_are_not_an_attempt_but_a_wrong_name_is_said(engine, client):
    headers = _bearer(engine)
    device = _device(client, headers)
    row, _, _ = _customer(engine)
    reply = client.post("/v1/calls/CALL-4/verification", headers=headers, json={
        "device_id": device, "customer_id": row.id,
        "answers": {"name": "某某某", "mobile": row.mobile}}).json()
    assert reply["status"] == "open" and reply["failed"] == ["name"]
    assert reply["missing"] == ["any_of:1"] and reply["attempts_left"] == 3


def _verified(client, engine, headers, call_id):
    device = _device(client, headers)
    row, cards, _ = _customer(engine)
    assert client.post(f"/v1/calls/{call_id}/verification", headers=headers, json={
        "device_id": device, "customer_id": row.id,
        "answers": _right_answers(row)}).json()["status"] == "passed"
    return device, row, cards


def _code(tmp_path) -> str:
    return (tmp_path / "sms.log").read_text().splitlines()[-1].split("\tcode ")[1].split("\t")[0]


def _push(client, headers, device, seq, name, args):
    reply = client.post("/v1/sync/push", headers=headers, json={
        "device_id": device, "mutations": [{"seq": seq, "mutation_id": f"M-{device}-{seq}",
                                            "name": name, "args": args}]})
    return reply.json()["results"][0]


def test_a_one_time_code_from_the_hub_releases_the_full_tier_and_one_operation(
        engine, client, tmp_path):
    headers = _bearer(engine)
    refused = client.post("/v1/calls/NOPE/step-ups", headers=headers, json={
        "device_id": _device(client, headers), "operation": "reset_password"})
    assert (refused.status_code, refused.json()["error"]) == (403, "not_verified")
    device, row, cards = _verified(client, engine, headers, "CALL-5")
    card = next(card for card in cards if card.status == "active")
    sent = client.post("/v1/calls/CALL-5/step-ups", headers=headers, json={
        "device_id": device, "operation": "freeze_card", "account_id": card.id}).json()
    assert sent["mobile"] == mask_mobile(row.mobile)
    assert stat.S_IMODE((tmp_path / "sms.log").stat().st_mode) == 0o600
    assert f"to {row.mobile}" in (tmp_path / "sms.log").read_text()
    code = _code(tmp_path)
    wrong = client.post(f"/v1/step-ups/{sent['step_up_id']}/check", headers=headers, json={
        "device_id": device, "code": "000000" if code != "000000" else "111111"}).json()
    assert (wrong["result"], wrong["tries_left"], wrong["release"]) == ("wrong", 2, None)
    args = {"operation": "freeze_card", "customer_id": row.id, "account_id": card.id,
            "call_id": "CALL-5", "step_up_id": sent["step_up_id"]}
    early = _push(client, headers, device, 1, "operation.perform", args)
    assert (early["status"], early["reason"]) == ("rejected", "step_up_not_passed")
    passed = client.post(f"/v1/step-ups/{sent['step_up_id']}/check", headers=headers, json={
        "device_id": device, "code": code}).json()
    release = msgspec.convert(passed["release"], Revealed)
    assert passed["result"] == "passed" and release.customer.id_number == row.id_number
    assert {account.number for account in release.accounts} == {c.number for c in cards}
    assert _push(client, headers, device, 2, "operation.perform", {
        **args, "operation": "unfreeze_card"})["reason"] == "step_up_mismatch"
    applied = _push(client, headers, device, 3, "operation.perform", args)
    assert applied["status"] == "applied"
    again = _push(client, headers, device, 4, "operation.perform", {**args, "at": "x"})
    assert (again["status"], again["reason"]) == ("rejected", "step_up_used")
    with reading(engine) as connection:
        assert connection.execute(select(accounts.c.status).where(
            accounts.c.id == card.id)).scalar() == "frozen"
        change = connection.execute(select(change_log).where(
            change_log.c.entity == "account")).first()
        tiers = connection.execute(select(disclosures.c.tier).order_by(
            disclosures.c.at)).scalars().all()
    assert change.entity_id == card.id and card.number not in change.data
    assert change.audience == "agent:A1024"
    assert tiers == ["basic", "full"]


def test_an_operation_without_the_hubs_code_is_refused(engine, client):
    headers = _bearer(engine)
    device = _device(client, headers)
    row, cards, _ = _customer(engine)
    refused = _push(client, headers, device, 1, "operation.perform", {
        "operation": "freeze_card", "customer_id": row.id, "account_id": cards[0].id})
    assert (refused["status"], refused["reason"]) == ("rejected", "no_step_up")
    forged = _push(client, headers, device, 2, "operation.perform", {
        "operation": "freeze_card", "customer_id": row.id, "account_id": cards[0].id,
        "step_up_id": "made-up"})
    assert forged["reason"] == "unknown_step_up"


def test_a_code_expires_and_locks_after_three_tries(engine, client, clock):
    headers = _bearer(engine)
    device, row, _ = _verified(client, engine, headers, "CALL-6")
    sent = client.post("/v1/calls/CALL-6/step-ups", headers=headers, json={
        "device_id": device, "operation": "reset_password"}).json()
    results = [client.post(f"/v1/step-ups/{sent['step_up_id']}/check", headers=headers, json={
        "device_id": device, "code": "abc"}).json()["result"] for _ in range(4)]
    assert results == ["wrong", "wrong", "locked", "locked"]
    later = client.post("/v1/calls/CALL-6/step-ups", headers=headers, json={
        "device_id": device, "operation": "reset_password"}).json()
    clock.now = NOW + timedelta(minutes=6)
    expired = client.post(f"/v1/step-ups/{later['step_up_id']}/check", headers=headers, json={
        "device_id": device, "code": "123456"}).json()
    assert expired["result"] == "expired"


def test_reads_are_audited_and_limited_per_agent(engine, tmp_path, clock):
    with _client(engine, tmp_path, clock, Limits(records_per_hour=3, searches_per_hour=2)) as c:
        headers = _bearer(engine)
        row, _, _ = _customer(engine)
        codes = [c.get(f"/v1/customers/{row.id}", headers=headers).status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = c.get(f"/v1/customers/{row.id}", headers=headers)
        assert limited.json() == {"error": "rate_limited", "detail": "records_per_hour"}
        assert 0 < int(limited.headers["Retry-After"]) <= 3600
        other = _bearer(engine, agent="A2000")
        assert c.get(f"/v1/customers/{row.id}", headers=other).status_code == 200
        searches = [c.get("/v1/customers", params={"q": row.mobile},
                          headers=headers).status_code for _ in range(3)]
        assert searches == [200, 200, 429]
        clock.now = NOW + timedelta(hours=1, seconds=1)
        assert c.get(f"/v1/customers/{row.id}", headers=headers).status_code == 200
        lead = _bearer(engine, agent="S1", role="supervisor", team="T1")
        reads = c.get("/v1/audit/reads", headers=lead).json()["rows"]
    kinds = [read["kind"] for read in reads if read["agent_id"] == "A1024"]
    assert kinds.count("fetch") == 4 and kinds.count("refused") == 3
    assert kinds.count("search") == 2
    assert row.mobile not in msgspec.json.encode(reads).decode()  # a search's text is not kept


def test_the_audit_is_for_the_teams_supervisor(engine, client):
    headers = _bearer(engine)
    _verified(client, engine, headers, "CALL-7")
    lead = client.get("/v1/audit/disclosures", headers=_bearer(
        engine, "S1", "supervisor", "T1")).json()
    assert [row["call_id"] for row in lead["rows"]] == ["CALL-7"]
    other_lead = client.get("/v1/audit/disclosures", headers=_bearer(
        engine, "S2", "supervisor", "T2")).json()
    assert other_lead["rows"] == []
    for role in ("agent", "trainer"):
        refused = client.get("/v1/audit/disclosures", headers=_bearer(engine, "X1", role))
        assert (refused.status_code, refused.json()["error"]) == (403, "supervisors_only")


def test_a_trainer_reads_no_real_customer(engine, client):
    trainer = _bearer(engine, "TR1", "trainer")
    row, _, _ = _customer(engine)
    for reply in (client.get(f"/v1/customers/{row.id}", headers=trainer),
                  client.get("/v1/customers", params={"q": row.mobile}, headers=trainer),
                  client.post("/v1/calls/C/verification", headers=trainer, json={
                      "device_id": _device(client, trainer), "customer_id": row.id,
                      "answers": _right_answers(row)})):
        assert (reply.status_code, reply.json()["error"]) == (403, "training_only")


def test_the_sealed_copy_opens_with_the_right_answers_only(engine, client):
    headers = _bearer(engine)
    row, cards, amounts = _customer(engine)
    record = client.get(f"/v1/customers/{row.id}", headers=headers).json()
    copy = msgspec.convert(record["sealed"], SealedCopy)
    sealed = msgspec.json.encode(copy).decode()
    for value in _full_values(row, cards):
        assert value not in sealed
    opened = open_sealed(copy, {"name": row.name, "id_last6": row.id_number[-6:],
                                "birth_date": row.birth_date})
    release = msgspec.json.decode(opened.payload, type=Revealed)
    assert (release.customer.name, release.customer.mobile) == (row.name, row.mobile)
    one_wrong = open_sealed(copy, {"name": row.name, "id_last6": row.id_number[-6:],
                                   "mobile": "13900000000"})
    assert one_wrong.payload is None and one_wrong.unopened == ("mobile",)
    wrong_name = open_sealed(copy, {"name": "某某某", "id_last6": row.id_number[-6:],
                                    "mobile": row.mobile})
    assert wrong_name.payload is None and wrong_name.opened == ()
    assert amounts, "the demo customer has recent transactions"
    # The newest amount opens it (a sealed copy keeps the newest few).
    by_amount = open_sealed(copy, {"name": row.name, "mobile": row.mobile,
                                   "recent_amount": f"{abs(amounts[0]) / 100:.2f}"})
    assert by_amount.payload is not None
    again = client.get(f"/v1/customers/{row.id}", headers=headers).json()["sealed"]
    assert again == record["sealed"]  # kept on the hub, not sealed anew for every fetch
