"""The knowledge base's workflow on a real hub (SQLite, and PostgreSQL where it runs), driven by
the authors' CLI with their own tokens, and what a workstation's search finds after its sync:
approved by another supervisor, an article is found; withdrawn, it is gone; a draft or a
version in review never reaches the pull; the author approving their own and an agent's token
are refused, in words that say what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from agent_tui.cli import main
from agent_tui.domain import segment
from agent_tui.hub import kb_articles
from agent_tui.hub.auth import Principal
from agent_tui.hub.schema import audit_log
from agent_tui.i18n import Catalog
from agent_tui.store import kb
from tests.conftest import shipped_library
from tests.hub_process import HubProcess, register_device
from tests.postgres_cluster import PostgresCluster, unavailable_reason

pytestmark = pytest.mark.slow
EN = Catalog.load("en")
ARTICLE = """+++
id = "fx-quota-hub"
lang = "zh-CN"
title = "个人外汇便利化额度"
category = "procedure"
request_types = ["consultation"]
keywords = ["外汇", "额度"]
version = 1
status = "draft"
author = "whoever"
+++

每人每年便利化额度为等值五万美元，{extra}超出部分需凭真实交易材料到网点办理。
"""


@pytest.fixture(scope="module")
def cluster():
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    running = PostgresCluster()
    yield running
    running.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub(request, tmp_path):
    """A real hub on SQLite or on PostgreSQL, seeded (``agent`` comes from conftest, on it)."""
    url = (f"sqlite:///{tmp_path / 'hub.db'}" if request.param == "sqlite"
           else request.getfixturevalue("cluster").new_database())
    process = HubProcess(url, tmp_path / "hub")
    process.seed()
    process.start()
    yield process
    process.close()


class Staff:
    """The hub's people with their own tokens, and the authors' CLI run as one of them."""

    def __init__(self, hub: HubProcess) -> None:
        self.hub = hub
        self.tokens = {who: hub.token(who, role, team) for who, role, team in (
            ("R0001", "trainer", "T1"), ("S0001", "supervisor", "T1"),
            ("S0002", "supervisor", "T2"), ("A1024", "agent", "T1"),
            ("PBX01", "telephony", ""))}

    def cli(self, who: str, *args: str):
        return CliRunner().invoke(main, ["kb", *args, "--hub", self.hub.url,
                                         "--token", self.tokens[who]],
                                  env={"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"})

    def submit(self, who: str, tmp_path: Path, reviewer: str, extra: str = "") -> int:
        path = tmp_path / "fx-quota-hub.zh-CN.md"
        path.write_text(ARTICLE.format(extra=extra), encoding="utf-8")
        result = self.cli(who, "submit", str(path), "--reviewer", reviewer)
        assert result.exit_code == 0, result.output
        listed = self.cli(who, "list", "--id", "fx-quota-hub", "--status", "review")
        header, newest = listed.output.splitlines()[:2]
        assert header == EN.text("kb_cli.list_header")
        return int(newest.split()[2].lstrip("v"))

    def move(self, who: str, move: str, version: int, article_id: str = "fx-quota-hub",
             lang: str = "zh-CN"):
        return self.cli(who, move, article_id, "--lang", lang, "--version", str(version))


@pytest.fixture
def staff(hub) -> Staff:
    return Staff(hub)


def found(agent, query: str) -> set[str]:
    return {hit.id for hit in kb.search(agent.connection, query, "zh-CN")}


def test_approved_by_another_it_is_found_after_a_sync_and_withdrawn_it_is_gone(
        hub, agent, staff, tmp_path):
    kb.publish(agent.connection, shipped_library().articles)
    version = staff.submit("R0001", tmp_path, reviewer="S0001")
    assert agent.sync(hub.url).ok
    assert "fx-quota-hub" not in found(agent, "便利化额度")  # in review: not on the pull

    approved = staff.move("S0001", "approve", version)
    assert approved.exit_code == 0, approved.output
    assert "published, approved by S0001" in approved.output
    assert agent.sync(hub.url).ok
    assert "fx-quota-hub" in found(agent, "便利化额度")
    read = kb.article(agent.connection, "fx-quota-hub", "zh-CN")
    assert (read.version, read.author, read.approved_by) == (version, "R0001", "S0001")

    # A new version, approved by the other supervisor, replaces it at the next sync.
    newer = staff.submit("R0001", tmp_path, reviewer="S0002", extra="单笔不设限，")
    assert newer == version + 1
    assert staff.move("S0002", "approve", newer).exit_code == 0
    assert agent.sync(hub.url).ok
    assert kb.article(agent.connection, "fx-quota-hub", "zh-CN").version == newer
    assert "fx-quota-hub" in found(agent, "单笔不设限")
    assert staff.move("S0001", "approve", version).exit_code == 1  # superseded: not in review

    withdrawn = staff.move("S0002", "withdraw", newer)
    assert withdrawn.exit_code == 0, withdrawn.output
    assert agent.sync(hub.url).ok
    assert "fx-quota-hub" not in found(agent, "便利化额度")
    assert kb.article(agent.connection, "fx-quota-hub", "zh-CN") is None
    with hub.engine.connect() as connection:
        moves = [row.action for row in connection.execute(
            select(audit_log.c.action).where(audit_log.c.action.like("kb.%"))
            .order_by(audit_log.c.at, audit_log.c.action))]
    assert sorted(moves) == sorted(["kb.submit", "kb.approve", "kb.submit", "kb.approve",
                                    "kb.withdraw", "kb.refused"])


def test_the_author_may_not_approve_their_own_and_the_refusal_is_audited(hub, staff,
                                                                         tmp_path):
    version = staff.submit("S0002", tmp_path, reviewer="S0001")
    refused = staff.move("S0002", "approve", version)
    assert refused.exit_code == 1
    assert EN.text("kb_cli.refused.kb_own_article") in refused.output
    naming_self = staff.cli("S0001", "submit", str(tmp_path / "fx-quota-hub.zh-CN.md"),
                            "--reviewer", "S0001")
    assert EN.text("kb_cli.refused.kb_own_review") in naming_self.output
    with hub.engine.connect() as connection:
        reasons = connection.execute(select(audit_log.c.detail).where(
            audit_log.c.action == "kb.refused")).scalars().all()
    assert any('"kb_own_article"' in reason for reason in reasons)
    assert staff.move("S0001", "approve", version).exit_code == 0  # the other one may


@pytest.mark.parametrize("who, code", [("A1024", "kb_authors_only"),
                                       ("PBX01", "telephony_only")])
def test_an_agents_or_the_telephony_token_may_do_nothing(hub, staff, tmp_path, who, code):
    version = staff.submit("R0001", tmp_path, reviewer="S0001")
    path = tmp_path / "fx-quota-hub.zh-CN.md"
    answers = [staff.cli(who, "submit", str(path), "--reviewer", "S0001"),
               staff.cli(who, "list"), staff.move(who, "approve", version),
               staff.move(who, "withdraw", version)]
    assert [answer.exit_code for answer in answers] == [1, 1, 1, 1]
    assert EN.text(f"kb_cli.refused.{code}") in answers[0].output
    moves = ["supervisors_only"] if who == "A1024" else [code]
    assert EN.text(f"kb_cli.refused.{moves[0]}") in answers[2].output
    with hub.engine.connect() as connection:
        assert kb_articles.listing(connection, Principal(
            "S0001", "supervisor", "T1"), "published", "fx-quota-hub") == []


def test_a_draft_or_a_review_never_reaches_the_pull_and_the_import_runs_once(hub, staff,
                                                                            tmp_path):
    runner, english = CliRunner(), {"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}
    first = runner.invoke(main, ["hub", "kb", "import", "--db", hub.db_url], env=english)
    again = runner.invoke(main, ["hub", "kb", "import", "--db", hub.db_url], env=english)
    assert first.exit_code == again.exit_code == 0, first.output
    articles = shipped_library().articles
    assert EN.text("kb_cli.imported", count=len(articles)) in first.output
    assert EN.text("kb_cli.import_kept") in again.output
    staff.submit("R0001", tmp_path, reviewer="S0001")  # in review, never approved
    token = staff.tokens["A1024"]
    device = register_device(hub, token)
    pulled, cursor = [], ""
    for _ in range(50):  # the snapshot (cases, then the articles), then the feed
        page = httpx.post(f"{hub.url}/v1/sync/pull", json={
            "device_id": device, "cursor": cursor, "limit": 40},
            headers={"Authorization": f"Bearer {token}"}, timeout=20).json()
        pulled += [change for change in page["changes"] if change["entity"] == "kb_article"]
        if page["cursor"] == cursor and not page["changes"]:
            break
        cursor = page["cursor"]
    sent = {(change["data"]["id"], change["data"]["lang"]) for change in pulled}
    published = {(a.id, a.lang) for a in articles if a.published}
    assert sent == published
    assert {change["data"]["status"] for change in pulled} == {"published"}
    unpublished = {a.id for a in articles if not a.published} | {"fx-quota-hub"}
    assert len(unpublished) == 3 and not {article_id for article_id, _ in sent} & unpublished


def test_a_workstation_keeps_the_last_set_it_pulled_while_offline(hub, agent, staff, tmp_path):
    version = staff.submit("R0001", tmp_path, reviewer="S0001")
    staff.move("S0001", "approve", version)
    assert agent.sync(hub.url).ok
    hub.kill()
    report = agent.sync(hub.url)
    assert report.error == "offline"
    assert "fx-quota-hub" in found(agent, "便利化额度")
    kb.publish(agent.connection, shipped_library().articles)  # a restart, offline
    assert "fx-quota-hub" in found(agent, "便利化额度")
    assert sqlite3.connect(agent.path).execute(
        "SELECT status FROM kb_hub_articles WHERE id = 'fx-quota-hub'").fetchall() == [
        ("published",)]


def test_hub_seed_gives_the_demo_hub_the_librarys_articles_once(tmp_path):
    db = str(tmp_path / "demo-hub.db")
    runner = CliRunner()
    seeded = runner.invoke(main, ["hub", "seed", "--db", db, "--customers", "20"],
                           env={"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"})
    assert seeded.exit_code == 0, seeded.output
    articles = shipped_library().articles
    assert EN.text("kb_cli.imported", count=len(articles)) in seeded.output
    held = sqlite3.connect(db).execute(
        "SELECT status, count(*) FROM kb_articles GROUP BY status").fetchall()
    assert dict(held) == {status: sum(a.status == status for a in articles)
                          for status in {a.status for a in articles}}
    again = runner.invoke(main, ["hub", "kb", "import", "--db", db],
                          env={"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"})
    assert EN.text("kb_cli.import_kept") in again.output


def test_a_workstation_indexes_the_hubs_words_and_cuts_none_itself(hub, agent, staff,
                                                                  tmp_path, monkeypatch):
    """The hub cut each published article once (``hub kb import``, an approval); a sync
    brings them with their words, and the workstation indexes them without rjieba: found by a
    two-character word, each index row as the workstation would have cut it."""
    imported = CliRunner().invoke(main, ["hub", "kb", "import", "--db", hub.db_url],
                                  env={"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"})
    assert imported.exit_code == 0, imported.output
    version = staff.submit("R0001", tmp_path, reviewer="S0001")
    assert staff.move("S0001", "approve", version).exit_code == 0

    def no_dictionary(text):
        raise AssertionError(f"cut on the workstation: {text[:20]}")

    monkeypatch.setattr(segment, "words", no_dictionary)
    assert agent.sync(hub.url).ok
    assert "card-loss-phone" in found(agent, "挂失")
    assert "fx-quota-hub" in found(agent, "便利化额度")
    monkeypatch.undo()
    published = {(a.id, a.lang) for a in shipped_library().articles if a.published}
    rows = agent.connection.execute(
        "SELECT article_id, lang, title, keywords, body, title_chars, body_chars "
        "FROM kb_index").fetchall()
    assert {(row[0], row[1]) for row in rows} == published | {("fx-quota-hub", "zh-CN")}
    for row in rows:
        assert row == kb.index_row(kb.article(agent.connection, row[0], row[1]))
