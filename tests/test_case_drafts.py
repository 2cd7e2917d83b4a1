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
from tests.call_driver import a_caller, focus, open_360
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
        await wait_for(pilot, lambda: app.store is not None)
        app.push_screen(CaseScreen(case.id))
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press(*"已致电客户卡片三日内寄出")
        await wait_for(pilot, lambda: (_draft(writable_store, key) or {}).get("text")
                       == "已致电客户卡片三日内寄出")
    app = make_app(writable_store)  # the restart
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreDraftsScreen)
        assert "已致电客户" in screen_text(app)
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
