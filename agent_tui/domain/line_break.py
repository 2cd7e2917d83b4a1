"""Breaking text into lines of a given width in terminal cells, by the rules Chinese text follows
as well as English (a simplified Unicode line-breaking algorithm, UAX #14, with the Chinese
"kinsoku" rules of GB/T 15834 and W3C's clreq).

Textual and Rich wrap at spaces and fold a longer run anywhere: Chinese has no spaces, so a line
could start with "，" or "。", and a Chinese sentence holding one space broke there, leaving half a
line empty. Here:
- a line may break after a space, and between two wide (CJK) characters, or between a wide one and
  a narrow one, with no space needed;
- never before closing punctuation (，。、；：！？）」』》 …) nor after opening punctuation (（「『《 …);
- a run with no break in it that is wider than the line is cut where it must be (a long number).
The spaces a line breaks at are dropped; nothing else is lost or changed.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Not at the start of a line: closing brackets and quotes, stops and commas (full and half width),
# the iteration marks and the prolonged sound mark.
CLOSING = frozenset(
    "，。、；：！？）」』》〉】〕〗〙〛］｝〞’”…‥・·ー々〻ゝゞヽヾ"
    ",.;:!?)]}％%"
)
# Not at the end of a line: opening brackets and quotes.
OPENING = frozenset("（「『《〈【〔〖〘〚［｛〝‘“([{")


@lru_cache(maxsize=4096)
def cell_width(char: str) -> int:
    """Terminal cells ``char`` takes: 2 for wide (CJK) characters, 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width_of(text: str) -> int:
    return sum(cell_width(char) for char in text)


def _may_break_between(before: str, after: str) -> bool:
    if after.isspace():
        return False  # spaces stay with what they follow; the line breaks after them
    if before.isspace():
        return after not in CLOSING
    if after in CLOSING or before in OPENING:
        return False
    return cell_width(before) == 2 or cell_width(after) == 2


def break_units(paragraph: str) -> list[str]:
    """The paragraph cut at every place a line may break (each unit keeps its trailing spaces)."""
    units: list[str] = []
    start = 0
    shown = ""  # the last character before any spaces: "（ " may not end a line either
    for index in range(1, len(paragraph)):
        before = paragraph[index - 1]
        shown = shown if before.isspace() else before
        if _may_break_between(before, paragraph[index]) and shown not in OPENING:
            units.append(paragraph[start:index])
            start = index
    if paragraph:
        units.append(paragraph[start:])
    return units


def _fold(unit: str, width: int) -> list[str]:
    """A unit wider than a line, cut by characters (nothing breaks it more kindly)."""
    pieces, piece, used = [], "", 0
    for char in unit:
        size = cell_width(char)
        if piece and used + size > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += size
    pieces.append(piece)
    return pieces


def _paragraph_offsets(paragraph: str, width: int, base: int) -> list[int]:
    """Offsets (into the whole text) where lines of this paragraph start, after the first."""
    offsets: list[int] = []
    used, position = 0, base
    for unit in break_units(paragraph):
        body = width_of(unit.rstrip(" "))
        if used and used + body > width:
            offsets.append(position)
            used = 0
        if body > width:
            *whole, unit = _fold(unit, width)
            for piece in whole:
                position += len(piece)
                offsets.append(position)
        used += width_of(unit)
        position += len(unit)
    return offsets


def break_offsets(text: str, width: int) -> list[int]:
    """Where the lines of ``text`` start, after the first, at ``width`` cells (a newline in the
    text is a line break of its own; its offset is the character after it)."""
    if width < 1:
        return []
    offsets: list[int] = []
    base = 0
    for index, paragraph in enumerate(text.split("\n")):
        if index:
            offsets.append(base)
        offsets += _paragraph_offsets(paragraph, width, base)
        base += len(paragraph) + 1
    return offsets


def break_lines(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (the spaces each line breaks at dropped)."""
    starts = [0, *break_offsets(text, width), len(text) + 1]
    return [text[start:end].rstrip("\n").rstrip(" ") if end <= len(text) + 1 else ""
            for start, end in zip(starts, starts[1:], strict=False)]
