"""The knowledge base's workflow on the hub (issue 18): the hub, not a file, records who wrote an
article's version, who approved it and when (by its own clock), and who withdrew it.

- ``submit``: a supervisor or a trainer (the author: the token's) sends a new version into
  review, naming a supervisor to review it; the version number is the hub's (one past the
  highest held), and a draft or review still open for the same article and language is
  superseded by it.
- ``approve``: a supervisor who is not the author: review → published, stamped with who and
  when; the version published before it is superseded.
- ``withdraw``: a supervisor: published → withdrawn (the author may withdraw their own: taking
  an article away is never the risky direction).

Agents and the telephony system do none of these. Every move is in ``audit_log``, and so is a
refusal of a move by a role that may make it (approving one's own, a stale version). Published
and withdrawn versions go into the change log (``kb_article``, audience ``all``); a draft or a
review never leaves the hub. A version is cut into words (rjieba) once, when it is published
(``approve``, ``import_library``), and the pull carries its words: workstations index them
without loading the dictionary.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import Connection, and_, func, select, tuple_, update

from agent_tui.domain.ids import new_id
from agent_tui.domain.kb import CATEGORIES, WORD_FIELDS, Article
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.hub import changes
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import is_postgres
from agent_tui.hub.kb_schema import kb_articles, words_of
from agent_tui.hub.schema import audit_log, tokens
from agent_tui.sync.kb_protocol import KbArticle, KbSubmit
from agent_tui.sync.protocol import Change

AUTHORS = ("supervisor", "trainer")
REVIEWERS = ("supervisor",)
SENT = ("published", "withdrawn")  # what leaves the hub
ENTITY = "kb_article"


class KbRefused(Exception):
    """A move the hub will not make: the HTTP status and the code the CLI translates."""

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail


def change_version(version: int, status: str) -> int:
    """The pull's version of an article's state: a withdrawal of version n comes after its
    publication, and both before version n + 1's."""
    return version * 2 + (1 if status == "withdrawn" else 0)


def entity_id(article_id: str, lang: str) -> str:
    return f"{article_id}/{lang}"


def _words(value: str) -> list[str]:
    return list(msgspec.json.decode(value or "[]"))


def _article(row) -> KbArticle:
    data = {str(key): value for key, value in row._mapping.items()}  # plain str keys
    data["request_types"] = _words(data["request_types"])
    data["keywords"] = _words(data["keywords"])
    return msgspec.convert(data, KbArticle)


def _row(connection: Connection, article_id: str, lang: str, version: int, *, lock: bool = False):
    query = select(kb_articles).where(kb_articles.c.id == article_id,
                                      kb_articles.c.lang == lang,
                                      kb_articles.c.version == version)
    return connection.execute(query.with_for_update() if lock else query).first()


def _audit(connection: Connection, principal: Principal, action: str, now: datetime,
           **detail: object) -> None:
    connection.execute(audit_log.insert().values(
        id=new_id(), at=iso(now), agent_id=principal.agent_id, action=action, customer_id=None,
        received_at=iso(now), detail=msgspec.json.encode(detail).decode()))


def audit_refusal(connection: Connection, principal: Principal, move: str, refusal: KbRefused,
                  now: datetime, **detail: object) -> None:
    """A refused move, on the record with its reason (written after the move rolled back)."""
    _audit(connection, principal, "kb.refused", now, move=move, reason=refusal.code, **detail)


def _sent(article: KbArticle) -> dict:
    """An article as the pull carries it: a withdrawal without the words (nothing to index)."""
    data = msgspec.to_builtins(article)
    if article.status != "published":
        data.update(dict.fromkeys(WORD_FIELDS))
    return data


def _send(connection: Connection, article: KbArticle, now: datetime) -> None:
    changes.record(connection, ENTITY, entity_id(article.id, article.lang),
                   change_version(article.version, article.status), _sent(article), ("all",),
                   now)


def _live_supervisor(connection: Connection, agent_id: str, now: datetime) -> bool:
    return connection.execute(select(tokens.c.id).where(
        tokens.c.agent_id == agent_id, tokens.c.role.in_(REVIEWERS),
        tokens.c.revoked_at.is_(None),
        (tokens.c.expires_at.is_(None)) | (tokens.c.expires_at > iso(now))).limit(1)
    ).first() is not None


def submit(connection: Connection, principal: Principal, draft: KbSubmit,
           now: datetime) -> KbArticle:
    if principal.role not in AUTHORS:
        raise KbRefused(403, "kb_authors_only")
    if draft.category not in CATEGORIES:
        raise KbRefused(400, "kb_unknown_category", draft.category)
    reviewer = sanitize(draft.reviewer).strip()
    if reviewer == principal.agent_id:
        raise KbRefused(400, "kb_own_review")
    if not _live_supervisor(connection, reviewer, now):
        raise KbRefused(400, "kb_unknown_reviewer", reviewer)
    title, body = sanitize(draft.title).strip(), sanitize(draft.body, multiline=True).strip()
    if not title or not body:
        raise KbRefused(400, "kb_empty")
    same = and_(kb_articles.c.id == draft.id, kb_articles.c.lang == draft.lang)
    if is_postgres(connection):  # two authors at once: one number each, in turn
        connection.execute(select(func.pg_advisory_xact_lock(
            func.hashtext(entity_id(draft.id, draft.lang)))))
    version = (connection.execute(select(func.max(kb_articles.c.version)).where(same)).scalar()
               or 0) + 1
    connection.execute(update(kb_articles).where(
        same, kb_articles.c.status.in_(("draft", "review"))).values(status="superseded"))
    values = {"id": draft.id, "lang": draft.lang, "version": version, "status": "review",
              "title": title, "category": draft.category, "body": body,
              "request_types": _clean_words(draft.request_types),
              "keywords": _clean_words(draft.keywords), "author": principal.agent_id,
              "reviewer": reviewer, "submitted_at": iso(now)}
    connection.execute(kb_articles.insert().values(**values))
    _audit(connection, principal, "kb.submit", now, id=draft.id, lang=draft.lang,
           version=version, reviewer=reviewer)
    return _article(_row(connection, draft.id, draft.lang, version))


def _with_offset(now: datetime) -> str:
    """An approval's time as the articles write it: with its offset (the hub's zone)."""
    return now.astimezone().isoformat(timespec="seconds")


def _clean_words(words: list[str]) -> str:
    cleaned = [sanitize(word).strip() for word in words]
    return msgspec.json.encode([word for word in cleaned if word]).decode()


def approve(connection: Connection, principal: Principal, article_id: str, lang: str,
            version: int, reason: str, now: datetime) -> KbArticle:
    if principal.role not in REVIEWERS:
        raise KbRefused(403, "supervisors_only")
    row = _row(connection, article_id, lang, version, lock=True)
    if row is None:
        raise KbRefused(404, "kb_unknown_article")
    if row.author == principal.agent_id:
        raise KbRefused(403, "kb_own_article")
    if row.status != "review":
        raise KbRefused(409, "kb_not_in_review", row.status)
    connection.execute(update(kb_articles).where(
        kb_articles.c.id == article_id, kb_articles.c.lang == lang,
        kb_articles.c.status == "published").values(status="superseded"))
    connection.execute(update(kb_articles).where(
        kb_articles.c.id == article_id, kb_articles.c.lang == lang,
        kb_articles.c.version == version).values(
        status="published", approved_by=principal.agent_id, approved_at=_with_offset(now),
        **words_of(row.title, row.keywords, row.body)))
    article = _article(_row(connection, article_id, lang, version))
    _send(connection, article, now)
    _audit(connection, principal, "kb.approve", now, id=article_id, lang=lang, version=version,
           author=row.author, reason=sanitize(reason))
    return article


def withdraw(connection: Connection, principal: Principal, article_id: str, lang: str,
             version: int, reason: str, now: datetime) -> KbArticle:
    if principal.role not in REVIEWERS:
        raise KbRefused(403, "supervisors_only")
    row = _row(connection, article_id, lang, version, lock=True)
    if row is None:
        raise KbRefused(404, "kb_unknown_article")
    if row.status != "published":
        raise KbRefused(409, "kb_not_published", row.status)
    connection.execute(update(kb_articles).where(
        kb_articles.c.id == article_id, kb_articles.c.lang == lang,
        kb_articles.c.version == version).values(
        status="withdrawn", withdrawn_by=principal.agent_id, withdrawn_at=_with_offset(now)))
    article = _article(_row(connection, article_id, lang, version))
    _send(connection, article, now)
    _audit(connection, principal, "kb.withdraw", now, id=article_id, lang=lang, version=version,
           reason=sanitize(reason))
    return article


def listing(connection: Connection, principal: Principal, status: str | None,
            article_id: str | None) -> list[KbArticle]:
    """Every version (without its text), newest first per article: for authors and reviewers."""
    if principal.role not in AUTHORS:
        raise KbRefused(403, "kb_authors_only")
    query = select(*(column for column in kb_articles.c
                     if column.name not in ("body", *WORD_FIELDS)))
    if status:
        query = query.where(kb_articles.c.status == status)
    if article_id:
        query = query.where(kb_articles.c.id == article_id)
    rows = connection.execute(query.order_by(kb_articles.c.id, kb_articles.c.lang,
                                             kb_articles.c.version.desc()).limit(5000)).all()
    return [_article(row) for row in rows]


def snapshot(connection: Connection, after: str, limit: int) -> tuple[list[Change], str | None]:
    """Each article's latest published or withdrawn version, by (id, lang) after ``after``
    (``id/lang``), for a workstation starting from nothing; and the key to go on from, or None
    when this was the last page."""
    newest = select(kb_articles.c.id, kb_articles.c.lang,
                    func.max(kb_articles.c.version).label("version")).where(
        kb_articles.c.status.in_(SENT)).group_by(kb_articles.c.id, kb_articles.c.lang).subquery()
    query = select(kb_articles).join(newest, and_(
        kb_articles.c.id == newest.c.id, kb_articles.c.lang == newest.c.lang,
        kb_articles.c.version == newest.c.version))
    if after:
        after_id, _, after_lang = after.partition("/")
        query = query.where(tuple_(kb_articles.c.id, kb_articles.c.lang) > (after_id, after_lang))
    rows = connection.execute(query.order_by(kb_articles.c.id, kb_articles.c.lang)
                              .limit(limit + 1)).all()
    found = []
    for row in rows[:limit]:
        article = _article(row)
        found.append(Change(ENTITY, entity_id(article.id, article.lang),
                            change_version(article.version, article.status), "upsert",
                            _sent(article)))
    if len(rows) > limit:
        last = rows[limit - 1]
        return found, entity_id(last.id, last.lang)
    return found, None


def import_library(connection: Connection, articles: tuple[Article, ...], now: datetime) -> int:
    """The library's articles as their files say (draft, review or published, with the files'
    approvals: the demo's history), for each article and language the hub holds nothing of yet;
    so once. Returns how many were written."""
    held = set(connection.execute(select(kb_articles.c.id, kb_articles.c.lang).distinct()).all())
    written = 0
    for article in articles:
        if (article.id, article.lang) in held:
            continue
        keywords = msgspec.json.encode(list(article.keywords)).decode()
        connection.execute(kb_articles.insert().values(
            id=article.id, lang=article.lang, version=article.version, status=article.status,
            title=article.title, category=article.category, body=article.body,
            request_types=msgspec.json.encode(list(article.request_types)).decode(),
            keywords=keywords, author=article.author, reviewer=article.reviewer,
            submitted_at=iso(now), approved_by=article.approved_by,
            approved_at=article.approved_at,
            **(words_of(article.title, keywords, article.body)
               if article.status == "published" else {})))
        if article.status == "published":
            _send(connection, _article(_row(connection, article.id, article.lang,
                                            article.version)), now)
        written += 1
    if written:
        connection.execute(audit_log.insert().values(
            id=new_id(), at=iso(now), agent_id="hub", action="kb.import", customer_id=None,
            received_at=iso(now), detail=msgspec.json.encode({"articles": written}).decode()))
    return written
