"""Files that hold customer data (the workstation's store, the hub's SQLite database, the demo SMS
outbox) are their owner's alone: created mode 0600, with no moment in which they exist readable
by others (the mode is given to ``open(2)`` itself, not set afterwards), and tightened when an
older file is found looser. SQLite creates a database's -wal and -shm files with the database
file's own mode, so a 0600 database keeps its companions 0600 too.

``chmod`` opens no descriptor of the file: it never drops SQLite's POSIX locks (see
docs/decisions.md on opening the store file only through SQLite).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600


def tighten(*paths: Path) -> None:
    """Take group and other permissions off each of ``paths`` that exists (and is ours: only
    a file's owner may change its mode)."""
    for path in paths:
        try:
            status = os.stat(path)
        except FileNotFoundError:
            continue
        mode = stat.S_IMODE(status.st_mode)
        if mode & 0o077 and status.st_uid == os.geteuid():
            os.chmod(path, mode & 0o700)


def sqlite_companions(path: Path) -> tuple[Path, Path, Path]:
    """A SQLite database file and the -wal and -shm files beside it."""
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def create_private(path: Path) -> None:
    """Create ``path`` empty and 0600 if it does not exist (an empty file is an empty SQLite
    database); tighten it, and its SQLite companions, if it does."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError:
        pass
    tighten(*sqlite_companions(path))


def open_append(path: Path) -> TextIO:
    """``path`` opened to append text, created 0600 if absent and tightened if looser."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE)
    try:
        mode = stat.S_IMODE(os.fstat(descriptor).st_mode)
        if mode & 0o077:
            os.fchmod(descriptor, mode & 0o700)
        return os.fdopen(descriptor, "a", encoding="utf-8")
    except BaseException:
        os.close(descriptor)
        raise


def replace_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole: a 0600 temporary file (mkstemp's mode, kept by the
    rename) beside it, written to disk, then an atomic rename. A reader never sees half a file,
    a crash or a full disk leaves the old one (and no temporary), and the mode is never looser."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-",
                                             suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
