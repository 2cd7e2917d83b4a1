"""A team lead hands a callback to another agent of the team, on a real hub: queued and audited
on the lead's workstation, applied by the hub on the version shown (audited there too), and the
callback leaves one agent's queue and joins the other's at their next sync. The hub refuses an
agent, another team's lead and a stale version."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from agent_tui.hub.database import reading
from agent_tui.hub.schema import audit_log, callbacks
from agent_tui.store import callbacks as local_callbacks
from agent_tui.store.queue import my_queue
from agent_tui.store.team import queue_reassignment
from tests.workstation import Workstation

pytestmark = pytest.mark.slow


def _queue(station: Workstation) -> set[str]:
    return {item.id for item in my_queue(station.connection, station.agent_id)[0]
            if item.kind == "callback"}


def _booked(hub, tmp_path) -> tuple[Workstation, str]:
    booking = Workstation(tmp_path / "a1024", "A1024", hub.token("A1024"))
    now = datetime.now().replace(microsecond=0)
    callback = local_callbacks.schedule(
        booking.connection, agent_id="A1024", customer_id=booking.customer(), at=now,
        due=now + timedelta(hours=2), reason="回访：确认退款到账")
    booking.sync(hub.url)
    return booking, callback.id


def test_a_lead_hands_a_callback_over_and_both_queues_follow(hub, tmp_path):
    booking, callback_id = _booked(hub, tmp_path)
    taking = Workstation(tmp_path / "a1025", "A1025", hub.token("A1025"))
    lead = Workstation(tmp_path / "s1001", "S1001", hub.token("S1001", "supervisor", "T1"))
    try:
        taking.sync(hub.url)  # in service already: its feed's cursor stands before the change
        assert _queue(booking) == {callback_id}
        assert _queue(taking) == set()
        queue_reassignment(lead.connection, "callback", callback_id, "A1025", 1, "S1001",
                           datetime.now())
        assert lead.connection.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'callback.reassign'").fetchone()[0] == 1
        lead.sync(hub.url)
        assert lead.waiting() == 0
        with reading(hub.engine) as connection:
            held = connection.execute(select(callbacks.c.agent_id, callbacks.c.version).where(
                callbacks.c.id == callback_id)).one()
            audited = connection.execute(select(audit_log.c.agent_id, audit_log.c.detail).where(
                audit_log.c.action == "callback.reassigned")).all()  # the hub's own line
            asked = connection.execute(select(audit_log.c.agent_id).where(
                audit_log.c.action == "callback.reassign")).scalars().all()  # the lead's
        assert tuple(held) == ("A1025", 2)
        assert [row.agent_id for row in audited] == ["S1001"] and asked == ["S1001"]
        assert '"from":"A1024"' in audited[0].detail and '"to":"A1025"' in audited[0].detail

        taking.sync(hub.url)
        booking.sync(hub.url)
        assert _queue(taking) == {callback_id}
        assert _queue(booking) == set()
        # A workstation set up after the handover (nothing held, an empty cursor) gets it too:
        # the feed alone holds only what changed after it started.
        fresh = Workstation(tmp_path / "a1025-new", "A1025", hub.token("A1025"))
        try:
            fresh.sync(hub.url)
            assert _queue(fresh) == {callback_id}
        finally:
            fresh.close()
    finally:
        for station in (booking, taking, lead):
            station.close()


def _push_reassign(hub, token: str, callback_id: str, version: int) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    device = httpx.post(f"{hub.url}/v1/devices", headers=headers, json={"first_seq": 1},
                        timeout=10).json()["device_id"]
    reply = httpx.post(f"{hub.url}/v1/sync/push", headers=headers, timeout=10, json={
        "device_id": device, "mutations": [{
            "seq": 1, "mutation_id": f"m-{token[-6:]}-{version}", "name": "callback.reassign",
            "args": {"callback_id": callback_id, "base_version": version,
                     "assigned_to": "A1025"}}]})
    return reply.json()["results"][0]


def test_the_hub_refuses_an_agent_another_team_and_a_stale_version(hub, tmp_path):
    booking, callback_id = _booked(hub, tmp_path)
    try:
        refused = {
            "agent": _push_reassign(hub, hub.token("A1026"), callback_id, 1),
            "other team's lead": _push_reassign(hub, hub.token("S2001", "supervisor", "T2"),
                                                callback_id, 1),
            "stale": _push_reassign(hub, hub.token("S1001", "supervisor", "T1"), callback_id, 7),
        }
        assert {name: (result["status"], result["reason"]) for name, result in refused.items()} \
            == {"agent": ("rejected", "supervisor_only"),
                "other team's lead": ("rejected", "other_team"),
                "stale": ("rejected", "callback_changed")}
        with reading(hub.engine) as connection:
            assert connection.execute(select(callbacks.c.agent_id).where(
                callbacks.c.id == callback_id)).scalar() == "A1024"
        assert _queue(booking) == {callback_id}
    finally:
        booking.close()
