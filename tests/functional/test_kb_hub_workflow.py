"""The knowledge base's workflow on the hub's database, move by move (``hub/kb_articles.py``): the
hub numbers versions, a new submission supersedes an open review, publishing supersedes the older
published version, and each refusal has its own code. Over HTTP, with the CLI and a workstation:
test_kb_hub.py."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec
import pytest
from sqlalchemy import select

from agent_tui.domain.kb import WORD_FIELDS, cut_words, searched_texts
from agent_tui.hub import kb_articles
from agent_tui.hub.auth import Principal, create_token, revoke_token
from agent_tui.hub.kb_articles import KbRefused
from agent_tui.hub.schema import change_log
from agent_tui.sync.kb_protocol import KbSubmit

NOW = datetime(2026, 12, 1, 10, 0)
TRAINER = Principal("R0001", "trainer", "T1")
LEAD = Principal("S0001", "supervisor", "T1")
OTHER_LEAD = Principal("S0002", "supervisor", "T2")


@pytest.fixture
def hub(engine):
    for who in ("S0001", "S0002"):
        create_token(engine, who, "supervisor", "T1", NOW, None)
    return engine


def draft(reviewer: str = "S0001", **changes) -> KbSubmit:
    return KbSubmit(**{"id": "wire-limits", "lang": "en", "title": "Transfer limits",
                       "category": "account", "body": "Class II: CNY 10,000 a day.",
                       "reviewer": reviewer, **changes})


def move(hub, name: str, *args):
    with hub.begin() as connection:
        return getattr(kb_articles, name)(connection, *args, NOW)


def refused(hub, name: str, *args) -> tuple[int, str]:
    with pytest.raises(KbRefused) as raised:
        move(hub, name, *args)
    return raised.value.status, raised.value.code


def statuses(hub) -> list[tuple[int, str]]:
    with hub.connect() as connection:
        return [(a.version, a.status) for a in kb_articles.listing(
            connection, LEAD, None, "wire-limits")]


def test_versions_are_the_hubs_and_each_move_supersedes_what_it_replaces(hub):
    first = move(hub, "submit", TRAINER, draft())
    second = move(hub, "submit", TRAINER, draft(title="Transfer limits (new)"))
    assert (first.version, second.version) == (1, 2)
    assert statuses(hub) == [(2, "review"), (1, "superseded")]
    published = move(hub, "approve", LEAD, "wire-limits", "en", 2, "")
    assert (published.approved_by, published.approved_at[:16]) == ("S0001", "2026-12-01T10:00")
    move(hub, "submit", TRAINER, draft(reviewer="S0002"))
    move(hub, "approve", OTHER_LEAD, "wire-limits", "en", 3, "")
    assert statuses(hub) == [(3, "published"), (2, "superseded"), (1, "superseded")]
    withdrawn = move(hub, "withdraw", LEAD, "wire-limits", "en", 3, "limit changed")
    assert (withdrawn.status, withdrawn.withdrawn_by) == ("withdrawn", "S0001")


def test_each_refusal_has_its_code(hub):
    assert refused(hub, "submit", LEAD, draft(reviewer="S0001")) == (400, "kb_own_review")
    assert refused(hub, "submit", TRAINER, draft(reviewer="A1024")) == (
        400, "kb_unknown_reviewer")
    assert refused(hub, "submit", TRAINER, draft(category="gossip")) == (
        400, "kb_unknown_category")
    assert refused(hub, "submit", TRAINER, draft(body="\x1b\x00")) == (400, "kb_empty")
    assert refused(hub, "submit", Principal("A1024", "agent", "T1"), draft()) == (
        403, "kb_authors_only")
    move(hub, "submit", LEAD, draft(reviewer="S0002"))
    assert refused(hub, "approve", LEAD, "wire-limits", "en", 1, "") == (403, "kb_own_article")
    assert refused(hub, "approve", TRAINER, "wire-limits", "en", 1, "") == (
        403, "supervisors_only")
    assert refused(hub, "approve", OTHER_LEAD, "wire-limits", "en", 9, "") == (
        404, "kb_unknown_article")
    assert refused(hub, "withdraw", OTHER_LEAD, "wire-limits", "en", 1, "") == (
        409, "kb_not_published")
    move(hub, "approve", OTHER_LEAD, "wire-limits", "en", 1, "")
    assert refused(hub, "approve", OTHER_LEAD, "wire-limits", "en", 1, "") == (
        409, "kb_not_in_review")


def test_a_reviewer_whose_tokens_are_revoked_or_expired_cannot_be_named(hub):
    token_id, _ = create_token(hub, "S0009", "supervisor", "T1", NOW, None)
    revoke_token(hub, token_id, NOW)
    create_token(hub, "S0008", "supervisor", "T1", NOW, timedelta(days=-1))
    for reviewer in ("S0009", "S0008"):
        assert refused(hub, "submit", TRAINER, draft(reviewer=reviewer)) == (
            400, "kb_unknown_reviewer")


def test_the_snapshot_pages_through_the_latest_published_or_withdrawn_version(hub):
    for number in range(5):
        move(hub, "submit", TRAINER, draft(id=f"art-{number}"))
        move(hub, "approve", LEAD, f"art-{number}", "en", 1, "")
    move(hub, "withdraw", LEAD, "art-2", "en", 1, "")
    move(hub, "submit", TRAINER, draft(id="art-9"))  # in review: never sent
    sent, after = [], ""
    with hub.connect() as connection:
        for _ in range(10):
            page, after = kb_articles.snapshot(connection, after, 2)
            sent += page
            if after is None:
                break
    assert [(change.id, change.version, change.data["status"]) for change in sent] == [
        ("art-0/en", 2, "published"), ("art-1/en", 2, "published"),
        ("art-2/en", 3, "withdrawn"), ("art-3/en", 2, "published"),
        ("art-4/en", 2, "published")]


def words(article) -> tuple:
    return tuple(getattr(article, field) for field in WORD_FIELDS)


def test_a_version_is_cut_into_words_once_when_published_and_the_pull_carries_them(hub):
    """The hub cuts the title, keywords and body as the store would (``domain.kb``), on
    approval; the feed and the snapshot carry them with a publication, not with a withdrawal;
    a version in review and the authors' listing have none."""
    in_review = move(hub, "submit", TRAINER, draft(lang="zh-CN", title="银行卡挂失",
                                                    body="**电话挂失**后，到网点补卡。",
                                                    keywords=["挂失", "补卡"]))
    assert words(in_review) == (None, None, None)
    published = move(hub, "approve", LEAD, "wire-limits", "zh-CN", 1, "")
    expected = cut_words(searched_texts("银行卡挂失", ["挂失", "补卡"], "**电话挂失**后，到网点补卡。"))
    assert words(published) == expected and "\u200b挂失\u200b" in expected[2]
    with hub.connect() as connection:
        snapshot, _ = kb_articles.snapshot(connection, "", 10)
        listed = kb_articles.listing(connection, LEAD, "published", "wire-limits")
    assert tuple(snapshot[0].data[field] for field in WORD_FIELDS) == expected
    assert words(listed[0]) == (None, None, None)
    move(hub, "withdraw", LEAD, "wire-limits", "zh-CN", 1, "")
    with hub.connect() as connection:
        feed = [msgspec.json.decode(data) for data in connection.execute(
            select(change_log.c.data).where(change_log.c.entity == "kb_article")
            .order_by(change_log.c.seq)).scalars()]
        snapshot, _ = kb_articles.snapshot(connection, "", 10)
    assert [(row["status"], tuple(row[field] for field in WORD_FIELDS)) for row in feed] == [
        ("published", expected), ("withdrawn", (None, None, None))]
    assert snapshot[0].data["title_words"] is None
