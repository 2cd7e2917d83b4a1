"""A program in a pseudo-terminal, as the pty tests drive it: keys in, every byte out kept."""

from __future__ import annotations

import select
import time

import ptyprocess


class Terminal:
    """A program in a pseudo-terminal, with everything it wrote kept."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = ptyprocess.PtyProcessUnicode.spawn(argv, env=env, dimensions=(24, 80))
        self.output = ""

    def read_until(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
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

    def send(self, keys: str) -> None:
        self.process.write(keys)

    def close(self) -> None:
        if self.process.isalive():
            self.process.terminate(force=True)
