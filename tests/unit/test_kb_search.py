"""The knowledge base's search finds Chinese words that FTS5's own tokenizers cannot, ranks with
bm25, marks what it matched, and shows agents published articles only."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_tui.domain import segment
from agent_tui.domain.kb import Article, marked_spans, plain_text
from agent_tui.library import load_library
from agent_tui.store import Store, kb

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


def _plain_index(tokenizer: str, articles) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE t USING fts5(id, body, tokenize = '{tokenizer}')")
    connection.executemany("INSERT INTO t VALUES (?, ?)", [
        (a.id, f"{a.title} {plain_text(a.body)}") for a in articles if a.lang == "zh-CN"])
    return connection


@pytest.mark.parametrize("word", ["挂失", "密码"])
def test_unicode61_and_trigram_alone_miss_two_character_words_and_ours_finds_them(
        word, articles, connection):
    having = {a.id for a in articles if a.lang == "zh-CN" and a.published
              and word in a.title + " ".join(a.keywords) + plain_text(a.body)}
    assert len(having) >= 5

    def found_by(tokenizer: str) -> set[str]:
        return {row[0] for row in _plain_index(tokenizer, articles).execute(
            "SELECT id FROM t WHERE t MATCH ?", (f'"{word}"',))}

    # unicode61 takes a run of ideographs as one token: only a word standing alone between
    # punctuation is found. trigram cannot match fewer than three characters at all.
    assert len(found_by("unicode61") & having) <= len(having) // 3
    assert found_by("trigram") == set()
    hits = kb.search(connection, word, "zh-CN", limit=100)
    assert {hit.id for hit in hits} == having
    assert all(any(matched and piece == word for piece, matched in marked_spans(hit.title)
                   + marked_spans(hit.snippet)) for hit in hits)


def test_the_best_answer_comes_first(connection):
    assert kb.search(connection, "挂失", "zh-CN")[0].id == "card-loss-phone"
    assert kb.search(connection, "忘记密码", "zh-CN")[0].id == "password-reset"
    assert kb.search(connection, "lost card", "en")[0].id == "card-loss-phone"
    assert kb.search(connection, "安全账户", "zh-CN")[0].id == "fraud-safe-account"
    scores = [hit.score for hit in kb.search(connection, "手续费", "zh-CN")]
    assert scores == sorted(scores)


def test_a_word_cut_differently_in_the_article_is_found_by_its_characters(connection):
    # 丢卡 is no word of the index (the articles say 丢 only inside other words): it is sought
    # whole, as the phrase of its characters.
    assert "丢卡" in kb.query_terms(connection, "丢卡")
    assert kb.search(connection, "丢卡", "zh-CN")[0].id == "card-loss-phone"


def test_a_snippet_reads_as_written(connection):
    hit = kb.search(connection, "临时挂失", "zh-CN")[0]
    assert segment.SEPARATOR not in hit.snippet + hit.title
    assert "".join(piece for piece, _ in marked_spans(hit.title)) == "银行卡电话挂失（临时挂失）"


def test_only_published_articles_are_in_the_store(connection, articles):
    drafts = {a.id for a in articles if not a.published}
    assert drafts
    assert kb.count(connection) == sum(a.published for a in articles)
    assert not {hit.id for hit in kb.search(connection, "积分", None, 50)} & drafts
    assert not {hit.id for hit in kb.search(connection, "二维码", None, 50)} & drafts
    assert kb.article(connection, "credit-card-points", "zh-CN") is None


def test_what_the_agent_types_is_never_read_as_fts5_syntax(connection):
    for query in ['"', "NEAR(", "挂失 OR", "title:x", "*", "-", "(密码", "'; DROP TABLE"]:
        kb.search(connection, query, None)  # no error


def test_publishing_again_changes_nothing_until_the_articles_change(connection, articles):
    assert kb.publish(connection, articles) is None
    fewer = tuple(a for a in articles if a.id != "card-loss-phone")
    assert kb.publish(connection, fewer) == kb.count(connection)
    assert kb.search(connection, "挂失", "zh-CN")[0].id != "card-loss-phone"


def test_suggestions_follow_the_notes_and_start_from_the_request_type(connection):
    typed = kb.suggest(connection, "complaint", "", "zh-CN")
    assert typed and all(kb.article(connection, hit.id, "zh-CN").request_types.count("complaint")
                         for hit in typed)
    assert kb.suggest(connection, "business", "客户说卡丢了，要挂失", "zh-CN")[0].id == \
        "card-loss-phone"


def test_feedback_is_kept_and_cannot_be_changed(connection):
    kb.record_feedback(connection, article_id="card-loss-phone", lang="zh-CN", version=2,
                       agent_id="A1024", call_id=None, helpful=True, at=datetime.now(UTC))
    assert kb.feedback(connection, "card-loss-phone") == [("A1024", 2, True)]
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("UPDATE kb_feedback SET helpful = 0")
