"""Times as the store keeps them: local, to the second, without an offset (as the demo data), so
they sort as text and compare in SQL."""

from __future__ import annotations

from datetime import datetime


def iso(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone().replace(tzinfo=None)
    return at.isoformat(timespec="seconds")


def parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
