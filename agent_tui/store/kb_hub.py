"""The knowledge base's articles as the hub's pull sends them (change kind ``kb_article``, issue
18): a published version replaces what agents read of that article and language, a withdrawn one
takes it away, at once and in the pull's transaction, in the same table and index the library's
articles fill (``store.kb``), so search, F9, the call's panel and F8 see no difference.

The hub is the authority: for an article and language it has published or withdrawn, its word
counts over the library's file (``kb.publish`` keeps it so at start-up). Only newer states apply
(a version only grows; a withdrawal comes after its publication). Offline, the store keeps what it
last pulled.

A published article comes with its words as the hub cut them (``WORD_FIELDS``): they go into the
index when each reads as its text, so a session that pulls articles never loads rjieba's 33 MB;
an older hub's row, or words that are not its text's, are cut here as the library's are.
"""

from __future__ import annotations

import re
import sqlite3

from agent_tui.domain.kb import CATEGORIES, LANGUAGES, WORD_FIELDS, Article
from agent_tui.domain.text import sanitize
from agent_tui.store import kb

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_STATES = ("published", "withdrawn")


def _rank(version: int, status: str) -> int:
    return version * 2 + (1 if status == "withdrawn" else 0)


def _words(value: object) -> str:
    if not isinstance(value, list):
        return ""
    return " ".join(sanitize(word) for word in value if isinstance(word, str))


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return sanitize(value).strip() if isinstance(value, str) else ""


def _long_text(data: dict, key: str) -> str:
    """A title or a body: sanitised where it is written for agents (``kb.replace_one``, as the
    library's are), once; checked here only for being there."""
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def keep(connection: sqlite3.Connection, data: object) -> bool:
    """Apply one pulled article; False (skipped) for one not newer than held, or malformed."""
    if not isinstance(data, dict):
        return False
    article_id, lang, version, status = (data.get("id"), data.get("lang"), data.get("version"),
                                         data.get("status"))
    if not (isinstance(article_id, str) and _ID.match(article_id) and lang in LANGUAGES
            and isinstance(version, int) and version >= 1 and status in _STATES
            and data.get("category") in CATEGORIES):
        return False
    held = connection.execute(
        "SELECT version, status FROM kb_hub_articles WHERE id = ? AND lang = ?",
        (article_id, lang)).fetchone()
    if held is not None and _rank(*held) >= _rank(version, status):
        return False
    title, body = _long_text(data, "title"), _long_text(data, "body")
    if status == "published" and not (title and body):
        return False
    row = {"id": article_id, "lang": lang, "version": version, "status": status,
           "title": title, "category": data["category"],
           "request_types": _words(data.get("request_types")),
           "keywords": _words(data.get("keywords")), "body": body,
           **{key: _text(data, key) for key in ("author", "approved_by", "approved_at",
                                                 "withdrawn_by", "withdrawn_at")}}
    connection.execute(
        f"INSERT OR REPLACE INTO kb_hub_articles ({', '.join(row)}) "
        f"VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
    kb.replace_one(connection, article_id, lang, Article(
        id=article_id, lang=lang, version=version, title=title, category=row["category"],
        body=body, request_types=tuple(row["request_types"].split()),
        keywords=tuple(row["keywords"].split()), author=row["author"], status="published",
        approved_by=row["approved_by"], approved_at=row["approved_at"],
    ) if status == "published" else None, tuple(data.get(field) for field in WORD_FIELDS))
    return True
