"""The forced command's side of the hand-over: after every check (``agent_tui.ssh_forced``), give
the session server this terminal and wait for the session's exit status in a process of a few
hundred KB instead of a Python with the workstation loaded (it is paid once per session).

The terminal is let go (``TIOCNOTTY``) before it is sent, so the server's child can take it as
its controlling terminal; if the server says no, or never answers, it is taken back and the
forced command runs the session itself, as without a server. Only the session leader sshd
started can do this: run under anything else, the hand-over is not tried."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import termios
from collections.abc import Mapping
from pathlib import Path

from agent_tui.ssh_server import wire

REPLY_TIMEOUT_S = 30.0
TERMINAL = [0, 1, 2]
# The waiting process: sh reads the status line the server writes when the session ends (or
# nothing, if the line closes without one: status 1), and exits with it. Well under 1 MB.
WAITER = ("/bin/sh", "-c", 'read -r status <&3; exit "${status:-1}"', "agent-tui-session")
STATUS_FD = 3


def hand_over(path: Path, agent_id: str, environment: Mapping[str, str]) -> socket.socket | None:
    """The connection the session's status will come back on, the session running in the
    server; or None, with the terminal still ours, to run the session here."""
    if os.getsid(0) != os.getpid() or not all(os.isatty(fd) for fd in TERMINAL):
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
        wire.check_peer(connection)  # never hand a terminal to another account
    except (OSError, wire.WireError):
        connection.close()
        return None
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # letting go of the terminal sends us SIGHUP
    try:
        fcntl.ioctl(TERMINAL[0], termios.TIOCNOTTY)
    except OSError:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        connection.close()
        return None
    connection.settimeout(REPLY_TIMEOUT_S)
    try:
        wire.send_request(connection, agent_id, environment, TERMINAL)
        reply = _line(connection)
    except OSError:
        reply = b""
    if reply == wire.OK:
        return connection
    if not _take_back():  # the server's child holds it after all: wait for that session
        return connection
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    connection.close()
    return None


def _line(connection: socket.socket) -> bytes:
    """One line, a byte at a time: what follows it (the status) is the waiter's to read."""
    line = b""
    while not line.endswith(b"\n") and len(line) < 16:
        byte = connection.recv(1)
        if not byte:
            break
        line += byte
    return line


def _take_back() -> bool:
    try:
        fcntl.ioctl(TERMINAL[0], termios.TIOCSCTTY, 0)
    except OSError:
        return False
    return True


def wait_small(connection: socket.socket) -> None:
    """Become the waiter: the status connection as descriptor 3, nothing of the terminal kept,
    and sh in place of this Python. Never returns."""
    connection.settimeout(None)
    descriptor = connection.fileno()
    if descriptor != STATUS_FD:
        os.dup2(descriptor, STATUS_FD)
    os.set_inheritable(STATUS_FD, True)
    null = os.open(os.devnull, os.O_RDWR)
    for target in TERMINAL:
        os.dup2(null, target)
    try:
        os.execv(WAITER[0], WAITER)
    except OSError:
        _wait_here()


def _wait_here() -> None:
    """No sh on this host: the same wait in Python."""
    status = b""
    while not status.endswith(b"\n"):
        chunk = os.read(STATUS_FD, 16)
        if not chunk:
            break
        status += chunk
    os._exit(int(status) if status.strip().isdigit() else 1)
