"""Times a workstation reports, checked by a real hub process: before 2000, or (once the device's
measured skew is applied) more than five minutes ahead of the hub's clock, is ``bad_time``; a
device whose clock is merely off is corrected, as before; a due time is the hub's to compute."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from agent_tui.domain.times import iso
from agent_tui.hub.database import reading
from agent_tui.hub.schema import callbacks, cases, customers
from tests.hub_process import raw_push, register_device, started_hub

pytestmark = pytest.mark.slow

_ids = itertools.count(1)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = started_hub(tmp_path_factory.mktemp("times"))
    yield process
    process.close()


@pytest.fixture(scope="module")
def customer(hub):
    with reading(hub.engine) as connection:
        return connection.execute(select(customers.c.id).limit(1)).scalar()


class Device:
    """One agent's device, numbering its own mutations."""

    def __init__(self, hub) -> None:
        self.hub, self.token = hub, hub.token("A1024")
        self.id, self.seq = register_device(hub, self.token), 0

    def push(self, name: str, args: dict, sent_at: str | None = None) -> dict:
        self.seq += 1
        reply = raw_push(self.hub, self.token, self.id, [{
            "seq": self.seq, "mutation_id": f"t-{next(_ids)}", "name": name, "args": args}],
                         sent_at)
        assert reply.status_code == 200, reply.text
        return reply.json()["results"][0]


@pytest.fixture
def device(hub):
    return Device(hub)


def _open(customer: str, **times) -> tuple[str, dict]:
    number = next(_ids)
    return f"case-t{number}", {
        "id": f"case-t{number}", "number": f"CS-T{number}", "customer_id": customer,
        "channel": "phone", "category": "consultation", "priority": "normal", "title": "t",
        **times}


def _opened_at(hub, case_id: str) -> datetime:
    with reading(hub.engine) as connection:
        return datetime.fromisoformat(connection.execute(select(cases.c.opened_at).where(
            cases.c.id == case_id)).scalar())


@pytest.mark.parametrize("opened_at", [
    "0001-01-01T00:00:00", "1999-12-31T23:59:59", "1970-01-01T00:00:00+00:00",
    "0001-01-01T00:00:00+14:00", "not a time", "2026-13-01T00:00:00"])
def test_a_time_before_2000_or_not_a_time_is_bad_time(device, customer, opened_at):
    _case_id, args = _open(customer, opened_at=opened_at)
    answer = device.push("case.open", args)
    assert (answer["status"], answer["reason"]) == ("rejected", "bad_time")


@pytest.mark.parametrize("opened_at", [12345, ["2026-11-23"], {"at": 1}])
def test_a_time_that_is_not_text_is_bad_time(device, customer, opened_at):
    answer = device.push("case.open", _open(customer, opened_at=opened_at)[1])
    assert (answer["status"], answer["reason"]) == ("rejected", "bad_time")


def test_a_time_far_ahead_of_the_hubs_clock_is_bad_time(device, customer):
    ahead = iso(datetime.now() + timedelta(minutes=10))
    answer = device.push("case.open", _open(customer, opened_at=ahead)[1],
                         sent_at=iso(datetime.now()))
    assert (answer["status"], answer["reason"]) == ("rejected", "bad_time")
    answer = device.push("case.open", _open(customer, opened_at="9999-12-31T23:59:59")[1])
    assert (answer["status"], answer["reason"]) == ("rejected", "bad_time")


def test_a_device_clock_ahead_is_corrected_not_refused(hub, device, customer):
    """Ten minutes fast, and saying so in ``sent_at``: its times are moved back, as before."""
    fast = datetime.now() + timedelta(minutes=10)
    case_id, args = _open(customer, opened_at=iso(fast))
    assert device.push("case.open", args, sent_at=iso(fast))["status"] == "applied"
    assert abs(_opened_at(hub, case_id) - datetime.now()) < timedelta(minutes=1)


def test_a_time_a_little_ahead_is_the_hubs_now(hub, device, customer):
    case_id, args = _open(customer, opened_at=iso(datetime.now() + timedelta(minutes=2)))
    before = datetime.now().replace(microsecond=0)
    assert device.push("case.open", args)["status"] == "applied"
    assert before <= _opened_at(hub, case_id) <= datetime.now()


def test_a_sent_at_off_the_calendar_is_ignored(hub, device, customer):
    case_id, args = _open(customer, opened_at=iso(datetime.now() - timedelta(minutes=1)))
    assert device.push("case.open", args, sent_at="0001-01-01T00:00:00+14:00")["status"] == \
        "applied"


def test_a_callback_is_due_in_the_future_but_not_before_2000(hub, device, customer):
    tomorrow = iso(datetime.now() + timedelta(days=1))
    answer = device.push("callback.schedule", {"id": "cb-t1", "customer_id": customer,
                                               "due_at": tomorrow})
    assert answer["status"] == "applied"
    with reading(hub.engine) as connection:
        assert connection.execute(select(callbacks.c.due_at).where(
            callbacks.c.id == "cb-t1")).scalar() == tomorrow
    answer = device.push("callback.schedule", {"id": "cb-t2", "customer_id": customer,
                                               "due_at": "0001-01-01T00:00:00"})
    assert (answer["status"], answer["reason"]) == ("rejected", "bad_time")


def test_leaving_pending_gets_a_due_time_computed_by_the_hub(hub, device, customer):
    """A workstation sends the case's new due time when it leaves pending; it lies in the
    future, so it is not taken as sent (nor refused): the hub computes it."""
    case_id, args = _open(customer)
    assert device.push("case.open", args)["status"] == "applied"
    assert device.push("case.status", {"case_id": case_id, "base_version": 1, "changes": {
        "status": "pending_customer", "paused_since": iso(datetime.now())}})["status"] == \
        "applied"
    answer = device.push("case.status", {"case_id": case_id, "base_version": 2, "changes": {
        "status": "in_progress", "paused_since": None, "paused_seconds": 600,
        "due_at": "2000-01-02T00:00:00"}})
    assert answer["status"] == "applied", answer
    with reading(hub.engine) as connection:
        opened, due = connection.execute(select(cases.c.opened_at, cases.c.due_at).where(
            cases.c.id == case_id)).first()
    assert datetime.fromisoformat(due) > datetime.fromisoformat(opened) + timedelta(
        seconds=600)
