"""One problem of the scripts library, with the file and line to look at."""

from __future__ import annotations

import msgspec

from agent_tui.i18n import Catalog


class Problem(msgspec.Struct, frozen=True):
    path: str
    line: int | None
    key: str
    values: dict[str, object]

    def text(self, catalog: Catalog) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {catalog.text(self.key, **self.values)}"
