"""Reading what a running app has on screen: its text, and the segments a terminal would get."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.widgets import DataTable

from screens.widgets.kb_panel import KbSuggestions
from screens.widgets.textual_private import rendered_lines, table_measured

# What must never reach a terminal from data: escape/control characters and bidi overrides.
FORBIDDEN_ON_SCREEN = (
    "\x1b", "\x9b", "\x07", "\x00", "\x08", "\x7f", "\r", "\u202e", "\u202d", "\u2067", "\u2069",
)


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in rendered_lines(app.screen))


def unsafe_segments(app: App) -> list[str]:
    """Text segments carrying a control character: each would be obeyed by the terminal."""
    found = []
    for strip in rendered_lines(app.screen):
        for segment in strip:
            if segment.control:
                continue
            if any(char in segment.text for char in FORBIDDEN_ON_SCREEN):
                found.append(segment.text)
    return found


async def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    """Let workers and the event loop run until ``condition()`` holds (bounded, then fail: the
    bound is a net for a hang, not a speed check; 10 s was passed on a loaded 2-CPU machine)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {condition}")
        await pilot.pause(0.02)


async def wait_for_screen(pilot, screen_type: type, timeout: float = 30.0):
    """Until the app's current screen is a ``screen_type`` and has composed and mounted."""

    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, screen_type) and screen.is_mounted and bool(screen.children)

    await wait_for(pilot, ready, timeout)
    return pilot.app.screen


def _plain(value: object) -> str:
    plain = getattr(value, "plain", None)
    return plain if isinstance(plain, str) else "" if value is None else str(value)


def widget_text(screen) -> str:
    """Everything the widgets of ``screen`` hold to draw, in front or not: the text of every
    Static (labels, tabs and buttons included), table cell, option, input and text area, and
    border titles. A screen behind another is not re-rendered until it comes back to the front;
    this reads what it would draw then."""
    from textual.widgets import Button, DataTable, Input, OptionList, Static, TextArea

    parts: list[str] = []
    for widget in screen.walk_children(with_self=False):
        if isinstance(widget, Static):
            parts.append(_plain(widget.content))
        elif isinstance(widget, Button):
            parts.append(_plain(widget.label))
        elif isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.extend(_plain(value) for value in widget.get_row_at(row))
        elif isinstance(widget, OptionList):
            parts.extend(_plain(widget.get_option_at_index(index).prompt)
                         for index in range(widget.option_count))
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        parts.extend(_plain(title) for title in (widget.border_title, widget.border_subtitle)
                     if title)
    return "\n".join(parts)


def screen_classes() -> list[type]:
    """Every Screen (and dialog) class defined under screens/, one file after another."""
    import importlib
    import inspect
    from pathlib import Path

    from textual.screen import Screen

    found = []
    for path in sorted((Path(__file__).resolve().parents[1] / "screens").glob("*.py")):
        module = importlib.import_module(f"screens.{path.stem}")
        found += [value for value in vars(module).values()
                  if inspect.isclass(value) and issubclass(value, Screen)
                  and value.__module__ == module.__name__]
    return found


async def settled(pilot) -> None:
    """Until the screen is drawn as it will stay (for a snapshot): every table has measured its
    rows, the call's suggested articles follow its notes, animations are over, and the app has
    had an idle turn."""
    tables = [table for screen in pilot.app.screen_stack for table in screen.query(DataTable)]
    await wait_for(pilot, lambda: all(table_measured(table) for table in tables))
    panels = [panel for screen in pilot.app.screen_stack for panel in screen.query(KbSuggestions)]
    await wait_for(pilot, lambda: not any(panel.pending for panel in panels))
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
