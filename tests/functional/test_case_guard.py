"""The forbidden-phrase guard watches every notes box, not only the call's: a case's next note and
a new case's description catch a word as it is typed, count it (in the audit log) and F8 applies
its replacement. Notes boxes grow as they fill, and a phrase inserted into the call's notes is
never run together with the words around it."""

from __future__ import annotations

import json
import sqlite3

from agent_tui.domain.rephrase import set_apart
from screens.case_form import CaseFormScreen
from screens.widgets.notes_editor import NotesEditor
from tests.call_driver import a_caller, a_case, do_step, focus, open_360, show_case, start_call
from tests.screen import screen_text, wait_for, wait_for_screen


def _caught(store) -> list[dict]:
    connection = sqlite3.connect(store)
    try:
        rows = connection.execute("SELECT detail FROM audit_log WHERE action = "
                                  "'forbidden.caught' ORDER BY seq").fetchall()
    finally:
        connection.close()
    return [json.loads(detail) for (detail,) in rows]


async def test_a_case_note_is_guarded_counted_and_fixed_with_f8(writable_store, make_app):
    caller = a_caller(writable_store, offset=107)
    case = a_case(writable_store, caller.id, "补卡进度")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_case(pilot, case.id, loaded=True)
        await pilot.press(*"已告知客户您必须先补卡")
        await wait_for(pilot, lambda: "建议您" in screen_text(app))  # the guard line: => 建议您
        assert "F8" in screen_text(app)
        await wait_for(pilot, lambda: _caught(writable_store))
        [caught] = _caught(writable_store)
        assert (caught["rule"], caught["word"], caught["where"], caught["case_id"]) == (
            "command", "您必须", "case_note", case.id)
        await pilot.press("f8")
        note = screen.query_one("#case-note", NotesEditor)
        assert note.text == "已告知客户建议您先补卡"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "已告知客户建议您先补卡" in screen_text(app))


async def test_a_new_case_s_description_is_guarded_and_fixed_with_f8(writable_store, make_app):
    caller = a_caller(writable_store, offset=109)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_360(pilot, caller.id)
        await pilot.press("f11")
        form = await wait_for_screen(pilot, CaseFormScreen)
        description = form.query_one("#case-description", NotesEditor)
        form.set_focus(description)
        await pilot.press(*"客户问年费 我也不清楚原因")
        await wait_for(pilot, lambda: _caught(writable_store))
        assert _caught(writable_store)[0]["where"] == "case_form"
        await pilot.press("f8")
        assert description.text == "客户问年费 我来为您查询原因"
        assert form.current_draft().description == "客户问年费 我来为您查询原因"


async def test_notes_boxes_grow_as_they_fill_then_scroll(writable_store, make_app):
    caller = a_caller(writable_store, offset=113)
    case = a_case(writable_store, caller.id, "挂失")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_case(pilot, case.id)
        note = screen.query_one("#case-note", NotesEditor)
        await pilot.pause()
        empty = note.size.height
        for line in range(7):
            await pilot.press(*f"第{line}行", "enter")
        await pilot.press(*"最后一行")
        await pilot.pause()
        assert note.size.height >= empty + 5  # seven more lines: the box grew
        text = screen_text(app)
        assert "第0行" in text and "最后一行" in text  # all of it in view
        for line in range(8):
            await pilot.press("enter", *f"更多{line}")
        await pilot.pause()
        assert "更多7" in screen_text(app)  # past its height it scrolls to the cursor


def test_an_inserted_phrase_is_set_apart_from_the_words_around_it():
    assert set_apart("", "您好", "") == "您好"
    assert set_apart("客户来电", "您好", "") == "\n您好"
    assert set_apart("", "您好", "客户来电") == "您好\n"
    assert set_apart("客户", "您好", "来电") == "\n您好\n"
    assert set_apart("   ", "Hello", "") == "Hello"


async def test_a_phrase_inserted_before_typed_words_does_not_run_into_them(writable_store,
                                                                           make_app):
    caller = a_caller(writable_store, offset=127)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await focus(pilot, "notes")
        await pilot.press(*"客户来电咨询", "home")
        await do_step(pilot, "greeting.greet")
        lines = app.call.notes.split("\n")
        assert lines[-1] == "客户来电咨询" and len(lines) == 2
        assert lines[0] and "客户来电咨询" not in lines[0]
