"""Knowledge-base articles: what one is, which of them agents may read, and how a search answer
marks the words it matched.

An article is written once per language (``id`` + ``lang``) and goes through
draft → review → published; only a published version, with who approved it and when, reaches
agents (the store holds nothing else). Request types tie an article to the call's procedure ids,
so the call can suggest it before the agent types anything.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from agent_tui.domain import segment
from agent_tui.domain.localized import in_language
from agent_tui.domain.text import sanitize

STATUSES = ("draft", "review", "published")
CATEGORIES = ("procedure", "fee", "rate", "card", "account", "fraud", "complaint")
LANGUAGES = ("zh-CN", "en")

# A search answer's snippet and title carry these around each matched word (FTS5 highlight()).
# Control characters: the store sanitises them out of every text it keeps, so they cannot come
# from an article; the screens turn them into styles and never into markup.
MATCH_START = "\x02"
MATCH_END = "\x03"
ELLIPSIS = "…"
# A published article's title, keywords and body cut into words by the hub (``cut_words``): the
# columns of the hub's kb_articles and the fields of the pull's kb_article that carry them.
WORD_FIELDS = ("title_words", "keywords_words", "body_words")


class Article(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    lang: str
    title: str
    category: str
    body: str  # Markdown
    request_types: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    version: int = 1
    status: str = "draft"
    author: str = ""
    reviewer: str = ""
    approved_by: str = ""
    approved_at: str = ""  # ISO 8601 with its offset

    @property
    def published(self) -> bool:
        return self.status == "published" and bool(self.approved_by and self.approved_at)

    def reference(self) -> str:
        """How the notes cite it: short, stable, and found again by ``kb search``."""
        return f"KB:{self.id} v{self.version}"


class SearchHit(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    lang: str
    title: str  # with MATCH_START / MATCH_END around matched words
    snippet: str  # likewise, with ELLIPSIS where the body was cut
    category: str
    version: int
    score: float  # bm25: lower is better


def marked_spans(text: str) -> list[tuple[str, bool]]:
    """``text`` as (piece, matched) pairs; markers that do not pair up are dropped."""
    spans: list[tuple[str, bool]] = []
    matched = False
    piece: list[str] = []
    for char in text:
        if char in (MATCH_START, MATCH_END):
            if piece:
                spans.append(("".join(piece), matched))
                piece = []
            matched = char == MATCH_START
            continue
        piece.append(char)
    if piece:
        spans.append(("".join(piece), matched))
    return spans


def unmarked(text: str) -> str:
    return text.replace(MATCH_START, "").replace(MATCH_END, "")


def plain_text(markdown: str) -> str:
    """What a search indexes and a snippet shows: the words, without Markdown's marks."""
    lines = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if set(stripped) <= set("|-: "):  # a table's rule, a blank line
            continue
        stripped = stripped.strip("|").replace(" | ", "，" if _mostly_cjk(stripped) else ", ")
        stripped = stripped.lstrip("-*#> ").replace("**", "").replace("`", "")
        lines.append(stripped.strip())
    return " ".join(line for line in lines if line)


def searched_texts(title: str, keywords: Iterable[str], body: str) -> tuple[str, str, str]:
    """What the search indexes of an article: its title, keywords and body as plain text (the
    index's word columns before they are cut into words, and its characters' columns)."""
    return (sanitize(title), " ".join(sanitize(word) for word in keywords),
            sanitize(plain_text(body)))


def cut_words(texts: tuple[str, str, str]) -> tuple[str, str, str]:
    """``searched_texts`` cut into words (rjieba: its dictionary loads here). The hub cuts a
    published article once and sends the words with it; a workstation cuts only what comes
    without them (the library's own articles, an older hub's)."""
    title, keywords, body = (segment.words(text) for text in texts)
    return title, keywords, body


def words_for(texts: tuple[str, str, str], offered: object) -> tuple[str, str, str]:
    """The words to index ``texts`` by: ``offered`` (the hub's) when each is the cut of its
    text, so an index never holds words that are not its article's; else cut here."""
    if (isinstance(offered, (tuple, list)) and len(offered) == len(texts)
            and all(isinstance(words, str) and segment.readable(words) == text
                    for words, text in zip(offered, texts, strict=True))):
        title, keywords, body = offered
        return title, keywords, body
    return cut_words(texts)


def _mostly_cjk(text: str) -> bool:
    return sum("\u3400" <= char <= "\u9fff" for char in text) * 3 > len(text)


def first_sentence(article: Article) -> str:
    """The article's first sentence, for a quote in the notes (the whole first line if it has
    no sentence end)."""
    text = plain_text(article.body)
    for index, char in enumerate(text):
        if char in "。！？" or (char in ".!?" and text[index + 1:index + 2] in (" ", "")):
            return text[:index + 1]
    return text[:120]


def quote_line(article: Article) -> str:
    """What F8 puts into the call's notes: the first sentence, and where it comes from."""
    quoted = in_language(article.lang, f"「{first_sentence(article)}」",
                         f"\"{first_sentence(article)}\" ")
    return f"{quoted}[{article.reference()}]"
