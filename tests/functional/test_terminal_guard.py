"""The one place text is made safe as it is drawn (agent_tui.app.terminal): every rendered line,
whichever widget drew it, the header's titles and notifications.

Also the adapter's own check: it leans on Textual internals (line filters, the exception hook),
and a Textual upgrade that changes them must fail here rather than silently drop the guard.
"""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from agent_tui.app.terminal import VISIBLE_TEXT, TerminalGuard, VisibleText
from agent_tui.domain.text import visible
from screens.search import SearchScreen
from tests.screen import (
    FORBIDDEN_ON_SCREEN,
    screen_text,
    unsafe_segments,
    wait_for,
    wait_for_screen,
)

BLACK = Color(0, 0, 0)
# What a terminal obeys or reorders: C0 and C1 controls, DEL, bidi controls, lone surrogates.
NEVER = {*map(chr, range(0x20)), "\x7f", *map(chr, range(0x80, 0xA0)), "\u061c", "\u200e",
         "\u200f", "\u2028", "\u2029", *map(chr, range(0x202A, 0x202F)),
         *map(chr, range(0x2066, 0x206A))}


def _obeyed(text: str) -> list[str]:
    return [char for char in text if char in NEVER or "\ud800" <= char <= "\udfff"]


def test_visible_shows_every_control_as_a_symbol(hostile_strings):
    assert visible("a\x1b[31mb") == "a\u241b[31mb"  # ␛
    assert visible("x\x00y\x7fz\x9b") == "x\u2400y\u2421z\ufffd"  # ␀ ␡ �
    assert visible("\u202eaccount 1234\u202c") == "\ufffdaccount 1234\ufffd"
    assert visible("bad\udcffbyte") == "bad\ufffdbyte"
    for kept in ("张三 VIP", "👩\u200d👩\u200d👧 家庭", "a\u3000b", "é\u0301", "[/]"):
        assert visible(kept) == kept
    for entry in hostile_strings:
        assert _obeyed(visible(entry["text"])) == [], entry["what"]


def test_the_filter_keeps_each_segment_as_wide_as_it_was(hostile_strings):
    for entry in hostile_strings:
        segments = [Segment("│ ", Style(bold=True)), Segment(entry["text"], Style(color="red")),
                    Segment(" │")]
        strip = Strip(segments)
        shown = strip.apply_filter(VISIBLE_TEXT, BLACK)
        text = "".join(segment.text for segment in shown)
        assert _obeyed(text) == [], entry["what"]
        assert shown.cell_length == strip.cell_length == Strip(list(shown)).cell_length
        assert text.startswith("│ ") and text.endswith(" │"), entry["what"]  # borders stay put


def test_printable_lines_pass_untouched_and_links_from_data_are_dropped():
    segments = [Segment("张三 ", Style(bold=True)), Segment("13800138000")]
    assert VisibleText().apply(segments, BLACK) is segments
    strip = Strip(segments)
    assert strip.apply_filter(VISIBLE_TEXT, BLACK) is strip  # not copied: Strips are costly
    linked = [Segment("click", Style(link="https://example.invalid\x1b]52;c;x\x07"))]
    (shown,) = VisibleText().apply(linked, BLACK)
    assert shown.text == "click" and not shown.style.link
    # A control segment (a cursor move from a renderable) is drawn as text, not obeyed.
    (moved,) = VisibleText().apply([Segment("\x1b[2J", None, [(1,)])], BLACK)
    assert moved.control is None and "\x1b" not in moved.text


class _Forgetful(Screen):
    """A screen that draws text from outside with no safe(): the guard must catch it."""

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts

    def compose(self):
        for text in self.texts:
            yield Static(Content(text))


async def test_a_widget_that_forgot_safe_still_sends_nothing_raw(writable_store, make_app,
                                                                 hostile_strings):
    app = make_app(writable_store)
    async with app.run_test(size=(80, 60)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        texts = [f"{number:02d}:{entry['text'][:60]}" for number, entry in
                 enumerate(hostile_strings)]
        await app.push_screen(_Forgetful(texts))
        await pilot.pause()
        assert unsafe_segments(app) == []
        assert "\u241b]52;c;ZW" in screen_text(app)  # ␛: the agent sees something was there


async def test_titles_and_notifications_are_cleaned(writable_store, make_app):
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        app.title = "bank\x1b]0;pwned\x07"
        app.sub_title = "李娜\x1b]52;c;ZWNobw==\x07 · \u202e1234"
        assert app.title == "bank" and app.sub_title == "李娜 · 1234"
        app.notify("[/] \x1b[2Jcleared [@click=app.quit]x[/]", title="\x9b31m")
        await wait_for(pilot, lambda: "cleared" in screen_text(app))
        text = screen_text(app)
        assert "[/] cleared [@click=app.quit]x[/]" in text  # as typed: never markup
        assert not any(char in text for char in FORBIDDEN_ON_SCREEN)
        assert app.is_running


def test_the_adapter_still_fits_textual():
    """Textual internals the guard relies on: if one moves, the guard must be moved with it."""
    app = type("Guarded", (TerminalGuard, App), {})()
    assert VISIBLE_TEXT in app.get_line_filters()
    assert isinstance(App.get_line_filters(app), list)  # Textual's own filters still come first
    # The private names it needs are checked by tests/functional/test_textual_private.py.


@pytest.mark.parametrize("language", ["en", "zh-CN"])
async def test_an_unknown_code_shows_a_placeholder_not_itself(writable_store, make_app,
                                                              language):
    import sqlite3

    from tests.call_driver import a_caller, open_360

    caller = a_caller(writable_store)
    connection = sqlite3.connect(writable_store)
    with connection:
        connection.execute("UPDATE customers SET gender = ? WHERE id = ?",
                           ("\x1b]0;pwned\x07", caller.id))
    connection.close()
    app = make_app(writable_store, language)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_360(pilot, caller.id)
        text = screen_text(app)
        assert "pwned" not in text and "gender." not in text
        assert app.t("app.unknown") in text
