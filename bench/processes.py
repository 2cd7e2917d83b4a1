"""Figures taken from separate processes: cold start, resident memory, bytes written to a terminal.

Every child runs with HOME and the XDG dirs in a temporary directory and no AGENT_TUI_* variables,
so no user config, data or locale leaks in.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CHILD = Path(__file__).with_name("child.py")
CHILD_TIMEOUT_S = 120.0
RESULT_PREFIX = "BENCH-RESULT "
LOCALES = {"en": "en_US.UTF-8", "zh-CN": "zh_CN.UTF-8"}


def clean_env(home: Path, language: str, **extra: str) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("AGENT_TUI_", "TEXTUAL_", "LC_", "XDG_")) and key not in (
            "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PYTHONPATH", "PYTHONSTARTUP",
        )
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        LANG=LOCALES.get(language, "en_US.UTF-8"),
    )
    env.update(extra)
    return env


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, dict]:
    """Wall seconds from spawn to exit, and the child's BENCH-RESULT."""
    command = [sys.executable, "-I", str(CHILD), *args]
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=CHILD_TIMEOUT_S,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args[:1])} exited {completed.returncode}:\n{completed.stderr[-3000:]}"
        )
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return seconds, json.loads(line[len(RESULT_PREFIX):])
    raise RuntimeError(f"{args[0]} printed no result:\n{completed.stdout[-2000:]}")


# -- cold start ------------------------------------------------------------------------------


@dataclass(slots=True)
class ColdStart:
    agent_s: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    agent_ready_ms: list[float] = field(default_factory=list)
    bare_ready_ms: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.agent_s) / statistics.median(self.bare_s)


def cold_start(store: Path, language: str, rounds: int, home: Path) -> ColdStart:
    """A B A B ...: the AgentApp and the bare app alternately, after one untimed run of each (so
    both find their bytecode cached and their files in the page cache, as on a working machine)."""
    env = clean_env(home, language)
    agent = ["start-agent", str(store), language]
    bare = ["start-bare"]
    run_child(agent, env)
    run_child(bare, env)
    result = ColdStart()
    for _ in range(rounds):
        seconds, data = run_child(agent, env)
        result.agent_s.append(seconds)
        result.agent_ready_ms.append(data["ready_ms"])
        seconds, data = run_child(bare, env)
        result.bare_s.append(seconds)
        result.bare_ready_ms.append(data["ready_ms"])
    return result


# -- resident memory -------------------------------------------------------------------------


def memory(store: Path, language: str, mobiles: list[str], home: Path) -> tuple[dict, dict]:
    env = clean_env(home, language)
    _, agent = run_child(["memory-agent", str(store), language, json.dumps(mobiles)], env)
    _, bare = run_child(["memory-bare"], env)
    return agent, bare


# -- bytes written to a terminal -------------------------------------------------------------

_ESCAPE = re.compile(
    r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)"
)
QUIET_S = 0.3  # shorter than the input cursor's 0.5 s blink: a blink ends a burst, not extends it
PTY_TIMEOUT_S = 30.0


@dataclass(slots=True)
class TerminalBytes:
    start: int = 0
    start_seconds: float = 0.0
    marker_seen: bool = False
    first_key: int = 0
    typing: list[int] = field(default_factory=list)
    typed: str = ""
    idle: int = 0  # bytes written while nobody types, over ``idle_seconds``
    idle_seconds: float = 0.0


class _Pty:
    def __init__(self, command: list[str], env: dict[str, str], rows: int, columns: int) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.closed = False

    def read_burst(self, quiet: float, timeout: float, until=None) -> bytes:
        """Read until ``until(data)`` holds (if given) and then nothing came for ``quiet`` s."""
        data = bytearray()
        deadline = time.monotonic() + timeout
        satisfied = until is None
        while time.monotonic() < deadline and not self.closed:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                if satisfied and data:
                    break
                if satisfied and until is None and not data:
                    break  # nothing at all
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed the terminal
                self.closed = True
                break
            if not chunk:
                self.closed = True
                break
            data += chunk
            if not satisfied and until(bytes(data)):
                satisfied = True
        return bytes(data)

    def read_for(self, seconds: float) -> bytes:
        """Everything written during the next ``seconds``."""
        data = bytearray()
        deadline = time.monotonic() + seconds
        while not self.closed and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    self.closed = True
                    break
                data += chunk
        return bytes(data)

    def write(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def close(self) -> None:
        """Quit the way an agent does (ctrl+q), or end the process if it will not."""
        try:
            if self.process.poll() is None:
                try:
                    self.write("\x11")  # ctrl+q
                    self.read_burst(QUIET_S, 3.0)
                    self.process.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    os.killpg(self.process.pid, signal.SIGTERM)
                    self.process.wait(timeout=5)
        finally:
            os.close(self.master)


def visible_text(data: bytes) -> str:
    return _ESCAPE.sub("", data.decode("utf-8", "replace"))


def _start_workstation(store: Path, language: str, home: Path, marker: str
                       ) -> tuple[_Pty, TerminalBytes]:
    """``agent-tui run`` in an 80x24 pseudo-terminal, read until ``marker`` shows on the search
    screen and the screen settles; the bytes that took are the result's ``start``. With the
    low-bandwidth profile ``ssh-session`` applies (``[ui] low_bandwidth``): only changed cells
    sent, no mouse, no cursor blink, no animation."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "bench-config.toml"
    config.write_text('[agent]\nid = "A1024"\nname = "李娜"\nstaff_number = "1024"\n'
                      '[ui]\nlow_bandwidth = true\n', encoding="utf-8")
    env = clean_env(home, language, TERM="xterm-256color", AGENT_TUI_CONFIG=str(config),
                    AGENT_TUI_LANGUAGE=language)
    script = Path(sys.executable).with_name("agent-tui")
    command = [str(script), "run", "--store", str(store), "--no-mouse"]
    result = TerminalBytes()
    started = time.monotonic()
    terminal = _Pty(command, env, 24, 80)
    seen = terminal.read_burst(
        QUIET_S, PTY_TIMEOUT_S, until=lambda data: marker in visible_text(data)
    )
    result.start = len(seen)
    result.start_seconds = time.monotonic() - started
    result.marker_seen = marker in visible_text(seen)
    if terminal.closed:
        terminal.close()
        raise RuntimeError(f"agent-tui exited at start:\n{visible_text(seen)[-2000:]}")
    return terminal, result


def _type(terminal: _Pty, typed: str, result: TerminalBytes) -> list[str]:
    """Type ``typed`` a key at a time, each read until the screen settles; the visible text of
    each key's bytes is returned, to check the keys landed where they were meant to."""
    result.typed = typed
    shown = []
    for index, char in enumerate(typed):
        terminal.write(char)
        data = terminal.read_burst(QUIET_S, 10.0, until=lambda data: len(data) > 0)
        if index == 0:
            result.first_key = len(data)
        result.typing.append(len(data))
        shown.append(visible_text(data))
    return shown


def terminal_bytes(
    store: Path, language: str, marker: str, typed: str, home: Path, idle_seconds: float = 2.0
) -> TerminalBytes:
    """Bytes until the search screen has settled, then per keystroke of ``typed`` in the search
    box, then what an idle screen keeps writing (the input's cursor blink) over
    ``idle_seconds``."""
    terminal, result = _start_workstation(store, language, home, marker)
    try:
        _type(terminal, typed, result)
        result.idle = len(terminal.read_for(idle_seconds))
        result.idle_seconds = idle_seconds
    finally:
        terminal.close()
    return result


def note_bytes(store: Path, language: str, marker: str, notes_title: str, typed: str,
               home: Path, idle_seconds: float = 3.0) -> TerminalBytes:
    """Bytes per keystroke typed into a call's notes: ctrl+n starts a call (an unknown caller),
    Tab twice goes from the checklist past the phrases to the notes, then ``typed``, each key
    checked by the forbidden-phrase guard as the agent types; then the idle workspace (the call
    timer ticks every second) over ``idle_seconds``. ``marker_seen``: every key showed."""
    terminal, result = _start_workstation(store, language, home, marker)
    try:
        terminal.write("\x0e")  # ctrl+n
        opened = terminal.read_burst(QUIET_S, PTY_TIMEOUT_S,
                                     until=lambda data: notes_title in visible_text(data))
        if notes_title not in visible_text(opened):
            raise RuntimeError(f"no call workspace:\n{visible_text(opened)[-2000:]}")
        for _ in range(2):
            terminal.write("\t")
            terminal.read_burst(QUIET_S, 5.0)
        shown = _type(terminal, typed, result)
        result.marker_seen = all(char in text for char, text in zip(typed, shown, strict=True)
                                 if not char.isspace())
        result.idle = len(terminal.read_for(idle_seconds))
        result.idle_seconds = idle_seconds
    finally:
        for key in ("\x11", "\t", "\r"):  # ctrl+q asks, as a call is open: "Save and quit"
            terminal.write(key)
            terminal.read_burst(QUIET_S, 3.0)
        terminal.close()
    return result
