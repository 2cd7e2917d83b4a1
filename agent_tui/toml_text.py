"""Reading a TOML file a person edited (the config, the scripts library): what an editor may put in
it is accepted, and what the parser cannot survive is a problem with a line.

- A UTF-8 byte-order mark (Windows Notepad writes one) is dropped; line numbers are unchanged.
- Nesting too deep to parse (``x = [[[[…`` five thousand deep, a dotted key of thousands of
  parts) makes tomli give up with a RecursionError, which carries no position: the line is
  found by parsing ever shorter beginnings of the text (a bisection; the parser reads in order,
  so a beginning that holds the line gives up the same way). Only on that error path.
"""

from __future__ import annotations

from pathlib import Path

import tomli


class TooDeep(Exception):
    """Nesting deeper than the parser goes, first reached on ``line`` (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__(f"nested too deeply at line {line}")
        self.line = line


def read_text(path: Path) -> str:
    """The file as text; a byte-order mark at its start is not part of it."""
    return path.read_text(encoding="utf-8-sig")


def parse(text: str) -> dict:
    """``tomli.loads``, with TooDeep (and its line) instead of a RecursionError."""
    try:
        return tomli.loads(text)
    except RecursionError:
        raise TooDeep(_too_deep_line(text)) from None


def _gives_up(text: str) -> bool:
    try:
        tomli.loads(text)
    except RecursionError:
        return True
    except tomli.TOMLDecodeError:
        return False
    return False


def _too_deep_line(text: str) -> int:
    lines = text.splitlines(keepends=True)
    low, high = 1, max(len(lines), 1)  # the beginning of ``high`` lines gives up
    while low < high:
        middle = (low + high) // 2
        if _gives_up("".join(lines[:middle])):
            high = middle
        else:
            low = middle + 1
    return low
