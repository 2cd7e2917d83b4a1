"""Text wrapped by the rules of Chinese as well as English (``agent_tui.domain.line_break``).

Textual wraps Content at spaces and folds anything longer anywhere, so a Chinese line could start
with "，" and a Chinese sentence broke at its one space. Textual has no hook for line breaking;
``LineBroken`` is a Visual that breaks its Content at the width it is given, by the core's rules,
and hands Textual lines that already fit. Use it wherever translated or scripted text wraps: a
Static, an option's prompt, a checklist step.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from agent_tui.domain.line_break import break_offsets


class LineBroken(Visual):
    def __init__(self, content: Content | str) -> None:
        self.content = content if isinstance(content, Content) else Content(content)
        self._cache: tuple[int, Content] | None = None

    @property
    def plain(self) -> str:
        return self.content.plain

    def __str__(self) -> str:
        return self.content.plain

    def at(self, width: int) -> Content:
        """The content with its lines broken for ``width`` cells."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        offsets = break_offsets(self.content.plain, width)
        if offsets:
            lines = [line.rstrip(" \n") for line in self.content.divide(offsets)]
            broken = Content("\n").join(lines)
        else:
            broken = self.content
        self._cache = (width, broken)
        return broken

    def _width(self, rules: RulesMap, width: int) -> int:
        return max(1, width - rules.get("line_pad", 0) * 2)

    def _laid_out(self, rules: RulesMap, width: int) -> Content:
        if rules.get("text_wrap", "wrap") == "nowrap":
            return self.content  # one line, as the widget's styles ask
        return self.at(self._width(rules, width))

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        return self._laid_out(options.rules, width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._laid_out(rules, width).get_height(rules, width)


def broken(text: Content | str) -> LineBroken:
    return LineBroken(text)


class Prose(Static):
    """A Static whose text wraps by the line-breaking rules (the workstation's text widget)."""

    def render(self) -> RenderResult:
        visual = super().render()
        return LineBroken(visual) if isinstance(visual, Content) else visual
