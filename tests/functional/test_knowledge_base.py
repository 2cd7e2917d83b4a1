"""The knowledge base in the workstation: F9 / ctrl+k from anywhere, a Chinese search with the
matched words marked, the reader, F8 quoting into the call's notes, the suggestions that follow
the notes without taking the focus, and feedback kept in the store."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input, OptionList

from screens.call import CallScreen
from screens.kb_article import ArticleScreen
from screens.knowledge_base import KnowledgeBaseScreen
from screens.search import SearchScreen
from screens.widgets.kb_panel import KbSuggestions
from screens.widgets.notes_editor import NotesEditor
from screens.widgets.textual_private import notifications
from tests.call_driver import a_caller, focus, start_call
from tests.screen import screen_text, unsafe_segments, wait_for, wait_for_screen


async def _kb_search(pilot, text: str) -> KnowledgeBaseScreen:
    screen = await wait_for_screen(pilot, KnowledgeBaseScreen)
    screen.query_one("#kb-query", Input).value = text
    await wait_for(pilot, lambda: screen.hits and screen.query_one(
        "#kb-results", OptionList).option_count == len(screen.hits))
    return screen


async def test_f9_searches_chinese_and_enter_reads_the_article(writable_store, make_app):
    app = make_app(writable_store, "zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press("f9")
        screen = await _kb_search(pilot, "挂失")
        assert screen.hits[0].id == "card-loss-phone"
        assert "银行卡电话挂失（临时挂失）" in screen_text(app)
        assert not unsafe_segments(app)
        await pilot.press("enter")  # from the search box: into the results
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")
        reader = await wait_for_screen(pilot, ArticleScreen)
        await wait_for(pilot, lambda: reader.article is not None)
        text = screen_text(app)
        assert "临时挂失有效期为" in text and "S3001" in text and "KB:card-loss-phone" in text
        await pilot.press("plus")
        await wait_for(pilot, lambda: any("card-loss-phone" in str(n.message)
                                          for n in notifications(app)))
        await pilot.press("f3")
        await wait_for_screen(pilot, KnowledgeBaseScreen)
        await pilot.press("ctrl+k")  # again: back to its search box, not a second one
        assert isinstance(app.focused, Input)
        assert sum(isinstance(s, KnowledgeBaseScreen) for s in app.screen_stack) == 1
    connection = sqlite3.connect(writable_store)
    assert connection.execute("SELECT article_id, helpful, agent_id FROM kb_feedback").fetchall() \
        == [("card-loss-phone", 1, app.config.agent.id)]


async def test_no_result_says_what_to_do(writable_store, make_app):
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press("ctrl+k")
        await wait_for_screen(pilot, KnowledgeBaseScreen)
        await pilot.press(*"zzzqqq")
        await wait_for(pilot, lambda: "No article matches 'zzzqqq'" in screen_text(app))


async def test_in_a_call_suggestions_follow_the_notes_and_f8_quotes_into_them(
        writable_store, make_app):
    caller = a_caller(writable_store)
    app = make_app(writable_store, "zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        call_screen = await start_call(pilot, caller.id)
        await focus(pilot, "notes")
        panel = call_screen.query_one(KbSuggestions)
        await pilot.press(*"客户要挂失")
        await wait_for(pilot, lambda: "银行卡电话挂失" in screen_text(app))
        assert isinstance(app.focused, NotesEditor)  # the panel never took the focus
        await pilot.press("f9")
        screen = await wait_for_screen(pilot, KnowledgeBaseScreen)
        await wait_for(pilot, lambda: screen.hits)
        assert screen.hits[0].id == "card-loss-phone"  # the call's suggestions, first
        await pilot.press("f8")
        await wait_for_screen(pilot, CallScreen)
        notes = call_screen.query_one(NotesEditor).text
        assert "客户要挂失" in notes and "[KB:card-loss-phone v2]" in notes
        assert "[KB:card-loss-phone v2]" in app.call.notes
        assert panel.can_focus is False
