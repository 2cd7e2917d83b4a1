"""``agent-tui ssh session-server`` as systemd would run it, for the SSH route's tests and bench:
a subprocess listening on a socket in a short folder of its own (a Unix socket's path is at most
107 bytes; pytest's folders are long), ready once it says so on stderr."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AGENT_TUI = str(Path(sys.executable).with_name("agent-tui"))
READY = b"listening on"
START_TIMEOUT_S = 60.0


class SessionServerProcess:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ats-"))
        self.socket = self.folder / "run" / "sessions.sock"
        self.process: subprocess.Popen | None = None
        self.said = b""

    def start(self) -> SessionServerProcess:
        env = {**os.environ, "LANG": "en_US.UTF-8"}
        self.process = subprocess.Popen(
            [AGENT_TUI, "ssh", "session-server", "--socket", str(self.socket)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + START_TIMEOUT_S
        while READY not in self.said:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the session server did not start: {self.said!r}")
            if select.select([self.process.stderr], [], [], 0.5)[0]:
                self.said += os.read(self.process.stderr.fileno(), 65536)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        """What the server wrote since it was ready (one line per session started and ended)."""
        assert self.process is not None and self.process.stderr is not None
        while select.select([self.process.stderr], [], [], 0)[0]:
            chunk = os.read(self.process.stderr.fileno(), 65536)
            if not chunk:
                break
            self.said += chunk
        return self.said.decode(errors="replace")

    def stop(self) -> None:
        """SIGTERM, as systemd stops it: the server goes, its socket with it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        self.stop()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)
