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


def safe(text: object, style: str = "") -> Content:
    content = Content(sanitize(text))
    return content.stylize(style) if style else content


def cell(text: object, style: str = "") -> Text:
    return Text(sanitize(text), style=style, no_wrap=True, overflow="ellipsis")
