"""The knowledge base in the store: the published articles, their search, and agents' feedback.

Only published articles are written here (``publish``); the store is what agents read, so a draft
never reaches a screen. The index is rewritten whole when the library's articles change (a digest
in ``meta``): at most a few thousand rows, written in one transaction at start-up or seeding.
An article the hub's pull brings replaces its one row in the table and the index (``replace_one``,
from ``store.kb_hub``), and counts over the library's file of the same article and language.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Collection
from datetime import datetime

import msgspec

from agent_tui.domain import segment
from agent_tui.domain.ids import new_id
from agent_tui.domain.kb import (
    ELLIPSIS,
    MATCH_END,
    MATCH_START,
    Article,
    SearchHit,
    searched_texts,
    words_for,
)
from agent_tui.domain.mutation_args import KbFeedback
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.store import outbox
from agent_tui.store.database import transaction

DIGEST_KEY = "kb_digest"
_WORD_COLUMNS = "title keywords body"
_CHAR_COLUMNS = "title_chars body_chars"
SNIPPET_TOKENS = 24


def digest(articles: tuple[Article, ...] | list[Article]) -> str:
    published = sorted((a for a in articles if a.published), key=lambda a: (a.id, a.lang))
    return hashlib.sha256(msgspec.json.encode(published)).hexdigest()


def publish(connection: sqlite3.Connection, articles: tuple[Article, ...] | list[Article],
            force: bool = False) -> int | None:
    """Make the store hold exactly the published ``articles``, except where the hub's pull
    said otherwise: for an article and language the hub published or withdrew, the hub's
    state counts (``store.kb_hub``). None if the store already held exactly that."""
    wanted = f"{digest(articles)}:{hub_mark(connection)}"
    found = connection.execute("SELECT value FROM meta WHERE key = ?", (DIGEST_KEY,)).fetchone()
    if found and found[0] == wanted and not force:
        return None
    hub = hub_articles(connection)
    published = [article for article in articles
                 if article.published and (article.id, article.lang) not in hub]
    published += [article for article in hub.values() if article is not None]
    with transaction(connection):
        connection.execute("DELETE FROM kb_articles")
        connection.execute("DELETE FROM kb_index")
        connection.executemany(
            "INSERT INTO kb_articles (id, lang, version, title, category, request_types, "
            "keywords, body, author, approved_by, approved_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [_article_row(article) for article in published])
        connection.executemany(_INDEX_INSERT, [index_row(article) for article in published])
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                           (DIGEST_KEY, wanted))
    return len(published)


def hub_mark(connection: sqlite3.Connection) -> str:
    """What the hub's articles held here amount to: changes whenever a pull changes one (a
    version only grows, and a withdrawal counts one more)."""
    held, total = connection.execute(
        "SELECT count(*), coalesce(sum(version * 2 + (status = 'withdrawn')), 0) "
        "FROM kb_hub_articles").fetchone()
    return f"{held}.{total}"


def hub_articles(connection: sqlite3.Connection) -> dict[tuple[str, str], Article | None]:
    """The hub's word on each article and language it sent: the published version, or None
    for a withdrawn one."""
    found: dict[tuple[str, str], Article | None] = {}
    for (article_id, lang, version, status, title, category, request_types, keywords, body,
         author, approved_by, approved_at) in connection.execute(
            "SELECT id, lang, version, status, title, category, request_types, keywords, body, "
            "author, approved_by, approved_at FROM kb_hub_articles"):
        found[(article_id, lang)] = Article(
            id=article_id, lang=lang, version=version, title=title, category=category,
            request_types=tuple(request_types.split()), keywords=tuple(keywords.split()),
            body=body, author=author, status="published", approved_by=approved_by,
            approved_at=approved_at) if status == "published" else None
    return found


def replace_one(connection: sqlite3.Connection, article_id: str, lang: str,
                article: Article | None, words: object = None) -> None:
    """One article and language as agents read it from now on: ``article``, or none (in the
    caller's transaction; the pull's). ``words``: its title, keywords and body as the hub cut
    them, used when they are the cut of this article's text (``index_row``)."""
    connection.execute("DELETE FROM kb_index WHERE rowid = (SELECT rowid FROM kb_articles "
                       "WHERE id = ? AND lang = ?)", (article_id, lang))
    connection.execute("DELETE FROM kb_articles WHERE id = ? AND lang = ?", (article_id, lang))
    if article is not None:
        connection.execute(
            "INSERT INTO kb_articles (id, lang, version, title, category, request_types, "
            "keywords, body, author, approved_by, approved_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            _article_row(article))
        connection.execute(_INDEX_INSERT, index_row(article, words))
    found = connection.execute("SELECT value FROM meta WHERE key = ?", (DIGEST_KEY,)).fetchone()
    if found:  # the library's part stands; the hub's part is what the store now holds
        connection.execute("UPDATE meta SET value = ? WHERE key = ?", (
            f"{found[0].split(':')[0]}:{hub_mark(connection)}", DIGEST_KEY))


def _article_row(article: Article) -> tuple:
    return (article.id, article.lang, article.version, sanitize(article.title),
            article.category, " ".join(article.request_types), " ".join(article.keywords),
            sanitize(article.body, multiline=True), article.author, article.approved_by,
            article.approved_at)


# An article's row in the index has its kb_articles row's rowid: one article is found and
# replaced there by rowid (a pull's), where a match on an UNINDEXED column reads the whole index.
_INDEX_INSERT = (
    "INSERT INTO kb_index (rowid, article_id, lang, title, keywords, body, title_chars, "
    "body_chars) VALUES ((SELECT rowid FROM kb_articles WHERE id = ?1 AND lang = ?2), "
    "?1, ?2, ?3, ?4, ?5, ?6, ?7)")


def index_row(article: Article, words: object = None) -> tuple:
    """What the index holds of one article (the bench writes its 10,000 the same way).
    ``words``: (title, keywords, body) already cut, the hub's, taken only when each reads as
    its text (``domain.kb.words_for``); else, or None, rjieba cuts them here."""
    texts = searched_texts(article.title, article.keywords, article.body)
    title, keywords, body = texts
    cut_title, cut_keywords, cut_body = words_for(texts, words)
    return (article.id, article.lang, cut_title, cut_keywords, cut_body,
            segment.characters(f"{title} {keywords}"), segment.characters(body))


def search(connection: sqlite3.Connection, query: str, lang: str | None = None,
           limit: int = 20, every: bool = True) -> list[SearchHit]:
    """Published articles matching ``query``, best first (bm25), with the matches marked.

    ``every``: all the query's words must be found; when none is found that way, any of them.
    """
    terms = query_terms(connection, query)
    if not terms:
        return []
    hits = _search(connection, terms, lang, limit, every)
    if not hits and every and len(terms) > 1:
        hits = _search(connection, terms, lang, limit, False)
    return hits


def query_terms(connection: sqlite3.Connection, query: str) -> list[str]:
    """The words of ``query`` sought, cut against the words this store's index holds."""
    return segment.query_terms(sanitize(query), lambda words: _known(connection, words))


def _known(connection: sqlite3.Connection, words: Collection[str]) -> set[str]:
    """Which of ``words`` the index holds (as a word or a keyword), through FTS5's own list of
    its terms: one lookup per candidate, no dictionary in memory."""
    if not words:
        return set()
    connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_terms "
                       "USING fts5vocab(main, kb_index, 'row')")
    asked, held = list(words), set()
    for start in range(0, len(asked), _TERMS_PER_QUERY):  # long notes: under SQLite's limit
        chunk = asked[start:start + _TERMS_PER_QUERY]
        held.update(term for (term,) in connection.execute(
            f"SELECT term FROM temp.kb_terms WHERE term IN ({','.join('?' * len(chunk))})",
            chunk))
    return held


_TERMS_PER_QUERY = 500


def _search(connection: sqlite3.Connection, terms: list[str], lang: str | None, limit: int,
            every: bool) -> list[SearchHit]:
    expression = segment.match_expression(terms, _WORD_COLUMNS, _CHAR_COLUMNS, every)
    start, end, cut = MATCH_START, MATCH_END, ELLIPSIS
    rows = connection.execute(
        f"SELECT rowid, article_id, lang, highlight(kb_index, 2, '{start}', '{end}'), "
        f"snippet(kb_index, 4, '{start}', '{end}', '{cut}', {SNIPPET_TOKENS}), rank "
        "FROM kb_index WHERE kb_index MATCH ? AND (? IS NULL OR lang = ?) ORDER BY rank LIMIT ?",
        (expression, lang, lang, limit)).fetchall()
    # The characters' columns are marked only for rows whose title or snippet shows no match by
    # words (a word rjieba cut differently, a keyword): the rest need no second highlight.
    unmarked_rows = [row[0] for row in rows
                     if MATCH_START not in row[3] or MATCH_START not in row[4]]
    by_characters = {rowid: (title, body) for rowid, title, body in connection.execute(
        f"SELECT rowid, highlight(kb_index, 5, '{start}', '{end}'), "
        f"snippet(kb_index, 6, '{start}', '{end}', '{cut}', {SNIPPET_TOKENS}) FROM kb_index "
        f"WHERE kb_index MATCH ? AND rowid IN ({','.join('?' * len(unmarked_rows))})",
        [expression, *unmarked_rows]).fetchall()} if unmarked_rows else {}
    facts = {(article_id, article_lang): (category, version) for article_id, article_lang,
             category, version in connection.execute(
                 "SELECT id, lang, category, version FROM kb_articles WHERE id IN "
                 f"({','.join('?' * len(rows))})", [row[1] for row in rows]).fetchall()}
    hits = []
    for rowid, article_id, article_lang, title, body, score in rows:
        if (article_id, article_lang) not in facts:
            continue
        chars_title, chars_body = by_characters.get(rowid, ("", ""))
        category, version = facts[(article_id, article_lang)]
        hits.append(SearchHit(
            id=article_id, lang=article_lang, title=_marked_first(title, chars_title),
            snippet=_marked_first(body, chars_body), category=category, version=version,
            score=score))
    return hits


def _marked_first(words: str, characters: str) -> str:
    """The word column's text if it shows a match, else the characters' (which then does)."""
    chosen = words if MATCH_START in words or MATCH_START not in characters else characters
    return segment.readable(chosen)


def suggest(connection: sqlite3.Connection, request_type: str, notes: str, lang: str,
            limit: int = 5) -> list[SearchHit]:
    """Articles for the call: the request type's own that the latest notes speak of, then the
    rest of the request type's, then others the notes speak of. The notes fill with approved
    phrases (greetings, thanks) that match articles by chance: the request type comes first."""
    recent = notes.strip()[-200:]
    hits = search(connection, recent, lang, limit * 3, every=False) if recent else []
    typed = _of_request_type(connection, request_type, lang) if request_type else []
    typed_ids = {hit.id for hit in typed}
    hit_ids = {hit.id for hit in hits}
    ordered = ([hit for hit in hits if hit.id in typed_ids]
               + [hit for hit in typed if hit.id not in hit_ids]
               + [hit for hit in hits if hit.id not in typed_ids])
    return ordered[:limit]


def _of_request_type(connection: sqlite3.Connection, request_type: str,
                     lang: str) -> list[SearchHit]:
    rows = connection.execute(
        "SELECT id, lang, title, category, version FROM kb_articles WHERE lang = ? "
        "AND (' ' || request_types || ' ') LIKE ? ORDER BY category, title",
        (lang, f"% {request_type} %")).fetchall()
    return [SearchHit(id=article_id, lang=article_lang, title=title, snippet="",
                      category=category, version=version, score=0.0)
            for article_id, article_lang, title, category, version in rows]


def article(connection: sqlite3.Connection, article_id: str, lang: str) -> Article | None:
    row = connection.execute(
        "SELECT id, lang, version, title, category, request_types, keywords, body, author, "
        "approved_by, approved_at FROM kb_articles WHERE id = ? AND lang = ?",
        (article_id, lang)).fetchone()
    if row is None:
        return None
    (found_id, found_lang, version, title, category, request_types, keywords, body, author,
     approved_by, approved_at) = row
    return Article(id=found_id, lang=found_lang, version=version, title=title,
                   category=category, request_types=tuple(request_types.split()),
                   keywords=tuple(keywords.split()), body=body, author=author,
                   status="published", approved_by=approved_by, approved_at=approved_at)


def count(connection: sqlite3.Connection) -> int:
    return connection.execute("SELECT count(*) FROM kb_articles").fetchone()[0]


def record_feedback(connection: sqlite3.Connection, *, article_id: str, lang: str, version: int,
                    agent_id: str, call_id: str | None, helpful: bool, at: datetime) -> str:
    """One agent's word on one article's version: kept, never changed, and queued for the hub
    (where the authors read it) in the same transaction."""
    feedback_id = new_id()
    with transaction(connection):
        connection.execute(
            "INSERT INTO kb_feedback (id, article_id, lang, version, agent_id, call_id, helpful, "
            "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (feedback_id, article_id, lang, version, agent_id, call_id, int(helpful), iso(at)))
        outbox.enqueue(connection, "kb.feedback", KbFeedback(
            id=feedback_id, article_id=article_id, lang=lang, version=version, helpful=helpful,
            call_id=call_id, at=iso(at)), at)
    return feedback_id


def feedback(connection: sqlite3.Connection, article_id: str) -> list[tuple[str, int, bool]]:
    """(agent, version, helpful) for one article, oldest first."""
    return [(agent, version, bool(helpful)) for agent, version, helpful in connection.execute(
        "SELECT agent_id, version, helpful FROM kb_feedback WHERE article_id = ? ORDER BY at, id",
        (article_id,)).fetchall()]
