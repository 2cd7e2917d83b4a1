"""Only what changed goes down the line. Textual redraws a widget whole when any of it changes:
a key typed in the search box resent the box's two border rows with its text row, and new
results resent every row of the table, cells that read the same as before included. Over SSH on
a thin line each keystroke paid 0.9-3.7 KB for it (bench: ``term_key_kb``, ``term_typing_kb``).

``diffing`` wraps Textual's terminal driver, as curses does: it keeps the cells it has written
(character and style), and of each piece Textual writes (``ESC[row;colH`` then styled text) it
sends only the span from the first cell that differs to the last. Anything it cannot follow (a
clear, the alternate screen, a resize, a piece holding more than colours and text) forgets what
it knew, so the next frame goes out whole: the terminal is only ever told too much, never left
showing stale cells."""

from __future__ import annotations

import os
import re
import sys

from rich.cells import cell_len
from textual.driver import Driver

_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
# What a frame's prefix may hold and leave every cell as it was: synchronised output, the
# cursor shown or hidden.
_HARMLESS_PREFIX = re.compile(r"(?:\x1b\[\?(?:2026|25)[hl])*")
Cell = tuple[str, str]  # (SGR parameters, character); "" is the right half of a wide character


def cells_of(text: str) -> list[Cell] | None:
    """The cells a piece of Textual's output paints, or None if it holds anything but SGR
    colours and printable text (then what it leaves on screen is not known here)."""
    cells: list[Cell] = []
    style = ""
    position = 0
    for match in _SGR.finditer(text):
        if not _add(cells, style, text[position:match.start()]):
            return None
        parameters = match.group(1)
        if parameters in ("", "0"):
            style = ""
        elif parameters.startswith("0;"):  # a reset and a new style in one (``render``'s own)
            style = parameters[2:]
        else:
            style = f"{style};{parameters}" if style else parameters
        position = match.end()
    return cells if _add(cells, style, text[position:]) else None


def _add(cells: list[Cell], style: str, text: str) -> bool:
    if not text.isprintable():
        return False
    for character in text:
        width = cell_len(character)
        if width == 0:
            return False  # a combining mark: joins the cell before, not followed here
        cells.append((style, character))
        if width == 2:
            cells.append((style, ""))
    return True


def render(cells: list[Cell]) -> str:
    """Cells from the default style (Textual's every piece ends in a reset): a style set only
    where it changes, reset and set in one sequence, and reset at the end. Textual closes and
    reopens the style at each segment, a table's every cell: a row of a result list is a
    third shorter written this way."""
    out: list[str] = []
    style = ""
    for cell_style, character in cells:
        if cell_style != style:
            if not cell_style:
                out.append("\x1b[0m")
            else:
                out.append(f"\x1b[0;{cell_style}m" if style else f"\x1b[{cell_style}m")
            style = cell_style
        out.append(character)
    if style:
        out.append("\x1b[0m")
    return "".join(out)


class ScreenMemory:
    """The cells written to each row, as far as they are known (None: not known)."""

    def __init__(self) -> None:
        self.rows: dict[int, list[Cell | None]] = {}
        self.size: tuple[int, int] | None = None

    def forget(self) -> None:
        self.rows.clear()

    def filter(self, data: str, size: tuple[int, int] | None = None) -> str:
        if size != self.size:  # resized: the terminal may have reflowed or cleared
            self.size = size
            self.forget()
        pieces = _MOVE.split(data)
        if not _HARMLESS_PREFIX.fullmatch(pieces[0]):
            self.forget()
            return data
        kept = [pieces[0]]
        last = len(pieces) - 3
        for index in range(1, len(pieces), 3):
            row, column, text = int(pieces[index]), int(pieces[index + 1]), pieces[index + 2]
            if text.endswith("\n"):  # Textual's line separator: every piece is addressed anyway
                text = text[:-1]
            if not text and index != last:
                continue  # a move to paint nothing (a table's empty gutter, row by row)
            kept.append(self._changed(row, column, text))
        return "".join(kept)

    def _changed(self, row: int, column: int, text: str) -> str:
        """What of one piece must still be written: nothing, a span of it, or all of it."""
        move = f"\x1b[{row};{column}H"
        if not text:  # the cursor's own place, at the end of a frame: always written
            return move
        cells = cells_of(text)
        if cells is None:
            self.rows.pop(row, None)
            return move + text
        line = self.rows.setdefault(row, [])
        start = column - 1
        if len(line) < start + len(cells):
            line.extend([None] * (start + len(cells) - len(line)))
        differ = [index for index, cell in enumerate(cells) if line[start + index] != cell]
        line[start:start + len(cells)] = cells
        if not differ:
            return ""
        first, last = differ[0], differ[-1]
        if cells[first][1] == "" and first > 0:
            first -= 1  # the right half of a wide character: write the character
        if last + 1 < len(cells) and cells[last + 1][1] == "":
            last += 1
        return f"\x1b[{row};{column + first}H" + render(cells[first:last + 1])


def diffing(driver_class: type[Driver]) -> type[Driver]:
    """``driver_class`` writing only what changed on the screen."""

    class DiffingDriver(driver_class):  # type: ignore[valid-type, misc]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.screen_memory = ScreenMemory()

        def write(self, data: str) -> None:
            super().write(self.screen_memory.filter(data, _terminal_size()))

    DiffingDriver.__name__ = f"Diffing{driver_class.__name__}"
    return DiffingDriver


def _terminal_size() -> tuple[int, int] | None:
    try:
        return tuple(os.get_terminal_size(sys.__stdin__.fileno()))  # type: ignore[return-value]
    except (OSError, AttributeError, ValueError):
        return None
