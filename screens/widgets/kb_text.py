"""A knowledge-base search answer on screen: the matched words styled, never markup.

Used by the knowledge-base screen and the call's suggestions panel. The store's snippet carries
control-character markers around what matched (``domain.kb``); each piece between them is
sanitised and drawn as plain Content, the matched ones in the highlight style.
"""

from __future__ import annotations

from textual.content import Content

from agent_tui.domain.kb import ELLIPSIS, SearchHit, marked_spans
from agent_tui.domain.text import sanitize
from screens.widgets.line_broken import LineBroken

MATCH_STYLE = "bold underline $text-accent"


def marked(text: str, style: str = "") -> Content:
    pieces = [Content(sanitize(piece)).stylize(MATCH_STYLE) if matched
              else Content(sanitize(piece)) for piece, matched in marked_spans(text)]
    content = Content("").join(pieces)
    return content.stylize_before(style) if style else content


def hit_lines(hit: SearchHit, category: str) -> LineBroken:
    """Two lines: the title (bold) with its category, and the snippet (muted), wrapped by the
    rules of Chinese. The snippet's leading "…" is left out: no line may start with it, and a
    snippet that starts mid-text reads as one without it."""
    title = Content.assemble(marked(hit.title, "bold"), "  ", Content(category).stylize("dim"))
    snippet = hit.snippet.removeprefix(ELLIPSIS)
    if not snippet:
        return LineBroken(title)
    return LineBroken(Content.assemble(title, "\n", marked(snippet, "$text-muted")))
