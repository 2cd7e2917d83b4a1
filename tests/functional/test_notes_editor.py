"""The notes editor redraws only the lines a keystroke touched (DESIGN: ≤ 1 KB per keystroke), and
never leaves a stale line behind: after every edit, what is on screen equals a full repaint."""

from __future__ import annotations

from textual.app import App, ComposeResult

from agent_tui.domain.phrasing import ForbiddenRule, Hit, PhraseGuard
from screens.widgets.notes_editor import NotesEditor
from screens.widgets.textual_private import rendered_lines

GUARD = PhraseGuard([ForbiddenRule("must", "zh-CN", ("您必须",), "建议您", "", ""),
                     ForbiddenRule("en_must", "en", ("you must",), "I suggest you", "", "")], {})


class _NotesApp(App[None]):
    """The notes as the call workspace runs them: the guard's hits drawn after every change."""

    CSS = "NotesEditor { height: 8; }"

    def compose(self) -> ComposeResult:
        yield NotesEditor(id="notes")

    def on_text_area_changed(self, event: NotesEditor.Changed) -> None:
        event.text_area.show_hits(GUARD.check(event.text_area.text))


def _cells(app: App) -> list[list[tuple[str, object]]]:
    """Every cell of the screen with its style, as the terminal would be told to draw it."""
    return [[(char, segment.style) for segment in strip for char in segment.text]
            for strip in rendered_lines(app.screen)]


async def _same_as_full_repaint(pilot, editor: NotesEditor) -> None:
    await pilot.pause()
    drawn = _cells(pilot.app)
    editor.refresh()
    await pilot.pause()
    assert drawn == _cells(pilot.app)


# Each step: keys an agent presses in the notes. Lines added, joined, re-wrapped, undone.
STEPS = [
    ("type", "客户来电咨询信用卡年费"),
    ("type", "\n第二行"),
    ("press", "up"),
    ("type", "，已解释收费标准并申请减免，客户表示满意，但要求书面答复"),  # wraps
    ("press", "down", "home", "backspace"),  # joins the second line onto the first
    ("press", "ctrl+z"),
    ("press", "ctrl+y"),
    ("press", "end", "enter", "enter"),
    ("type", "you must"),  # caught: highlighted
    ("press", "ctrl+z", "ctrl+y"),  # undone and redone within one line
    ("press", "backspace"),  # no longer a hit
    ("press", "up", "end"),
    ("type", "您必须"),  # a hit on another line while the first is gone
    ("press", "down", "end"),
    ("type", "t"),  # and the English one back
    ("press", "up", "up", "shift+down", "delete"),  # a selection across lines, deleted
]


async def test_every_keystroke_leaves_the_screen_as_a_full_repaint_would():
    app = _NotesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        editor = app.query_one(NotesEditor)
        editor.cursor_blink = False  # a blink between the two draws would differ by itself
        editor.focus()
        for kind, *keys in STEPS:
            if kind == "type":
                for char in keys[0]:
                    await pilot.press("enter" if char == "\n" else char)
                    await _same_as_full_repaint(pilot, editor)
            else:
                for key in keys:
                    await pilot.press(key)
                    await _same_as_full_repaint(pilot, editor)
        assert "你" not in editor.text and editor.text  # the steps ran on a real note


async def test_a_keystroke_on_one_line_redraws_that_line_only():
    app = _NotesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        editor = app.query_one(NotesEditor)
        editor.cursor_blink = False
        editor.load_text("第一行\n第二行\n第三行")
        editor.focus()
        editor.move_cursor((1, 3))
        await pilot.pause()
        redrawn: list[tuple] = []
        original = editor.refresh

        def spy(*regions, **kwargs):
            redrawn.append(regions)
            return original(*regions, **kwargs)

        editor.refresh = spy
        await pilot.press("x")
        editor.refresh = original
        assert redrawn and all(regions for regions in redrawn), "the whole editor was redrawn"
        assert {region.y for regions in redrawn for region in regions} == {1}
        assert all(region.height == 1 for regions in redrawn for region in regions)


async def test_a_forbidden_word_caught_is_highlighted_on_a_full_repaint_too():
    app = _NotesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        editor = app.query_one(NotesEditor)
        editor.cursor_blink = False  # a blink between the two draws would differ by itself
        editor.load_text("请稍等，您必须先挂失")
        editor.show_hits([Hit(4, 7, "您必须", "must", "建议您")])
        await _same_as_full_repaint(pilot, editor)


async def test_f8_puts_the_fitted_replacement_in_one_edit_with_the_cursor_after_it():
    guard = PhraseGuard([ForbiddenRule("dont_know", "zh-CN", ("不知道",), "我来为您查询", "", "")],
                        {})
    app = _NotesApp()
    async with app.run_test(size=(40, 10)):
        editor = app.query_one(NotesEditor)
        editor.load_text("客户来电\n我不知道原因，稍等")
        [hit] = guard.check(editor.text)
        editor.apply_hit(hit)
        assert editor.text == "客户来电\n我来为您查询原因，稍等"
        assert editor.cursor_location == (1, len("我来为您查询"))
        editor.undo()
        assert editor.text == "客户来电\n我不知道原因，稍等"
