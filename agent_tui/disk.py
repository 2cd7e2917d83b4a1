"""Whether a failed write failed because the disk is full, so the agent is told that (and where),
rather than "reading failed" or an I/O error: a full disk is the one cause the agent or IT can
fix at once, by freeing space.

SQLite says SQLITE_FULL when a write finds no room, but a file it must grow or map to start
(the shared-memory index of a WAL store) fails as a plain I/O error: then the filesystem itself
is asked how much room is left.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_IOERR = 10  # SQLITE_IOERR, whose extended codes name what failed, not why
ROOM_NEEDED = 1 << 20  # less than this left, and an I/O error is a full disk


def room_left(folder: Path) -> int | None:
    """Bytes an unprivileged writer may still use in ``folder``'s filesystem, if it can be told."""
    try:
        stats = os.statvfs(folder)
    except OSError:
        return None
    return stats.f_bavail * stats.f_frsize


def is_disk_full(error: BaseException, folder: Path | None = None) -> bool:
    """Whether ``error`` (an OSError or a sqlite3.Error) means no room to write in ``folder``."""
    if isinstance(error, OSError):
        return error.errno in _FULL_ERRNOS
    if not isinstance(error, sqlite3.Error):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "disk is full" in str(error)
    if code & 0xFF == sqlite3.SQLITE_FULL:
        return True
    if code & 0xFF == _IOERR and folder is not None:
        left = room_left(folder)
        return left is not None and left < ROOM_NEEDED
    return False
