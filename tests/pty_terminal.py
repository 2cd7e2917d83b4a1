"""A program in a pseudo-terminal, as the pty tests drive it: keys in, every byte out kept."""

from __future__ import annotations

import codecs
import os
import select
import sys
import time
from pathlib import Path

import ptyprocess


class Terminal:
    """A program in a pseudo-terminal, with everything it wrote kept: ``raw`` as bytes,
    ``output`` as text (bytes that are not UTF-8 as U+FFFD)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = _Process.spawn(argv, env=env, dimensions=(24, 80))
        self.output = ""

    @property
    def raw(self) -> bytes:
        return bytes(self.process.raw)

    def read_until(self, text: str, timeout: float = 30.0, since: int = 0) -> None:
        """Until ``text`` is in what the program wrote (after position ``since``)."""
        deadline = time.monotonic() + timeout
        while self.output.find(text, since) == -1:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; last output: {self.output[-800:]!r}")
            if not self.process.isalive():
                raise AssertionError(f"the program exited: {self.output[-2000:]!r}")
            # Never a blocking read: a program that has drawn its screen and waits for keys
            # would hold the test forever instead of failing it at the deadline.
            self.settle(0.05)

    def settle(self, seconds: float = 0.5) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.isalive():
                try:
                    # Reads return as soon as anything is there; the loop just drains for a while.
                    ready, _, _ = select.select([self.process.fd], [], [], 0.05)
                    if ready:
                        self.output += self.process.read(65536)
                except EOFError:
                    return

    def read_to_end(self, timeout: float = 30.0) -> int:
        """Everything the program writes until it exits; its exit status."""
        deadline = time.monotonic() + timeout
        while True:
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not exit: {self.output[-800:]!r}")
            if not select.select([self.process.fd], [], [], 0.1)[0]:
                if not self.process.isalive():
                    break
                continue
            try:
                self.output += self.process.read(65536)
            except EOFError:
                break
        self.process.wait()
        return self.process.exitstatus

    def drain(self) -> None:
        """Read whatever the program has written so far, without waiting for more."""
        while self.process.isalive() and select.select([self.process.fd], [], [], 0)[0]:
            try:
                self.output += self.process.read(65536)
            except EOFError:
                return

    def send(self, keys: str) -> None:
        self.process.write(keys.encode())

    def close(self) -> None:
        if self.process.isalive():
            self.process.terminate(force=True)


class _Process(ptyprocess.PtyProcess):
    """Bytes from the pty, kept, and decoded as they come (a character split across two reads
    is decoded once it is whole)."""

    def __init__(self, pid: int, fd: int) -> None:
        super().__init__(pid, fd)
        self.raw = bytearray()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def read(self, size: int = 1024) -> str:  # type: ignore[override]
        data = super().read(size)
        self.raw.extend(data)
        return self._decoder.decode(data)


def workstation(store: Path, folder: Path, language: str = "en") -> tuple[list[str], dict[str, str]]:
    """The argv and environment of the real `agent-tui run` on ``store``, signed in as agent
    A1024 by a config file written in ``folder`` (no mouse, no blink), for a ``Terminal``."""
    config = folder / "config.toml"
    config.write_text('[agent]\nid = "A1024"\nname = "李娜"\nstaff_number = "1024"\n'
                      f'[ui]\nlanguage = "{language}"\ncursor_blink = false\n', encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color", "AGENT_TUI_CONFIG": str(config)}
    argv = [str(Path(sys.executable).with_name("agent-tui")), "run", "--store", str(store),
            "--no-mouse"]
    return argv, env
