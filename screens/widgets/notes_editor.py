"""The call's notes: a text area that shows the forbidden words the guard found, as they are typed.

The guard (``agent_tui.domain.phrasing``) runs in the core on every change; this widget only draws
its hits, through TextArea's highlight map (the one syntax highlighting fills), with a style of
its own added to the theme.

A keystroke redraws the lines it touched, not the whole editor: TextArea repaints every line
whenever the cursor moves, which costs ~1.7 KB per key at 80x24, over DESIGN's 1 KB for a thin
terminal or an SSH link. Here the cursor's old and new lines are redrawn, an edit redraws its
lines, and anything that moves lines (a line added, joined or re-wrapped, an undo) redraws all.

The highlight map, the theme and the selection's repaint are TextArea internals of the pinned
Textual version, reached through ``HookedTextArea`` (screens/widgets/textual_private.py); the
snapshot, the highlight test, the redraw test and tests/functional/test_textual_private.py fail if a new
version changes them.
"""

from __future__ import annotations

import dataclasses

from rich.style import Style
from textual import events
from textual.reactive import Reactive, reactive
from textual.widgets.text_area import EditResult, Location, Selection

from agent_tui.domain.phrasing import Hit, apply
from agent_tui.domain.text import sanitize
from screens.widgets.textual_private import Edit, HookedTextArea

FORBIDDEN = "agent_tui.forbidden"
NOTES_LIMIT = 20_000  # characters: a call's notes, not a document; the case holds more


class NotesEditor(HookedTextArea):
    # TextArea's own, without its repaint of the whole widget: ``selection_moved`` redraws the
    # lines the cursor left and reached.
    selection: Reactive[Selection] = reactive(
        Selection(), init=False, always_update=True, repaint=False
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, tab_behavior="focus", **kwargs)  # type: ignore[arg-type]
        self.hits: list[Hit] = []
        self._hit_rows: set[int] = set()  # the rows drawn with a highlight

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    # -- what arrives ------------------------------------------------------------------------

    async def on_paste(self, event: events.Paste) -> None:
        """Pasted text is cleaned of what a terminal would obey before it reaches the document
        (typing cannot produce it; a paste can), and cut to the room left in the notes."""
        event.prevent_default()  # instead of TextArea's own paste, which takes the text as it is
        if self.read_only:
            return
        room = max(0, NOTES_LIMIT - len(self.text))
        text = sanitize(event.text, multiline=True)[:room]
        if text:
            result = self.replace(text, *self.selection)
            self.move_cursor(result.end_location)

    # -- redrawing only what changed -------------------------------------------------------

    def selection_moved(self, previous_selection: Selection, selection: Selection) -> None:
        if self.is_mounted:
            self._refresh_rows(*previous_selection, *selection)

    def edit(self, edit: Edit) -> EditResult:
        height, line_count = self.wrapped_document.height, self.document.line_count
        result = super().edit(edit)
        if self.wrapped_document.height != height or self.document.line_count != line_count:
            self.refresh()  # the lines below moved
        else:
            self._refresh_rows(edit.top, edit.bottom, result.end_location)
        return result

    def history_applied(self) -> None:  # an undo or a redo
        self.refresh()

    def _refresh_rows(self, *locations: Location) -> None:
        """Redraw every wrapped line of the document rows between ``locations``."""
        last_row = self.document.line_count - 1
        first, last = min(row for row, _ in locations), max(row for row, _ in locations)
        if last > last_row:  # a row that is gone: the lines moved
            self.refresh()
            return
        wrapped = self.wrapped_document
        top = wrapped.location_to_offset((first, 0)).y
        bottom = wrapped.location_to_offset((last, len(self.document[last]))).y
        self.refresh_lines(top, bottom - top + 1)

    # -- where things are ---------------------------------------------------------------------

    def location_of(self, offset: int) -> Location:
        """(row, column) of a character offset into ``text``."""
        newline = len(self.document.newline)
        for row, line in enumerate(self.document.lines):
            if offset <= len(line):
                return row, offset
            offset -= len(line) + newline
        last = self.document.line_count - 1
        return last, len(self.document.lines[last])

    def cursor_offset(self) -> int:
        row, column = self.cursor_location
        newline = len(self.document.newline)
        return sum(len(line) + newline for line in self.document.lines[:row]) + column

    # -- the guard's hits -----------------------------------------------------------------------

    def show_hits(self, hits: list[Hit]) -> None:
        if hits == self.hits:
            return
        self.hits = hits
        was_highlighted = self._hit_rows
        self.rebuild_highlights()
        # The rows that lose or gain a highlight. ``was_highlighted`` is where the edit drew the
        # previous hits on the new text, before the guard had checked it (a frame may show
        # them). Rows keep their numbers here: an edit that moved lines redrew them all.
        rows = was_highlighted | self._hit_rows
        if rows and max(rows) < self.document.line_count:
            self._refresh_rows(*((row, 0) for row in rows))
        else:
            self.refresh()

    def nearest_hit(self) -> Hit | None:
        """The hit F8 fixes: the one at or before the cursor, else the first after it."""
        if not self.hits:
            return None
        cursor = self.cursor_offset()
        before = [hit for hit in self.hits if hit.start <= cursor]
        return before[-1] if before else self.hits[0]

    def apply_hit(self, hit: Hit) -> None:
        """F8: the hit's replacement, fitted to its sentence (which may take a word before it or
        a comma after it too); one edit, so one undo takes it back; the cursor after it."""
        old = self.text
        new, cursor = apply(old, hit)
        start = 0
        while start < min(len(old), len(new)) and old[start] == new[start]:
            start += 1
        end = 0
        while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
            end += 1
        self.replace(new[start:len(new) - end], self.location_of(start),
                     self.location_of(len(old) - end))
        self.move_cursor(self.location_of(cursor))

    def highlights_built(self, highlights: dict[int, list[tuple[int, int, str]]]) -> None:
        self._hit_rows = set()
        for hit in getattr(self, "hits", ()):
            start_row, start_column = self.location_of(hit.start)
            end_row, end_column = self.location_of(hit.end)
            self._hit_rows.update(range(start_row, end_row + 1))
            for row in range(start_row, end_row + 1):
                line = self.document.lines[row]
                first = start_column if row == start_row else 0
                last = end_column if row == end_row else len(line)
                # The map is in UTF-8 bytes of the line, as tree-sitter reports positions.
                highlights[row].append(
                    (len(line[:first].encode()), len(line[:last].encode()), FORBIDDEN)
                )

    def theme_set(self, theme):
        styles = {**theme.syntax_styles,
                  FORBIDDEN: Style(color="white", bgcolor="red", bold=True, underline=True)}
        return dataclasses.replace(theme, syntax_styles=styles)
