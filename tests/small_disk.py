"""A disk that really fills up: a small tmpfs mounted for one test (as root), with a filler file that
takes every byte left and can be removed again.

Nothing else stands in for it. A file-size limit (RLIMIT_FSIZE) makes writes fail with EFBIG,
which SQLite reports as a disk I/O error, not SQLITE_FULL; a mocked error tests the mock. Where
mounting is impossible (not root, no CAP_SYS_ADMIN in the container) the tests using it skip, and
say why in the warnings summary as well as the skip reason.
"""

from __future__ import annotations

import errno
import os
import subprocess
import warnings
from pathlib import Path

import pytest

CHUNK = 64 * 1024


class SmallDisk:
    def __init__(self, mountpoint: Path, size_mb: int) -> None:
        self.path = mountpoint
        self.size_mb = size_mb
        self.filler = mountpoint / ".filler"

    def mount(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            _cannot(f"it needs root to mount a {self.size_mb} MB tmpfs (running as uid "
                    f"{os.geteuid()})")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m,mode=0700", "tmpfs",
             str(self.path)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            _cannot(f"mounting a tmpfs failed: {done.stderr.strip() or done.returncode}")

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True, check=False)

    def fill(self) -> None:
        """Take every byte left: the next write that needs room fails with ENOSPC."""
        block = b"\0" * CHUNK
        with open(self.filler, "ab", buffering=0) as filler:
            for size in (CHUNK, 4096, 512, 1):
                while True:
                    try:
                        filler.write(block[:size])
                    except OSError as error:
                        if error.errno != errno.ENOSPC:
                            raise
                        break
        assert os.statvfs(self.path).f_bavail == 0

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


def _cannot(reason: str) -> None:
    message = (f"FULL-DISK TEST NOT RUN: {reason}. These tests need a real full disk; run the "
               "suite as root (make test does, in CI) to check what a full disk says.")
    warnings.warn(message, stacklevel=3)
    pytest.skip(message)
