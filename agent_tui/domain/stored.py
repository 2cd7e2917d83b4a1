"""Reading stored values that may be damaged: a row is shown marked, never a crash.

A store can hold what its schema does not allow: a file written by an older version or another
program, a sync bug, a disk error. A code outside its enum or a date that does not parse reads as
None, and the record names the field in its ``damaged`` set; text whose bytes were not UTF-8
reads with U+FFFD where they were (the store's connection decodes that way), which counts as
damaged too. Screens show a damaged field with a marker and carry on with the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import TypeVar

from agent_tui.domain.text import is_damaged

E = TypeVar("E", bound=Enum)
MARK = "\u26a0"  # ⚠: what a damaged value is shown with, in every language


def as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def as_datetime(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def as_enum(kind: type[E], value: object) -> E | None:
    try:
        return kind(value)
    except ValueError:
        return None


def as_level(value: object, highest: int = 5) -> int | None:
    """A risk level, 1 to ``highest``."""
    return value if isinstance(value, int) and 1 <= value <= highest else None


def damaged_fields(values: Mapping[str, object]) -> frozenset[str]:
    """Which of ``values`` (read with the functions above, so None means "not readable") were
    not stored as written: None, or text carrying U+FFFD."""
    return frozenset(name for name, value in values.items()
                     if value is None or (isinstance(value, str) and is_damaged(value)))
