"""Markdown whose paragraphs, headings and list items wrap by the line-breaking rules of Chinese
as well as English (``screens.widgets.line_broken``): Textual's Markdown blocks are Statics that
wrap their Content at spaces, so a Chinese sentence broke at its one space and a line could start
with "，". Paragraphs (a list item's text is a paragraph inside it) and headings render through
``LineBroken``; the containers (lists, quotes), code and tables are left as Textual draws them."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widgets import Markdown

from screens.widgets.line_broken import LineBroken
from screens.widgets.textual_private import MarkdownBlock, MarkdownHeader, MarkdownParagraph


def _line_broken(block: type[MarkdownBlock]) -> type[MarkdownBlock]:
    """``block`` rendering through LineBroken. The same name and ``block`` as its one base:
    Textual finds a widget's CSS by following first bases (``Markdown > MarkdownParagraph``)."""
    def render(self: MarkdownBlock) -> RenderResult:
        visual = block.render(self)
        return LineBroken(visual) if isinstance(visual, Content) else visual

    return type(block.__name__, (block,), {"render": render})


_BLOCKS = {
    name: _line_broken(block) if issubclass(block, (MarkdownParagraph, MarkdownHeader)) else block
    for name, block in Markdown.BLOCKS.items()
}


class LineBrokenMarkdown(Markdown):
    """Textual's Markdown, its prose wrapped by the rules (the knowledge base's articles)."""

    BLOCKS = _BLOCKS
