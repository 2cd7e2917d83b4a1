"""The knowledge base's articles in the scripts library: the shipped ones load, and each mistake
is reported with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent_tui.i18n import Catalog
from agent_tui.library import LibraryError, load_library

SHIPPED = Path(__file__).resolve().parents[2] / "scripts_library"
HEADER = """+++
id = "card-loss-phone"
lang = "en"
title = "Reporting a lost card"
category = "card"
request_types = ["business"]
version = 1
status = "published"
author = "T2001"
approved_by = "S3001"
approved_at = 2026-10-19T15:19:00+08:00
+++

Body.
"""


def test_the_shipped_library_has_at_least_sixty_published_articles_in_both_languages():
    library = load_library(SHIPPED)
    published = [article for article in library.articles if article.published]
    ids = {article.id for article in published}
    assert len(ids) >= 60
    for article_id in ids:
        assert {a.lang for a in published if a.id == article_id} == {"zh-CN", "en"}
    assert {article.status for article in library.articles} == {"draft", "review", "published"}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("kb"))
    (folder / "kb").mkdir()
    return folder


def _problems(folder: Path) -> list[str]:
    with pytest.raises(LibraryError) as raised:
        load_library(folder)
    return [problem.text(Catalog.load("en")) for problem in raised.value.problems]


@pytest.mark.parametrize(("change", "line", "words"), [
    (('status = "published"', 'status = "draft"'), 10, "approved_by is set"),
    (('approved_by = "S3001"\n', ""), 8, "add approved_by"),
    (("approved_at = 2026-10-19T15:19:00+08:00", 'approved_at = "yesterday"'), 11,
     "not a date and time"),
    (('category = "card"', 'category = "cards"'), 5, "unknown category 'cards'"),
    (('request_types = ["business"]', 'request_types = ["loans"]'), 6,
     "unknown request type 'loans'"),
    (('version = 1', 'version = 1\ncolour = "red"'), 8, "colour"),
    (('status = "published"', 'status = "review"'), 8, "names its reviewer"),
    (("+++\n\nBody.", "\nBody."), 1, "header between two '+++' lines"),
])
def test_each_mistake_names_its_file_and_line(library: Path, change, line, words):
    for lang in ("en", "zh-CN"):
        text = HEADER.replace('lang = "en"', f'lang = "{lang}"').replace(*change)
        (library / "kb" / f"card-loss-phone.{lang}.md").write_text(text, encoding="utf-8")
    problems = _problems(library)
    assert any(f"card-loss-phone.en.md:{line}:" in problem and words in problem
               for problem in problems), problems


def test_an_article_in_one_language_only_is_reported(library: Path):
    (library / "kb" / "card-loss-phone.en.md").write_text(HEADER, encoding="utf-8")
    assert any("card-loss-phone.en.md:2:" in problem and "no zh-CN version" in problem
               for problem in _problems(library))


def test_a_file_named_unlike_its_id_is_reported(library: Path):
    (library / "kb" / "lost.en.md").write_text(HEADER, encoding="utf-8")
    (library / "kb" / "card-loss-phone.zh-CN.md").write_text(
        HEADER.replace('lang = "en"', 'lang = "zh-CN"'), encoding="utf-8")
    assert any("lost.en.md:2:" in problem and "card-loss-phone.en.md" in problem
               for problem in _problems(library))
