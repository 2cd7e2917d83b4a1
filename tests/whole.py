"""Whether the screen in front is whole: no word of its own cut at a panel's edge, no essential
column of a table out of sight, no Chinese line starting with closing punctuation.

Checked on what the widgets draw, not on a picture: each text widget's lines (at the size it has)
against the text it was given, each widget's place against the part of the screen its containers
let it show, and each table's essential columns (``screens.widgets.columns``) against its width.
The snapshot tests at 80x24 call ``defects`` on every screen and dialog they reach (tests/conftest.py
wraps ``snap_compare``), so every screen is checked in both languages at no extra cost.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.query import NoMatches
from textual.errors import NoWidget
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, Static, TextArea

from agent_tui.domain.line_break import CLOSING, OPENING, break_lines
from screens.widgets.columns import essential_columns

ELLIPSIS = "…"


def _decoration(char: str) -> bool:
    """Borders, scrollbars and blocks: drawn around text, never part of it."""
    return "\u2500" <= char <= "\u259f" or char in "▁▂▃▄▅▆▇█▉▊▋▌▍▎▏▔▕"


def squeeze(text: str) -> str:
    """The text without whitespace or decoration: how it wraps is not what is compared."""
    return "".join(char for char in text if not char.isspace() and not _decoration(char))


def _plain(value: object) -> str:
    plain = getattr(value, "plain", None)
    return plain if isinstance(plain, str) else "" if value is None else str(value)


def _given_text(widget: Widget) -> str | None:
    """The text a widget was given to show whole (None: a widget the check does not read)."""
    if isinstance(widget, (Input, TextArea, DataTable, OptionList)):
        return None  # scrolled by the agent; their lines are checked, not their whole text
    if isinstance(widget, Button):
        text = _plain(widget.label)
    elif isinstance(widget, Static):
        text = _plain(widget.visual if hasattr(widget, "visual") else widget.content)
    elif type(widget).render is not Widget.render:
        rendered = widget.render()
        if not isinstance(rendered, (str, Content, Text)):
            return None  # a bar, a rule, a picture: drawn, not read
        text = _plain(rendered)
    else:
        return None
    return "".join(_plain(part) for part in (widget.border_title, text, widget.border_subtitle))


def _lines(widget: Widget) -> list[str]:
    """What ``widget`` draws of its content, line by line, at its size (scrolled as it is)."""
    width, height = widget.outer_size
    if not width or not height:
        return []
    strips = widget.render_lines(Region(0, 0, width, height))
    return [strip.text for strip in strips]


def _content_lines(widget: Widget) -> list[str]:
    """The lines inside the widget's border and padding (and scrollbars)."""
    left = widget.scrollable_content_region.x - widget.region.x
    top = widget.scrollable_content_region.y - widget.region.y
    width = widget.scrollable_content_region.width
    height = widget.scrollable_content_region.height
    lines = _lines(widget)[top:top + height]
    out = []
    for line in lines:
        # cells, not characters: a wide character takes two
        cells, column = [], 0
        for char in line:
            if left <= column < left + width:
                cells.append(char)
            column += cell_len(char)
        out.append("".join(cells))
    return out


def _name(widget: Widget) -> str:
    return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__


def _scrolls(widget: Widget, vertical: bool) -> bool:
    for ancestor in widget.ancestors:
        if isinstance(ancestor, Widget) and (
                ancestor.show_vertical_scrollbar if vertical
                else ancestor.show_horizontal_scrollbar):
            return True
    return False


def _cut_text(widget: Widget) -> list[str]:
    given = _given_text(widget)
    if given is None:
        return []
    shown = squeeze("".join(_lines(widget)))
    want = squeeze(given)
    if not want or shown == want or (want in shown and ELLIPSIS not in shown.replace(want, "")):
        return []
    common = 0
    while common < min(len(shown), len(want)) and shown[common] == want[common]:
        common += 1
    return [f"{_name(widget)}: cut after {want[max(0, common - 12):common]!r}"
            f" (not shown: {want[common:common + 24]!r})"]


def _placeholder_cut(widget: Widget) -> list[str]:
    """An empty box shows its placeholder, the hint of what to type: whole, or cut mid-word."""
    if not isinstance(widget, Input) or widget.value or not widget.placeholder:
        return []
    room = widget.scrollable_content_region.width - 1  # the cursor's cell
    if cell_len(widget.placeholder) <= room:
        return []
    return [f"{_name(widget)}: placeholder cut after {widget.placeholder[:room][-12:]!r}"]


def _hidden(widget: Widget) -> list[str]:
    """A widget drawn partly outside what its containers show (and no scrollbar to reach it)."""
    try:
        geometry = widget.screen.find_widget(widget)
    except (NoWidget, NoMatches):
        return []
    region, clip = geometry.region, geometry.clip
    found = []
    if (region.x < clip.x or region.right > clip.right) and not _scrolls(widget, False):
        found.append(f"{_name(widget)}: {region.right - clip.right} cells past the right edge")
    if (region.y < clip.y or region.bottom > clip.bottom) and not _scrolls(widget, True):
        found.append(f"{_name(widget)}: {region.bottom - clip.bottom} lines below the bottom")
    return found


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _chinese_lines(widget: Widget) -> list[str]:
    """Chinese line-breaking rules on every line the widget draws: no line starts with closing
    punctuation, none ends with opening punctuation, none is broken at a space while the next
    character would have fitted."""
    if isinstance(widget, (Input, TextArea, DataTable)):
        return []
    lines = _content_lines(widget)
    if not lines:
        return []
    found = []
    for index, line in enumerate(lines):
        text = line.strip()
        if not text or all(_decoration(char) for char in text):
            continue
        if text[0] in CLOSING:
            found.append(f"{_name(widget)}: a line starts with {text[0]!r}: {text[:20]!r}")
        if text[-1] in OPENING and index + 1 < len(lines) and lines[index + 1].strip():
            found.append(f"{_name(widget)}: a line ends with {text[-1]!r}: {text[-20:]!r}")
    return found


def _broken_by_the_rules(widget: Widget) -> list[str]:
    """A text widget's lines are where the line-breaking rules put them (a Chinese sentence is
    not broken at a space while the next characters would have fitted)."""
    given = _given_text(widget)
    if not given or isinstance(widget, Button) or widget.styles.text_wrap == "nowrap" \
            or widget.border_title or widget.border_subtitle:
        return []
    shown = [squeeze(line) for line in _content_lines(widget)]
    want = [squeeze(line) for line in break_lines(given, widget.content_region.width)]
    if "".join(shown) != "".join(want):
        return []  # cut: said once, by _cut_text
    for line, (got, expected) in enumerate(zip(shown, want, strict=False)):
        if got != expected:
            return [f"{_name(widget)}: line {line + 1} broken at {got[-6:]!r}, "
                    f"not as the rules break it ({expected[-6:]!r})"]
    return []


def _tables(widget: Widget) -> list[str]:
    if not isinstance(widget, DataTable):
        return []
    essential = essential_columns(widget)
    if essential is None:
        return [f"{_name(widget)}: declares no essential columns"]
    visible = widget.scrollable_content_region.width
    found, right = [], 0
    for key, column in widget.columns.items():
        left, right = right, right + column.get_render_width(widget)
        label = column.label.plain
        if left < visible + widget.scroll_x < right:
            found.append(f"{_name(widget)}: column {label!r} cut at the edge")
        if key.value not in essential:
            continue
        if right > visible + widget.scroll_x or left < widget.scroll_x:
            found.append(f"{_name(widget)}: essential column {label!r} out of sight")
        elif not column.auto_width and column.content_width > column.width:
            found.append(f"{_name(widget)}: essential column {label!r} cut to {column.width}")
    return found


def defects(app) -> list[str]:
    """Everything cut or hidden on the screen in front, one line each (empty: whole)."""
    screen = app.screen
    found: list[str] = []
    for widget in screen.walk_children(with_self=False):
        if not widget.display or not widget.visible or not widget.size.area:
            continue
        if any(not ancestor.display for ancestor in widget.ancestors
               if isinstance(ancestor, Widget)):
            continue
        found += _hidden(widget) + _cut_text(widget) + _tables(widget) + _chinese_lines(widget)
        found += _broken_by_the_rules(widget) + _placeholder_cut(widget)
    return found
