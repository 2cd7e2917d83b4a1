"""An agent's feedback on an article goes to a real hub through the outbox, as the hub's
``kb.feedback`` mutation: kept there under the token's agent; a trainer's token is refused."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.store import kb, outbox
from tests.conftest import shipped_library


def _feedback(station, helpful: bool) -> None:
    kb.publish(station.connection, shipped_library().articles)
    kb.record_feedback(station.connection, article_id="card-loss-phone", lang="zh-CN",
                       version=2, agent_id="someone-else", call_id=None, helpful=helpful,
                       at=datetime.now())
    assert [m.name for m in outbox.pending(station.connection)][-1] == "kb.feedback"


def test_feedback_reaches_the_hub_under_the_tokens_agent(hub, agent, tmp_path):
    _feedback(agent, helpful=False)
    report = agent.sync(hub.url)
    assert report.ok, report
    assert agent.waiting() == 0
    rows = sqlite3.connect(tmp_path / "hub.db").execute(
        "SELECT article_id, lang, version, helpful, agent_id FROM kb_feedback").fetchall()
    assert rows == [("card-loss-phone", "zh-CN", 2, 0, "A1024")]


def test_a_trainers_feedback_is_refused_and_kept_for_the_agent(hub, agent, tmp_path):
    _feedback(agent, helpful=True)
    agent.sync(hub.url, hub.token("T9001", "trainer"))
    refused = agent.connection.execute(
        "SELECT name, status, reason FROM sync_conflicts WHERE name = 'kb.feedback'").fetchall()
    assert refused == [("kb.feedback", "rejected", "training_only")]
    assert sqlite3.connect(tmp_path / "hub.db").execute(
        "SELECT count(*) FROM kb_feedback").fetchone()[0] == 0
