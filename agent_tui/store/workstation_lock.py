"""One workstation window per store: the second `agent-tui run` on a store is refused at start, with
the store and the process that has it, before anything can be typed into it.

Two windows on one store wrote one draft row per thing being typed (`case-note:<case>`), so after
both were killed one window's note was gone; they would also be one sync device with two outbox
pushers. docs/decisions.md says why refusing beats keeping drafts per window.

The lock is ``flock`` on a sidecar file, ``<store>.lock``: the kernel drops it when the process
ends, however it ends (a SIGKILL, a dropped SSH session), so a killed workstation never leaves a
stale lock and the next start offers its drafts. The store file itself is never opened outside
SQLite (closing any descriptor of it would drop SQLite's own POSIX locks; docs/decisions.md). The
sidecar is never deleted: a process could be locking the old file while another creates a new one.
"""

from __future__ import annotations

import os
from pathlib import Path

from agent_tui.store.database import StoreError

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock, as before
    fcntl = None  # type: ignore[assignment]


def lock_path(store: Path) -> Path:
    """The sidecar of the store at ``store``, wherever it is reached from (symlinks resolved)."""
    store = Path(store).expanduser().resolve()
    return store.with_name(store.name + ".lock")


class WorkstationLock:
    def __init__(self, descriptor: int | None) -> None:
        self._descriptor = descriptor

    @classmethod
    def take(cls, store: Path) -> WorkstationLock:
        """The store for this process alone, until ``release`` or the process ends; StoreError
        ``store.in_use`` if another process has it. A folder where the sidecar cannot be made
        takes no lock: opening the store there fails too, and says why."""
        if fcntl is None:
            return cls(None)
        path = lock_path(store)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:
            return cls(None)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "?"
            os.close(descriptor)
            raise StoreError("store.in_use", path=str(store), pid=holder) from None
        try:  # who has it, for the message the next window shows (a full disk: no matter)
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass
        return cls(descriptor)

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing drops the lock
            self._descriptor = None

    def __enter__(self) -> WorkstationLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
