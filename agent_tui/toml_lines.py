"""Where an entry of a TOML file is, so a problem reads ``phrases.toml:42`` and not "phrase 17".

tomllib keeps no positions. Arrays of tables appear in document order, so the n-th ``[[phrase]]``
header is the n-th phrase, and nested ``[[stage.step]]`` headers number the steps of all stages
in turn; a key's line is searched for between its entry's header and the next header.
"""

from __future__ import annotations

import re
from collections import defaultdict

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([\w.-]+)\s*\]\]")
_ANY_HEADER = re.compile(r"^\s*\[")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([\w.-]+)\s*\]\s*(#.*)?$")


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
