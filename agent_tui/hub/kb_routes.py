"""The hub's routes for the knowledge base's workflow (issue 18): submit a version into review,
approve it, withdraw it, list the versions. Who may do what, and the moves themselves, are in
``kb_articles``; this only speaks HTTP, and puts a refused move on the record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from agent_tui.hub import kb_articles, wire
from agent_tui.hub.database import reading
from agent_tui.hub.http import ERRORS, Caller, HubError, body
from agent_tui.hub.http_guard import StrictRoute
from agent_tui.sync.kb_protocol import KB_STATUSES, KbArticle, KbArticles, KbMove, KbSubmit

router = APIRouter(route_class=StrictRoute)
_REFUSALS = {**ERRORS, **wire.errors(404, 409)}
ArticleId = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-z0-9-]+$")]
Lang = Annotated[str, Path(pattern=r"^(zh-CN|en)$")]
Version = Annotated[int, Path(ge=1, le=1_000_000)]
_ARTICLE = "/v1/kb/articles/{article_id}/{lang}/{version}"


def _move(request: Request, caller, name: str, target: list, move, *args) -> Response:
    """Make ``move`` in one transaction; a refusal is audited (in a transaction of its own,
    the move's having rolled back) and answered with its code."""
    state = request.app.state
    now = state.clock()
    try:
        with state.engine.begin() as connection:
            article = move(connection, caller, *args, now)
    except kb_articles.KbRefused as refusal:
        if caller.role in kb_articles.AUTHORS:  # an agent's try is refused by role, not logged
            with state.engine.begin() as connection:
                kb_articles.audit_refusal(connection, caller, name, refusal, now,
                                          target=target)
        raise HubError(refusal.status, refusal.code, refusal.detail) from None
    return wire.reply(article)


@router.post("/v1/kb/articles", responses={200: wire.content(KbArticle), **_REFUSALS},
             openapi_extra=wire.request(KbSubmit))
def submit(payload: Annotated[KbSubmit, body(KbSubmit)], caller: Caller,
           request: Request) -> Response:
    """A new version of an article into review (a supervisor's or a trainer's), naming the
    supervisor asked to approve it; the hub numbers it."""
    return _move(request, caller, "kb.submit", [payload.id, payload.lang],
                 kb_articles.submit, payload)


@router.post(_ARTICLE + "/approve", responses={200: wire.content(KbArticle), **_REFUSALS},
             openapi_extra=wire.request(KbMove))
def approve(article_id: ArticleId, lang: Lang, version: Version,
            payload: Annotated[KbMove, body(KbMove)], caller: Caller,
            request: Request) -> Response:
    """Publish a version in review: a supervisor who is not its author; stamped by the hub."""
    return _move(request, caller, "kb.approve", [article_id, lang, version],
                 kb_articles.approve, article_id, lang, version, payload.reason)


@router.post(_ARTICLE + "/withdraw", responses={200: wire.content(KbArticle), **_REFUSALS},
             openapi_extra=wire.request(KbMove))
def withdraw(article_id: ArticleId, lang: Lang, version: Version,
             payload: Annotated[KbMove, body(KbMove)], caller: Caller,
             request: Request) -> Response:
    """Take a published version away from agents (at their next sync): a supervisor."""
    return _move(request, caller, "kb.withdraw", [article_id, lang, version],
                 kb_articles.withdraw, article_id, lang, version, payload.reason)


@router.get("/v1/kb/articles", responses={200: wire.content(KbArticles), **_REFUSALS})
def listing(caller: Caller, request: Request,
            status: Annotated[str | None, Query(pattern="^(" + "|".join(KB_STATUSES) + ")$")
                              ] = None,
            article: Annotated[str | None, Query(max_length=32)] = None) -> Response:
    """Every version of every article (without its text), for authors and reviewers."""
    try:
        with reading(request.app.state.engine) as connection:
            found = kb_articles.listing(connection, caller, status, article)
    except kb_articles.KbRefused as refusal:
        raise HubError(refusal.status, refusal.code, refusal.detail) from None
    return wire.reply(KbArticles(found))
