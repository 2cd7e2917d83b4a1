"""The knowledge base's articles in the scripts library: ``kb/**/<id>.<lang>.md``, each a TOML
header between ``+++`` lines and a Markdown body, checked with every problem as ``file:line``.

Every article is read and checked, whatever its status: a draft with a mistake is caught before it
goes to review. Which of them agents see is the store's business (published only).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import msgspec
import tomli

from agent_tui.domain.kb import CATEGORIES, LANGUAGES, STATUSES, Article
from agent_tui.library.problem import Problem

FENCE = "+++"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _Header(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str
    lang: str
    title: str
    category: str
    request_types: list[str] = msgspec.field(default_factory=list)
    keywords: list[str] = msgspec.field(default_factory=list)
    version: int = 1
    status: str
    author: str
    reviewer: str = ""
    approved_by: str = ""
    approved_at: str = ""


class _File:
    """One article file: its path, its lines, and where each header key is written."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def key_line(self, key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number, line in enumerate(self.lines[1:], start=2):
            if line.strip() == FENCE:
                break
            if pattern.match(line):
                return number
        return 1

    def split(self) -> tuple[str, str, int] | None:
        """(header, body, line of the closing fence), or None without a header."""
        if not self.lines or self.lines[0].strip() != FENCE:
            return None
        for number, line in enumerate(self.lines[1:], start=2):
            if line.strip() == FENCE:
                return ("\n".join(self.lines[1:number - 1]),
                        "\n".join(self.lines[number:]).strip(), number)
        return None


def _problem(path: Path, line: int | None, key: str, **values: object) -> Problem:
    return Problem(str(path), line, key, values)


def _read_one(path: Path, procedures: frozenset[str], problems: list[Problem]) -> Article | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(_problem(path, None, "library.not_text"))
        return None
    except OSError as error:
        problems.append(_problem(path, None, "library.unreadable",
                                 reason=error.strerror or str(error)))
        return None
    file = _File(path, text)
    parts = file.split()
    if parts is None:
        problems.append(_problem(path, 1, "kb.no_header", fence=FENCE))
        return None
    header_text, body, _fence_line = parts
    try:
        data = tomli.loads(header_text)
    except tomli.TOMLDecodeError as error:
        line = (error.lineno + 1) if getattr(error, "lineno", None) else 1
        problems.append(_problem(path, line, "library.syntax", reason=str(error)))
        return None
    if isinstance(data.get("approved_at"), datetime):  # TOML's own date-time, unquoted
        data["approved_at"] = data["approved_at"].isoformat()
    try:
        header = msgspec.convert(data, _Header, strict=True)
    except msgspec.ValidationError as error:
        found = re.search(r"`\$\.([\w-]+)", str(error))
        unknown = re.search(r"unknown field `([\w-]+)`", str(error))
        key = unknown[1] if unknown else found[1] if found else ""
        problems.append(_problem(path, file.key_line(key) if key else 1, "library.bad_entry",
                                 reason=str(error)))
        return None
    before = len(problems)

    def bad(key: str, message: str, **values: object) -> None:
        problems.append(_problem(path, file.key_line(key), message, **values))

    if not _ID.match(header.id):
        bad("id", "kb.bad_id", id=header.id)
    if header.lang not in LANGUAGES:
        bad("lang", "library.unknown_language", id=header.id, language=header.lang,
            languages=", ".join(LANGUAGES))
    if path.name != f"{header.id}.{header.lang}.md":
        bad("id", "kb.file_name", expected=f"{header.id}.{header.lang}.md")
    if header.category not in CATEGORIES:
        bad("category", "kb.unknown_category", category=header.category,
            categories=", ".join(CATEGORIES))
    for request_type in header.request_types:
        if request_type not in procedures:
            bad("request_types", "kb.unknown_request_type", type=request_type,
                types=", ".join(sorted(procedures)))
    if not header.title.strip():
        bad("title", "kb.empty", what="title")
    if not body:
        problems.append(_problem(path, parts[2], "kb.empty", what="body"))
    if header.version < 1:
        bad("version", "kb.bad_version", version=header.version)
    _check_status(header, bad)
    if len(problems) > before:
        return None
    return Article(
        id=header.id, lang=header.lang, title=header.title.strip(), category=header.category,
        body=body, request_types=tuple(header.request_types), keywords=tuple(header.keywords),
        version=header.version, status=header.status, author=header.author,
        reviewer=header.reviewer, approved_by=header.approved_by, approved_at=header.approved_at,
    )


def _check_status(header: _Header, bad) -> None:
    """The workflow: a draft has no reviewer's approval; in review names its reviewer; published
    says who approved it and when (a time with its offset)."""
    if header.status not in STATUSES:
        bad("status", "kb.unknown_status", status=header.status, statuses=", ".join(STATUSES))
        return
    if header.status == "published":
        if not header.approved_by.strip():
            bad("status", "kb.needs_approval", field="approved_by")
        if not _is_time(header.approved_at):
            bad("approved_at" if header.approved_at else "status", "kb.bad_approved_at",
                value=header.approved_at)
    else:
        for key in ("approved_by", "approved_at"):
            if getattr(header, key):
                bad(key, "kb.approved_not_published", field=key, status=header.status)
        if header.status == "review" and not header.reviewer.strip():
            bad("status", "kb.needs_reviewer")


def _is_time(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def read_article(path: Path, procedures: frozenset[str],
                 problems: list[Problem]) -> Article | None:
    """One article file, checked as the library's are (``agent-tui kb submit`` sends it)."""
    return _read_one(Path(path), procedures, problems)


def load_articles(folder: Path, procedures: frozenset[str],
                  problems: list[Problem]) -> tuple[Article, ...]:
    """The articles under ``folder/kb``; problems are added to ``problems``."""
    root = Path(folder) / "kb"
    if not root.is_dir():
        return ()
    articles: list[Article] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in sorted(root.rglob("*.md")):
        article = _read_one(path, procedures, problems)
        if article is None:
            continue
        key = (article.id, article.lang)
        if key in seen:
            problems.append(_problem(path, 2, "kb.duplicate", id=article.id, lang=article.lang,
                                     first=str(seen[key])))
            continue
        seen[key] = path
        articles.append(article)
    languages: dict[str, set[str]] = {}
    for article in articles:
        languages.setdefault(article.id, set()).add(article.lang)
    for article in articles:
        for missing in sorted(set(LANGUAGES) - languages[article.id]):
            if article.lang == LANGUAGES[0] or LANGUAGES[0] not in languages[article.id]:
                problems.append(_problem(seen[(article.id, article.lang)], 2,
                                         "kb.missing_language", id=article.id, language=missing))
    return tuple(articles)
