"""Times and durations: how the store keeps them and how the agent reads them, in this one module.

The store keeps times local, to the second, without an offset (as the demo data), so they sort as
text and compare in SQL (``iso``, ``parse``). Each way a time or a duration is shown has one
function here named for what it is for; screens never format a time themselves. Functions that
show a moment take a ``datetime`` or the store's ISO text; text is cut, not parsed, so a damaged
stored time shows as what it is (cleaned where it is drawn) instead of failing the screen.
"""

from __future__ import annotations

from datetime import datetime, timedelta

STAMP_FORMAT = "%Y-%m-%d %H:%M"  # what the agent types for a callback's time, too


def iso(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone().replace(tzinfo=None)
    return at.isoformat(timespec="seconds")


def parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _minutes(at: datetime | str) -> str:
    """``2026-12-03 07:31`` from either form."""
    return at.strftime(STAMP_FORMAT) if isinstance(at, datetime) else at[:16].replace("T", " ")


def stamp(at: datetime | str) -> str:
    """A moment in full, to the minute (``2026-12-03 07:31``): due times, table rows, a call's
    start."""
    return _minutes(at)


def parse_stamp(text: str) -> datetime:
    """The moment an agent typed as ``stamp`` shows it (ValueError if it is not one)."""
    return datetime.strptime(text, STAMP_FORMAT)


def short_stamp(at: datetime | str) -> str:
    """A moment without its year (``12-03 07:31``): in lists and lines where the year is plain."""
    return _minutes(at)[5:]


def time_of_day(at: datetime | str) -> str:
    """The time alone (``07:31``): a moment of today, as the last sync."""
    return _minutes(at)[11:]


def file_stamp(at: datetime) -> str:
    """A moment in a file's name (``20261203-073100``): sorts, and has no character a file system
    refuses."""
    return at.strftime("%Y%m%d-%H%M%S")


def time_left(left: timedelta) -> str:
    """A case's time left or overdue, its sign dropped (``1d 2h03m``, ``0h45m``)."""
    minutes = int(abs(left.total_seconds()) // 60)
    days, minutes = divmod(minutes, 1440)
    return (f"{days}d " if days else "") + f"{minutes // 60}h{minutes % 60:02d}m"


def call_timer(elapsed: timedelta) -> str:
    """A call's length on its timer (``04:07``): minutes and seconds, never negative."""
    seconds = max(0, int(elapsed.total_seconds()))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
