"""Drawing text from outside: sanitised once more, and never parsed as markup.

The store sanitises on entry; this second pass costs little and covers anything that reached the
store another way (an old file, a sync bug). ``safe`` gives Content for Static widgets; ``cell``
gives a Rich Text for DataTable cells, because the table sizes its columns by Rich measurement,
which Content does not offer. Both are plain text: ``[/`` is just two characters.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from agent_tui.domain.text import sanitize

# What one line on screen can ever show. Longer values (a 1 MB field from a bad record) are cut
# before cleaning and measuring, so one such record cannot slow every frame.
CELL_LIMIT = 200
LINE_LIMIT = 2000


def _head(text: object, limit: int) -> str:
    value = text if isinstance(text, str) else "" if text is None else str(text)
    return value[: limit * 4]  # room for escape sequences that cleaning removes


def safe(text: object, style: str = "") -> Content:
    content = Content(sanitize(_head(text, LINE_LIMIT), limit=LINE_LIMIT))
    return content.stylize(style) if style else content


def cell(text: object, style: str = "") -> Text:
    clean = sanitize(_head(text, CELL_LIMIT), limit=CELL_LIMIT)
    return Text(clean, style=style, no_wrap=True, overflow="ellipsis")
