"""The knowledge base's workflow on the hub's API (issue 18): what an author submits, and an
article's version as the hub holds it. Apart from ``protocol`` (near 400 lines); the same rules:
plain structs, decoded strictly by the hub, encoded by the client."""

from __future__ import annotations

from typing import Annotated

import msgspec

from agent_tui.sync.protocol import Id, one_of

ArticleId = Annotated[str, msgspec.Meta(min_length=1, max_length=32,
                                        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Words = Annotated[list[Annotated[str, msgspec.Meta(min_length=1, max_length=80)]],
                  msgspec.Meta(max_length=40)]
KB_STATUSES = ("draft", "review", "published", "withdrawn", "superseded")


class KbSubmit(msgspec.Struct, frozen=True, kw_only=True):
    """A new version of an article, into review; the hub gives it its number and its author
    (the token's), and asks ``reviewer`` (a supervisor, never the author) to approve it."""

    id: ArticleId
    lang: one_of("zh-CN", "en")
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    category: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=60_000)]
    reviewer: Id
    request_types: Words = []
    keywords: Words = []


class KbMove(msgspec.Struct, frozen=True, kw_only=True):
    """An approval or a withdrawal: why, in a word, for the audit (a withdrawal's reason tells
    the authors what was wrong)."""

    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class KbArticle(msgspec.Struct, frozen=True, kw_only=True):
    """One version of one article in one language, as the hub holds it (and as the pull carries
    a published or withdrawn one, change kind ``kb_article``)."""

    id: str
    lang: str
    version: int
    status: one_of(*KB_STATUSES)
    title: str
    category: str
    request_types: list[str] = []
    keywords: list[str] = []
    body: str = ""  # empty in a listing
    author: str = ""
    reviewer: str = ""
    submitted_at: str = ""
    approved_by: str = ""
    approved_at: str = ""  # the hub's clock
    withdrawn_by: str = ""
    withdrawn_at: str = ""
    # A published version's title, keywords and body cut into words by the hub
    # (domain.kb.WORD_FIELDS): the pull carries them, a workstation indexes them as they are
    # when each reads as its text. None before publication, in a listing, and once withdrawn.
    title_words: str | None = None
    keywords_words: str | None = None
    body_words: str | None = None


class KbArticles(msgspec.Struct, frozen=True):
    articles: list[KbArticle]
