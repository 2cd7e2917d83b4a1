"""Drawing text from outside: sanitised once more, and never parsed as markup.

The store sanitises on entry; this second pass costs little and covers anything that reached the
store another way (an old file, a sync bug). ``safe`` gives Content for Static widgets; ``cell``
gives a Rich Text for DataTable cells, because the table sizes its columns by Rich measurement,
which Content does not offer. Both are plain text: ``[/`` is just two characters. Text that
was damaged in the store (U+FFFD where bytes were not UTF-8) is drawn with a ⚠ in front.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from agent_tui.domain.stored import MARK
from agent_tui.domain.text import is_damaged, sanitize

# What one line on screen can ever show. Longer values (a 1 MB field from a bad record) are cut
# before cleaning and measuring, so one such record cannot slow every frame.
CELL_LIMIT = 200
LINE_LIMIT = 2000
# How wide a table cell may grow: DataTable sizes a column to its widest cell, and one long value
# (a 200-character product name) pushed every column after it off an 80-column screen.
CELL_WIDTH = 48


def _head(text: object, limit: int) -> str:
    value = text if isinstance(text, str) else "" if text is None else str(text)
    return value[: limit * 4]  # room for escape sequences that cleaning removes


def _marked(clean: str) -> str:
    """Text the store could not read as written (U+FFFD where its bytes were) says so."""
    return f"{MARK} {clean}" if is_damaged(clean) else clean


def safe(text: object, style: str = "") -> Content:
    content = Content(_marked(sanitize(_head(text, LINE_LIMIT), limit=LINE_LIMIT)))
    return content.stylize(style) if style else content


def cell(text: object, style: str = "", width: int | None = CELL_WIDTH) -> Text:
    """``width``: the most cells it takes (None: as wide as it is, for the app's own text)."""
    clean = _marked(sanitize(_head(text, CELL_LIMIT), limit=CELL_LIMIT))
    shown = Text(clean, style=style, no_wrap=True, overflow="ellipsis")
    if width is not None and len(clean) > width // 2:  # may be too wide: cut, with an ellipsis
        shown.truncate(width, overflow="ellipsis")
    return shown
