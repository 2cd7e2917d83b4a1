"""A crash's report, for whoever fixes it, in a file only the agent's account can read.

The traceback without locals (a frame's locals are customer records, answers, codes), each
exception's message kept, and every character a terminal would obey escaped, so printing the
file is safe too. Written beside the store, which holds the same data under the same mode 0600.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

from agent_tui.domain.times import file_stamp

FOLDER = "crash-reports"


def _escaped(text: str) -> str:
    """Printable text and newlines as they are; anything else as a Python escape (\\x1b)."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == "\n"
                   else char.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for char in text)


def report_text(error: BaseException, at: datetime) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        versions = f"agent-tui {version('agent-tui')}, textual {version('textual')}"
    except PackageNotFoundError:
        versions = "agent-tui (not installed)"
    header = (f"agent-tui crash at {at.isoformat(timespec='seconds')}\n{versions}, Python "
              f"{platform.python_version()} on {sys.platform}, pid {os.getpid()}\n\n")
    lines = traceback.format_exception(error, limit=None, chain=True)
    inner = getattr(error, "error", None)  # a worker's failure carries the error it wraps
    if isinstance(inner, BaseException) and inner is not error:
        lines += ["\nThe error in the worker:\n",
                  *traceback.format_exception(inner, limit=None, chain=True)]
    return header + "".join(_escaped(line) for line in lines)


def write(folder: Path, error: BaseException, at: datetime | None = None) -> Path | None:
    """Write the report for ``error`` in ``folder``/crash-reports, created 0600 (the folder
    0700); its path, or None if it could not be written (the crash must still end cleanly)."""
    at = at or datetime.now()
    try:
        directory = folder / FOLDER
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = directory / f"crash-{file_stamp(at)}-{os.getpid()}.log"
        number = 1
        while True:
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:  # two crashes in one second
                number += 1
                path = directory / f"crash-{file_stamp(at)}-{os.getpid()}-{number}.log"
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace") as file:
            os.fchmod(file.fileno(), 0o600)  # whatever the umask
            file.write(report_text(error, at))
    except Exception:  # noqa: BLE001 - a report that cannot be written must not hide the crash
        return None
    return path
