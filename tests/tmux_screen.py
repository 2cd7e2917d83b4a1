"""A program in a real terminal emulator: a detached tmux window of its own (its own server
socket, so no other tmux is touched), read as the screen a person sees (``capture-pane``), typed
into with ``send-keys``. What the SSH route's tests drive the OpenSSH client with."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from pathlib import Path

POLL_S = 0.1


def unavailable_reason() -> str | None:
    return None if shutil.which("tmux") else "tmux is missing: install tmux"


class TmuxScreen:
    def __init__(self, socket: Path, argv: list[str], env: dict[str, str] | None = None,
                 size: tuple[int, int] = (80, 24), term: str = "xterm-256color") -> None:
        self.socket = socket
        self.name = "t"
        command = " ".join(shlex.quote(part) for part in argv)
        config = socket.with_suffix(".conf")
        # remain-on-exit: a program that ends leaves its last words on the screen to read; no
        # status line: the program has the whole 80x24.
        config.write_text(f'set -g default-terminal "{term}"\nset -g remain-on-exit on\n'
                          "set -g status off\nset -g escape-time 0\n", encoding="utf-8")
        self._tmux("-f", str(config), "new-session", "-d", "-s", self.name, "-x", str(size[0]),
                   "-y", str(size[1]), *(f"-e{key}={value}" for key, value in (env or {}).items()),
                   command)

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", str(self.socket), *args], check=True,
                              capture_output=True, text=True).stdout

    def text(self) -> str:
        """The screen as it is now, line by line."""
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """Until every one of ``texts`` is on the screen at once; the screen then."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} never on screen; the screen:\n{screen}")
            time.sleep(POLL_S)  # polling the screen for a condition, not a fixed wait

    def wait_until_gone(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while (screen := self.text()).count(text):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} stayed on screen:\n{screen}")
            time.sleep(POLL_S)
        return screen

    def exited(self) -> bool:
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def wait_exit(self, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not end; the screen:\n{self.text()}")
            time.sleep(POLL_S)
        return self.text()

    def pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}"))

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def press(self, *keys: str) -> None:
        """tmux key names: Enter, Tab, F2, C-n, Down ..."""
        self._tmux("send-keys", "-t", self.name, *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)
