"""The store's side of the knowledge base from the hub: a pulled article joins the search at once,
a newer version replaces the older, a withdrawal takes it away, an older state never comes back,
and for an article and language the hub sent, its word counts over the library's at start-up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from agent_tui.domain import segment
from agent_tui.domain.kb import WORD_FIELDS, Article, cut_words, searched_texts
from agent_tui.library import load_library
from agent_tui.store import Store, kb, kb_hub

SHIPPED = Path(__file__).resolve().parents[2] / "scripts_library"


@pytest.fixture(scope="module")
def articles() -> tuple[Article, ...]:
    return load_library(SHIPPED).articles


@pytest.fixture
def connection(tmp_path, articles) -> sqlite3.Connection:
    store = Store.open(tmp_path / "store.db", create=True)
    kb.publish(store.connection(), articles)
    yield store.connection()
    store.close()


def pulled(article_id: str = "hub-only-note", lang: str = "zh-CN", version: int = 1,
           status: str = "published", title: str = "外币兑换额度说明",
           body: str = "每人每年便利化额度为等值五万美元。") -> dict:
    return {"id": article_id, "lang": lang, "version": version, "status": status,
            "title": title, "category": "procedure", "request_types": [],
            "keywords": ["外汇", "额度"], "body": body, "author": "R0001",
            "approved_by": "S0001", "approved_at": "2026-12-01T10:00:00+08:00"}


def ids(connection, query: str, lang: str = "zh-CN") -> set[str]:
    return {hit.id for hit in kb.search(connection, query, lang)}


def test_a_published_article_is_found_at_once_and_read_as_the_hub_approved_it(connection):
    assert "hub-only-note" not in ids(connection, "便利化额度")
    assert kb_hub.keep(connection, pulled())
    assert "hub-only-note" in ids(connection, "便利化额度")
    found = kb.article(connection, "hub-only-note", "zh-CN")
    assert (found.version, found.approved_by, found.author) == (1, "S0001", "R0001")


def test_a_newer_version_replaces_the_older_and_an_older_never_comes_back(connection):
    kb_hub.keep(connection, pulled(version=1, body="旧的说法：便利化额度为三万美元。"))
    assert kb_hub.keep(connection, pulled(version=2))
    assert not kb_hub.keep(connection, pulled(version=1, body="旧的说法：便利化额度为三万美元。"))
    assert "hub-only-note" not in ids(connection, "三万")  # the old version's word
    assert kb.article(connection, "hub-only-note", "zh-CN").version == 2
    assert connection.execute("SELECT count(*) FROM kb_index WHERE article_id = ?",
                              ("hub-only-note",)).fetchone() == (1,)


def test_a_withdrawal_takes_it_away_and_its_publication_again_does_not_return_it(connection):
    kb_hub.keep(connection, pulled(version=3))
    assert kb_hub.keep(connection, pulled(version=3, status="withdrawn"))
    assert "hub-only-note" not in ids(connection, "便利化额度")
    assert kb.article(connection, "hub-only-note", "zh-CN") is None
    assert not kb_hub.keep(connection, pulled(version=3))  # the same version, published: older
    assert kb_hub.keep(connection, pulled(version=4))  # a new version is published again
    assert "hub-only-note" in ids(connection, "便利化额度")


def test_the_hub_withdrawing_a_library_article_keeps_it_away_after_a_restart(connection,
                                                                             articles):
    shipped = next(a for a in articles if a.id == "card-loss-phone" and a.lang == "zh-CN")
    assert "card-loss-phone" in ids(connection, "挂失")
    kb_hub.keep(connection, pulled("card-loss-phone", version=shipped.version,
                                   status="withdrawn", title=shipped.title, body=shipped.body))
    assert "card-loss-phone" not in ids(connection, "挂失")
    assert kb.publish(connection, articles) is None  # start-up: nothing to rewrite
    assert kb.publish(connection, articles, force=True)  # and a full rewrite agrees
    assert "card-loss-phone" not in ids(connection, "挂失")
    # The English one the hub said nothing of is the library's still.
    assert kb.article(connection, "card-loss-phone", "en") is not None


def test_the_hubs_version_counts_over_the_librarys_at_start_up(connection, articles):
    kb_hub.keep(connection, pulled("card-loss-phone", version=9, title="挂失新规",
                                   body="新版：手机银行挂失后请到网点补卡。"))
    kb.publish(connection, articles, force=True)
    found = kb.article(connection, "card-loss-phone", "zh-CN")
    assert (found.version, found.title) == (9, "挂失新规")


@pytest.mark.parametrize("bad", [
    None, [], {"id": "x"}, pulled(article_id="Bad Id"), pulled(lang="fr"), pulled(version=0),
    pulled(status="review"), pulled(status="draft"), {**pulled(), "category": "gossip"},
    pulled(body=""), {**pulled(), "version": "2"}])
def test_a_draft_or_a_malformed_row_is_skipped(connection, bad):
    assert not kb_hub.keep(connection, bad)
    assert "hub-only-note" not in ids(connection, "便利化额度")


def test_hostile_text_from_the_hub_is_kept_clean(connection, hostile_strings):
    for number, entry in enumerate(hostile_strings[:20], start=1):
        kb_hub.keep(connection, pulled(f"hostile-{number}", title=f"额度 {entry['text']}",
                                       body=f"便利化额度 {entry['text']}"))
    for (title, body) in connection.execute(
            "SELECT title, body FROM kb_articles WHERE id LIKE 'hostile-%'"):
        assert "\x1b" not in title + body and "\x00" not in title + body


def lost_card(**words) -> dict:
    """A published article with the words the hub cut (``cut_words``), or ``words`` instead."""
    row = pulled("hub-lost-card", title="银行卡挂失说明", body="电话挂失后，请持身份证到网点补卡。")
    row["keywords"] = ["挂失", "补卡"]
    texts = searched_texts(row["title"], row["keywords"], row["body"])
    return {**row, **dict(zip(WORD_FIELDS, cut_words(texts), strict=True)), **words}


def indexed_words(connection) -> tuple:
    return connection.execute(
        "SELECT title, keywords, body FROM kb_index WHERE article_id = 'hub-lost-card'"
    ).fetchone()


def test_the_hubs_words_are_indexed_without_cutting_here(connection, monkeypatch):
    sent = lost_card()

    def no_dictionary(text):
        raise AssertionError(f"cut on the workstation: {text}")

    monkeypatch.setattr(segment, "words", no_dictionary)
    assert kb_hub.keep(connection, sent)
    assert "hub-lost-card" in ids(connection, "挂失")
    assert indexed_words(connection) == tuple(sent[field] for field in WORD_FIELDS)
    monkeypatch.undo()
    article = kb.article(connection, "hub-lost-card", "zh-CN")
    index = connection.execute("SELECT article_id, lang, title, keywords, body, title_chars, "
                               "body_chars FROM kb_index WHERE article_id = 'hub-lost-card'")
    assert index.fetchone() == kb.index_row(article)  # as if it had been cut here


@pytest.mark.parametrize("words", [
    {"title_words": "银行\u200b卡\u200b挂失\u200b规定"},  # not this title's words
    {"body_words": "伪造的正文"}, {"keywords_words": None}, {"body_words": ["电话"]}])
def test_words_that_are_not_the_articles_are_ignored_and_cut_here(connection, words):
    assert kb_hub.keep(connection, lost_card(**words))
    assert "hub-lost-card" in ids(connection, "挂失")
    texts = searched_texts("银行卡挂失说明", ["挂失", "补卡"], "电话挂失后，请持身份证到网点补卡。")
    assert indexed_words(connection) == cut_words(texts)


def test_an_older_hubs_row_without_words_is_cut_here(connection):
    assert kb_hub.keep(connection, pulled("hub-lost-card", title="银行卡挂失说明",
                                          body="电话挂失后，请持身份证到网点补卡。"))
    assert "hub-lost-card" in ids(connection, "挂失")
    assert segment.SEPARATOR in indexed_words(connection)[0]
