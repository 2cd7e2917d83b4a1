"""What the app writes to the terminal: nothing raw, whatever drew it, and no customer data in a
crash. A base class of AgentApp (agent_app.py holds the rest): it overrides Textual's App hooks.

Every string from outside is cleaned where a screen draws it (``screens.widgets.safe``), but a
widget that forgets is one field away from handing the terminal an escape sequence: Textual
passes control characters in text straight through (issue #3506). So every line Textual renders,
whichever widget made it, goes through ``VisibleText`` on its way out, and what Textual draws
outside widgets' own text (the header's title and sub-title, notifications) is cleaned as it is
set. A crash writes its report to a file beside the store and shows the agent one line saying
where: Textual's own report is a traceback with every frame's locals, customer records included.

It leans on Textual's internals, through screens/widgets/textual_private.py (the one module
that touches them); a Textual upgrade that changes them breaks there, and
tests/functional/test_terminal_guard.py and tests/functional/test_textual_private.py say so:
- line filters (``textual.filter.LineFilter``, returned by ``App.get_line_filters``) are Textual's
  own mechanism for post-processing rendered lines (NO_COLOR, dimming), documented as internal;
- ``Strip.apply_filter`` is wrapped so a clean line skips the filter without Textual copying it;
- every unhandled error lands in ``unhandled_exception``, and ``set_exit_message`` replaces what
  Textual prints once the terminal is restored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.filter import LineFilter

from agent_tui.domain.text import sanitize, visible
from screens.widgets.textual_private import (
    UnhandledExceptionHook,
    set_exit_message,
    skip_line_filter_when,
)

if TYPE_CHECKING:
    from textual.color import Color


def _unsafe_link(style: Style | None) -> bool:
    link = style.link if style is not None else None
    return bool(link) and not (link.isascii() and link.isprintable())


def _visible_segment(segment: Segment) -> Segment:
    text, style, _control = segment
    shown = visible(text)
    if shown is not text and (width := cell_len(text)) != cell_len(shown):
        # A control character takes no cell, its picture takes one: the segment keeps its
        # width (the characters after the pictures give way), so no border or column moves.
        shown = set_cell_size(shown, width)
    if _unsafe_link(style):
        style = style.update_link(None)  # an OSC 8 target from data (the app makes no links)
    return Segment(shown, style)


def _clean(segments: Iterable[Segment]) -> bool:
    """Printable text and no link from data: nothing to change (the usual case)."""
    for text, style, control in segments:
        if control or not text.isprintable() or _unsafe_link(style):
            return False
    return True


class VisibleText(LineFilter):
    """Every segment of every rendered line, with nothing a terminal would obey in its text."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if _clean(segments):
            return segments
        shown = [_visible_segment(segment) for segment in segments]
        return [segment for segment in shown if segment.text]


VISIBLE_TEXT = VisibleText()

# Textual makes a new Strip for every line a filter sees, changed or not, and a Strip is costly
# to make (seven caches): that was 8-10% of the CPU of opening a 360. A clean line, nearly every
# line, is passed through as it is instead.
skip_line_filter_when(lambda strip, filter: filter is VISIBLE_TEXT and _clean(strip))


class TerminalGuard(UnhandledExceptionHook):
    """The App's side of it: line filters, the header's titles, notifications and crashes."""

    def __init__(self, *args: Any, low_bandwidth: bool = False, **kwargs: Any) -> None:
        """``low_bandwidth`` (``[ui] low_bandwidth``, always on over SSH): only the cells that
        changed are sent (``frame_diff``), and no animation; the App turns the cursor blink and
        the mouse off too."""
        self.low_bandwidth = low_bandwidth  # read by get_driver_class, within App.__init__
        super().__init__(*args, **kwargs)
        if low_bandwidth:
            self.animation_level = "none"

    def get_driver_class(self):  # noqa: ANN201
        driver_class = super().get_driver_class()  # type: ignore[misc]
        if not self.low_bandwidth:
            return driver_class
        from agent_tui.app.frame_diff import diffing

        return diffing(driver_class)

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), VISIBLE_TEXT]  # type: ignore[misc]

    def validate_title(self, title: Any) -> str:
        return sanitize(title)

    def validate_sub_title(self, sub_title: Any) -> str:
        return sanitize(sub_title)

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        # Never markup: a message carries values from outside, and a stray "[/" would raise.
        super().notify(  # type: ignore[misc]
            sanitize(message, multiline=True), title=sanitize(title), severity=severity,
            timeout=timeout, markup=False)

    def unhandled_exception(self, error: Exception) -> None:
        from agent_tui import crash_report

        path = crash_report.write(self.store_path.parent, error)
        # Textual has rendered its traceback, locals and all, to print on exit: one line instead.
        message = (self.t("app.crash", path=str(path)) if path is not None
                   else self.t("app.crash_no_report"))
        set_exit_message(self, Text(sanitize(message, multiline=True)))
