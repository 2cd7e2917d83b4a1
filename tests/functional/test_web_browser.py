"""The browser route in a real browser: Debian's chromium, driven by Playwright, against
`agent-tui web` as a subprocess on a seeded demo store. An agent signs in with a password,
searches, opens a 360, starts a call and types Chinese in the notes, and the Chinese is drawn
as glyphs (read from a screenshot); a second browser past the session cap gets the page that
says so. Skipped, with the reason, where chromium or the CJK font cannot be had."""

from __future__ import annotations

import sqlite3
import time

import pytest
from PIL import Image, ImageChops

from tests.web_browser import PASSWORD, PageTerminal, WebProcess, launch, unavailable_reason

_MISSING = unavailable_reason()
pytestmark = [
    pytest.mark.slow, pytest.mark.browser,
    pytest.mark.skipif(_MISSING is not None, reason=f"BROWSER TESTS SKIPPED: {_MISSING}"),
]
NOTES = "客户来电咨询挂失"


@pytest.fixture
def server(tmp_path, writable_store):
    process = WebProcess(tmp_path, "--store", str(writable_store), "--max-sessions", "1")
    process.add_user("A1024", "李娜", "1024")
    process.add_user("A2048", "王芳", "2048")
    yield process
    process.stop()


@pytest.fixture
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def _a_customer(store) -> tuple[str, str]:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(
            "SELECT id_number, substr(name, 1, 1) FROM customers ORDER BY id LIMIT 1 OFFSET 11"
        ).fetchone()
    finally:
        connection.close()


def _sign_in(page, server: WebProcess, terminal: PageTerminal) -> float:
    """Sign in on the page the workstation's address leads to; seconds to the first screen."""
    page.goto(server.url + "/")
    assert page.url.endswith("/sign-in")
    page.fill("#agent", "A1024")
    page.fill("#secret", PASSWORD)
    started = time.monotonic()
    page.click("#submit")
    terminal.wait_for(lambda text: "F2" in text and "F10" in text, "the search and its key bar")
    return time.monotonic() - started


def _glyph_cells(shot, page, terminal: PageTerminal, text: str) -> list[Image.Image]:
    """The screenshot's pixels of each character of ``text`` (two cells each) on screen."""
    box = page.locator(".xterm-screen").bounding_box()
    width = box["width"] / terminal.screen.columns
    height = box["height"] / terminal.screen.lines
    row, column = terminal.find(text)
    cells = []
    for index in range(len(text)):
        left = box["x"] + (column + 2 * index) * width
        top = box["y"] + row * height
        cells.append(shot.crop((round(left), round(top), round(left + 2 * width),
                                round(top + height))).convert("L"))
    return cells


def _strip(cells: list[Image.Image]) -> Image.Image:
    strip = Image.new("L", (sum(cell.width + 4 for cell in cells), cells[0].height), 128)
    left = 0
    for cell in cells:
        strip.paste(cell, (left, 0))
        left += cell.width + 4
    return strip


def _ink(cell: Image.Image) -> int:
    """Pixels that stand out from the cell's background (its most common shade)."""
    histogram = cell.histogram()
    background = max(range(256), key=histogram.__getitem__)
    return sum(count for shade, count in enumerate(histogram) if abs(shade - background) > 60)


def test_an_agent_signs_in_searches_opens_a_360_and_types_chinese_notes(
        server, playwright, writable_store, tmp_path):
    id_number, surname = _a_customer(writable_store)
    browser = launch(playwright, tmp_path / "profile", "zh-CN")
    try:
        page = browser.new_page()
        terminal = PageTerminal(page)
        first_screen = _sign_in(page, server, terminal)
        assert "李娜" in terminal.text and "工号 1024" in terminal.text  # the signed-in agent
        print(f"\ntime to the first screen after sign-in: {first_screen:.2f} s, "
              f"{terminal.received} bytes")

        page.focus(".xterm-helper-textarea")
        page.keyboard.type(id_number[-6:])
        terminal.wait_for(id_number[-4:], "the customer in the results")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        terminal.wait_for(lambda text: "未验证身份" in text and "账户产品" in text, "the 360")
        assert f"{surname}*" in terminal.text  # masked until verified

        page.keyboard.press("Control+n")
        terminal.wait_for("通话记录", "the call's notes")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.type(NOTES)
        terminal.wait_for(NOTES, "the notes typed")

        shot_path = tmp_path / "notes.png"
        page.screenshot(path=str(shot_path))
        print(f"screenshot: {shot_path}")
        cells = _glyph_cells(Image.open(shot_path), page, terminal, NOTES)
        _strip(cells).save(tmp_path / "glyphs.png")  # what was judged, to look at on failure
        assert all(_ink(cell) > 20 for cell in cells), "a character was drawn blank"
        # Boxes (tofu) for a missing font are one shape for every character; glyphs differ.
        for one, other in zip(cells, cells[1:]):
            assert ImageChops.difference(one, other).getbbox() is not None, "tofu"
    finally:
        browser.close()


def test_past_the_session_cap_the_next_agent_is_told(server, playwright, tmp_path):
    first = launch(playwright, tmp_path / "first", "en")
    second = launch(playwright, tmp_path / "second", "en")
    try:
        page = first.new_page()
        _sign_in(page, server, PageTerminal(page))
        other = second.new_page()
        other.goto(server.url + "/")
        other.fill("#agent", "A2048")
        other.fill("#secret", PASSWORD)
        other.click("#submit")
        other.wait_for_selector("#notice")
        assert "All workstations are in use" in other.inner_text("main")
        assert "at most 1 workstations" in other.inner_text("main")
    finally:
        first.close()
        second.close()


def test_without_a_session_the_browser_gets_the_sign_in(server, playwright, tmp_path):
    browser = launch(playwright, tmp_path / "profile", "en")
    try:
        page = browser.new_page()
        sockets = []
        page.on("websocket", lambda socket: sockets.append(socket))
        page.goto(server.url + "/")
        assert page.url.endswith("/sign-in") and not sockets
        assert page.inner_text("h1") == "Sign in to the workstation"
        page.fill("#agent", "A1024")
        page.fill("#secret", "wrong-password-here")
        page.click("#submit")
        assert "do not match" in page.inner_text("#problem")
        assert browser.cookies() == []
    finally:
        browser.close()
