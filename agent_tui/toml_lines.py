"""Where something is in a TOML file, so a problem reads ``phrases.toml:42`` or ``config.toml:3``.

TOML parsers keep no positions. Config settings are found under their ``[section]`` (or spelt dotted
or inline). For the scripts library's entries: Arrays of tables appear in document order, so the n-th ``[[phrase]]``
header is the n-th phrase, and nested ``[[stage.step]]`` headers number the steps of all stages
in turn; a key's line is searched for between its entry's header and the next header.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([\w.-]+)\s*\]\]")
_ANY_HEADER = re.compile(r"^\s*\[")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([\w.-]+)\s*\]\s*(#.*)?$")
_SECTION = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")


class Lines:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = defaultdict(list)
        self.tables: dict[str, int] = {}
        for number, line in enumerate(self.lines, start=1):
            if array := _ARRAY_HEADER.match(line):
                self.headers[array[1]].append(number)
            elif table := _TABLE_HEADER.match(line):
                self.tables.setdefault(table[1], number)

    def entry(self, table: str, index: int) -> int | None:
        """The header line of the ``index``-th ``[[table]]`` (0-based), if there is one."""
        headers = self.headers.get(table, [])
        return headers[index] if 0 <= index < len(headers) else None

    def key(self, table: str, index: int, key: str) -> int | None:
        """The line of ``key`` in that entry, or the entry's header line."""
        start = self.entry(table, index)
        if start is None:
            return self.tables.get(table)
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*[=.]")
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if _ANY_HEADER.match(line):
                break
            if pattern.match(line):
                return number
        return start

    def setting(self, location: Sequence[str]) -> int | None:
        """The line of a config setting ``section.key``: under ``[section]``; a whole unknown
        section by its header; or spelt dotted (``ui.key =``) or inline (``ui = { key = … }``)."""
        section, key = (location[0], location[-1]) if len(location) > 1 else (None, location[0])
        key_line = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        current = None
        for number, line in enumerate(self.lines, start=1):
            if header := _SECTION.match(line):
                current = header[1].strip()
                if section is None and current == key:
                    return number
                continue
            if current == section and key_line.match(line):
                return number
        dotted = re.compile(rf"^\s*{re.escape('.'.join(location))}\s*=")
        inline = (re.compile(rf"^\s*{re.escape(section)}\s*=.*\b{re.escape(key)}\s*=")
                  if section else None)
        for number, line in enumerate(self.lines, start=1):
            if dotted.match(line) or (inline and inline.match(line)):
                return number
        return None
