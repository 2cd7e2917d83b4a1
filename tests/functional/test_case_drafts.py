"""A case note or a case form being typed when the workstation ends is kept as a draft within a
second, offered back at the next start exactly as it was, and gone once saved for real."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import Store
from agent_tui.store.cases import CaseDraft, CaseStore
from screens.case import CaseScreen
from screens.case_form import CaseFormScreen
from screens.restore_drafts import RestoreDraftsScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import a_caller, a_case, focus, open_360, show_case
from tests.screen import screen_text, wait_for, wait_for_screen


def _draft(store, key: str) -> dict | None:
    connection = sqlite3.connect(store)
    try:
        row = connection.execute("SELECT body FROM drafts WHERE key = ?", (key,)).fetchone()
    finally:
        connection.close()
    return json.loads(row[0]) if row else None


async def test_an_unsent_case_note_survives_the_workstation_ending(writable_store, make_app):
    caller = a_caller(writable_store, offset=67)
    connection = Store.open(writable_store).connection()
    case = CaseStore(connection, SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=caller.id, title="挂失补卡进度"), datetime(2026, 11, 23, 9, 0))
    key = f"case-note:{case.id}"
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_case(pilot, case.id)
        await pilot.press(*"已致电客户卡片三日内寄出")
        await wait_for(pilot, lambda: (_draft(writable_store, key) or {}).get("text")
                       == "已致电客户卡片三日内寄出")
    app = make_app(writable_store)  # the restart
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreDraftsScreen)
        await wait_for(pilot, lambda: "已致电客户" in screen_text(app))  # drawn, not just pushed
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, CaseScreen)
        assert screen.query_one("#case-note").text == "已致电客户卡片三日内寄出"
        await wait_for(pilot, lambda: screen.view is not None)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: _draft(writable_store, key) is None)
        assert [note.text for note in screen.view.notes] == ["已致电客户卡片三日内寄出"]


async def test_an_unfinished_case_form_survives_the_workstation_ending(writable_store, make_app):
    caller = a_caller(writable_store, offset=71)
    key = f"case-form:{caller.id}"
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_360(pilot, caller.id)
        await pilot.press("f11")
        await wait_for_screen(pilot, CaseFormScreen)
        await focus(pilot, "case-title")
        await pilot.press(*"网点服务态度投诉")
        await wait_for(pilot, lambda: (_draft(writable_store, key) or {}).get("title")
                       == "网点服务态度投诉")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreDraftsScreen)
        await pilot.press("enter")
        form = await wait_for_screen(pilot, CaseFormScreen)
        assert form.query_one("#case-title").value == "网点服务态度投诉"
        assert form.draft.channel == "branch"  # a contact from another channel, as it was
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: _draft(writable_store, key) is None)
    connection = sqlite3.connect(writable_store)
    assert connection.execute("SELECT count(*) FROM cases WHERE customer_id = ? AND title = ?",
                              (caller.id, "网点服务态度投诉")).fetchone()[0] == 1


async def test_a_cleared_note_keeps_no_draft_and_nothing_empty_is_offered(writable_store,
                                                                         make_app):
    from agent_tui.store import drafts

    caller = a_caller(writable_store, offset=131)
    connection = Store.open(writable_store).connection()
    case = CaseStore(connection, SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=caller.id, title="补卡"), datetime(2026, 11, 23, 9, 0))
    # Empty drafts as an earlier version left them: never offered.
    drafts.save(connection, "case-note:old", "case_note", "A1024", {"case_id": "old", "text": " "},
                datetime(2026, 11, 22, 9, 0))
    drafts.save(connection, "case-form:old", "case_form", "A1024",
                {"customer_id": caller.id, "title": "", "description": "\n",
                 "customer_label": "张*"}, datetime(2026, 11, 22, 9, 0))
    key = f"case-note:{case.id}"
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, RestoreDraftsScreen)
        await show_case(pilot, case.id)
        await pilot.press(*"稍后回电")
        await wait_for(pilot, lambda: _draft(writable_store, key) is not None)
        await pilot.press(*["backspace"] * 4)
        await wait_for(pilot, lambda: _draft(writable_store, key) is None)
    assert drafts.pending(connection, "A1024") == []
    app = make_app(writable_store)  # the restart: nothing to offer
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._settled)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(isinstance(screen, RestoreDraftsScreen) for screen in app.screen_stack)


async def test_escape_on_an_open_list_closes_the_list_not_the_form(writable_store, make_app):
    from textual.widgets import Select

    caller = a_caller(writable_store, offset=137)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_360(pilot, caller.id)
        await pilot.press("f11")
        form = await wait_for_screen(pilot, CaseFormScreen)
        await focus(pilot, "case-title")
        await pilot.press(*"网点排队太久")
        channel = form.query_one("#case-channel", Select)
        form.set_focus(channel)
        await pilot.press("enter")
        await wait_for(pilot, lambda: channel.expanded)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not channel.expanded)
        assert app.screen is form and form.query_one("#case-title").value == "网点排队太久"
        assert app.focused is channel


async def test_a_form_closed_with_text_in_it_is_kept_and_f11_brings_it_back(writable_store,
                                                                            make_app):
    caller = a_caller(writable_store, offset=139)
    key = f"case-form:{caller.id}"
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_360(pilot, caller.id)
        await pilot.press("f11")
        await wait_for_screen(pilot, CaseFormScreen)
        await focus(pilot, "case-title")
        await pilot.press(*"柜面服务投诉", "escape")  # closed at once, before any autosave
        await wait_for(pilot, lambda: not isinstance(app.screen, CaseFormScreen))
        assert any("kept as a draft" in note.message for note in notifications(app))
        await wait_for(pilot, lambda: (_draft(writable_store, key) or {}).get("title")
                       == "柜面服务投诉")
        await pilot.press("f11")
        form = await wait_for_screen(pilot, CaseFormScreen)
        assert form.query_one("#case-title").value == "柜面服务投诉"
        await focus(pilot, "case-title")
        await pilot.press("end", *"已道歉", "f2")  # another key closes it: kept all the same
        await wait_for(pilot, lambda: (_draft(writable_store, key) or {}).get("title")
                       == "柜面服务投诉已道歉")


async def test_a_note_left_unsent_is_back_when_the_case_is_opened_again(writable_store,
                                                                        make_app):
    caller = a_caller(writable_store, offset=149)
    case = a_case(writable_store, caller.id, "挂失")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_case(pilot, case.id)
        await pilot.press(*"客户说下午再来电", "f3")
        await wait_for(pilot, lambda: not isinstance(app.screen, CaseScreen))
        await wait_for(pilot, lambda: _draft(writable_store, f"case-note:{case.id}"))
        screen = await show_case(pilot, case.id)
        await wait_for(pilot, lambda: screen.query_one("#case-note").text == "客户说下午再来电")
