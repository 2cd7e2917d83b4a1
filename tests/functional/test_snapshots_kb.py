"""Snapshots of the knowledge base: the search with its marked words and the reader, at 80x24 in
both languages, and the Chinese search at 120x40."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from screens.kb_article import ArticleScreen
from screens.knowledge_base import KnowledgeBaseScreen
from screens.search import SearchScreen
from tests.screen import settled, wait_for, wait_for_screen

# One xdist worker for all snapshots, as the others (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("snapshots")

SMALL, LARGE = (80, 24), (120, 40)
QUERIES = {"en": "lost card", "zh-CN": "挂失"}


def _snap(snap_compare, app, size, run_before) -> None:
    async def run_then_settle(pilot) -> None:
        await run_before(pilot)
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_then_settle)


async def _searched(pilot, language: str) -> KnowledgeBaseScreen:
    await wait_for_screen(pilot, SearchScreen)
    await wait_for(pilot, lambda: pilot.app.store is not None)
    await pilot.press("f9")
    screen = await wait_for_screen(pilot, KnowledgeBaseScreen)
    screen.query_one("#kb-query", Input).value = QUERIES[language]
    await wait_for(pilot, lambda: screen.hits)
    return screen


@pytest.mark.parametrize(("language", "size"), [("en", SMALL), ("zh-CN", SMALL),
                                                ("zh-CN", LARGE)],
                         ids=["en-80x24", "zh-CN-80x24", "zh-CN-120x40"])
def test_knowledge_base_search(snap_compare, small_store, make_app, language, size):
    async def run_before(pilot) -> None:
        await _searched(pilot, language)

    _snap(snap_compare, make_app(small_store, language), size, run_before)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_knowledge_base_article(snap_compare, small_store, make_app, language):
    async def run_before(pilot) -> None:
        await _searched(pilot, language)
        await pilot.press("enter", "enter")
        reader = await wait_for_screen(pilot, ArticleScreen)
        await wait_for(pilot, lambda: reader.article is not None)

    _snap(snap_compare, make_app(small_store, language), SMALL, run_before)
