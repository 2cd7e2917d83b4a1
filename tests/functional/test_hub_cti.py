"""Telephony call events on a real hub (issue 18): `agent-tui hub cti` posts them with a telephony
token; an agent's long poll gets its own and no one else's; a resend is delivered once; bad input
is refused with a reason. (Every route x every role: tests/functional/test_hub_roles.py.)"""

from __future__ import annotations

import subprocess
import sys
import threading

import httpx
import pytest

from agent_tui.sync.hub_client import HubClient
from tests.hub_process import started_hub

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = started_hub(tmp_path_factory.mktemp("cti"))
    process.token("A1024")
    process.token("A2048")
    yield process
    process.close()


@pytest.fixture(scope="module")
def telephony(hub):
    return hub.token("PBX01", "telephony", "")


def cti(hub, telephony: str | None, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    """``agent-tui hub cti …`` as the demo runs it (a process, its language from LANG)."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8" if lang == "zh-CN" else "C.UTF-8",
           "AGENT_TUI_HUB_URL": hub.url}
    if telephony:
        env["AGENT_TUI_TELEPHONY_TOKEN"] = telephony
    return subprocess.run([sys.executable, "-m", "agent_tui", "hub", "cti", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def feed(hub, agent: str, after: int | None = None, wait: float = 0):
    client = HubClient(hub.url, hub.token(agent))
    try:
        return client.cti_events(after, wait)
    finally:
        client.close()


def test_a_ring_reaches_its_agent_and_no_other(hub, telephony):
    start_1024, start_2048 = feed(hub, "A1024").cursor, feed(hub, "A2048").cursor
    sent = cti(hub, telephony, "ring", "--agent", "A1024", "--from", "+8613812345678",
               "--to", "95588", "--event-id", "ev-ring-1")
    assert sent.returncode == 0, sent.stderr
    assert "ev-ring-1" in sent.stdout

    mine = feed(hub, "A1024", start_1024).events
    assert [(e.event_id, e.kind, e.caller, e.dialled) for e in mine] == [
        ("ev-ring-1", "ringing", "+8613812345678", "95588")]
    assert feed(hub, "A2048", start_2048).events == []
    # A first poll (no cursor: a workstation just started) still gets what rang just now.
    assert "ev-ring-1" in [event.event_id for event in feed(hub, "A1024").events]
    assert "ev-ring-1" not in [event.event_id for event in feed(hub, "A2048").events]


def test_a_waiting_poll_is_answered_by_the_ring(hub, telephony):
    after = feed(hub, "A1024").cursor
    answers: list = []
    poll = threading.Thread(target=lambda: answers.append(feed(hub, "A1024", after, wait=20)))
    poll.start()
    sent = cti(hub, telephony, "answered", "--agent", "A1024", "--event-id", "ev-answer-1")
    assert sent.returncode == 0, sent.stderr
    poll.join(60)
    assert [event.event_id for event in answers[0].events] == ["ev-answer-1"]
    assert answers[0].cursor > after


def test_a_resend_is_delivered_once_and_a_reused_id_refused(hub, telephony):
    after = feed(hub, "A1024").cursor
    first = cti(hub, telephony, "ended", "--agent", "A1024", "--event-id", "ev-end-1")
    again = cti(hub, telephony, "ended", "--agent", "A1024", "--event-id", "ev-end-1")
    assert first.returncode == again.returncode == 0
    assert "had this event already" in again.stdout
    assert [event.event_id for event in feed(hub, "A1024", after).events] == ["ev-end-1"]

    reused = cti(hub, telephony, "ring", "--agent", "A1024", "--event-id", "ev-end-1")
    assert reused.returncode == 1
    assert "sent before with other content" in reused.stderr


@pytest.mark.parametrize("args, says", [
    (("--from", "138-1234"), "Expected `str` matching regex"),
    (("--from", "1" * 30), "length <= 24"),
    (("--event-id", "has space"), "event_id"),
])
def test_bad_input_is_told_before_anything_is_sent(hub, telephony, args, says):
    refused = cti(hub, telephony, "ring", "--agent", "A1024", *args)
    assert refused.returncode == 2
    assert "The event was not sent" in refused.stderr and says in refused.stderr


def test_the_hub_refuses_what_the_command_would_not_send(hub, telephony):
    headers = {"Authorization": f"Bearer {telephony}"}
    reply = httpx.post(f"{hub.url}/v1/cti/events", headers=headers, timeout=20, json={
        "event_id": "ev-bad", "kind": "hung_up", "agent_id": "A1024"})
    assert reply.status_code == 400
    assert reply.json()["error"] == "bad_request" and "kind" in reply.json()["detail"]
    unknown = cti(hub, telephony, "ring", "--agent", "A9999", "--from", "13812345678")
    assert unknown.returncode == 1 and "knows no agent of that id" in unknown.stderr


def test_refusals_are_translated(hub, telephony):
    no_token = cti(hub, None, "ring", "--agent", "A1024", lang="zh-CN")
    assert no_token.returncode == 2 and "没有话务令牌" in no_token.stderr
    agent_token = cti(hub, hub.token("A1024"), "ring", "--agent", "A1024", lang="zh-CN")
    assert agent_token.returncode == 1 and "这不是话务令牌" in agent_token.stderr
