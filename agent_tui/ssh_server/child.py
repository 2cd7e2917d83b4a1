"""One session, in the session server's fork: what the forced command's own process would be
if it had started the workstation itself. It leaves the server's session and takes the SSH
terminal as its controlling terminal (so a resize sends it SIGWINCH and a dropped line SIGHUP,
as today), makes the terminal its 0, 1 and 2, lets go of everything of the server's (the
listening socket, the other sessions' connections, the signal handlers), takes the session's
environment, says ``ok`` and runs the workstation. It never returns into the server's loop."""

from __future__ import annotations

import fcntl
import io
import os
import signal
import socket
import sys
import termios
import traceback
from collections.abc import Callable, Iterable

from agent_tui.ssh_server import wire

REFUSED = b"no\n"  # the terminal could not be taken: the forced command runs the session itself


def run_child(run_session: Callable[[str, dict[str, str]], int], agent_id: str,
              environment: dict[str, str], descriptors: list[int],
              connection: socket.socket, close: Iterable[socket.socket],
              wake: tuple[int, int]) -> None:
    status = 1
    try:
        _leave_the_server(close, wake)
        try:
            take_terminal(descriptors)
        except OSError:
            connection.sendall(REFUSED)
            os._exit(1)
        _fresh_stdio()
        os.environ.clear()
        os.environ.update(environment)
        # Kept open to the end, inherited by nothing: the forced command sees its line close
        # when this session ends, even if the server has gone meanwhile.
        connection.settimeout(None)
        connection.sendall(wire.OK)
        status = run_session(agent_id, environment)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # anything else: said on the terminal, never back in the server
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(status)


def _leave_the_server(close: Iterable[socket.socket], wake: tuple[int, int]) -> None:
    signal.set_wakeup_fd(-1)
    for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGWINCH):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for descriptor in wake:
        os.close(descriptor)
    for held in close:
        held.close()


def take_terminal(descriptors: list[int]) -> None:
    """A session of its own with the terminal as its controlling terminal, then the terminal
    as 0, 1 and 2. Fails (EPERM) if the forced command still holds the terminal."""
    os.setsid()
    fcntl.ioctl(descriptors[0], termios.TIOCSCTTY, 0)
    for target, descriptor in enumerate(descriptors):
        if descriptor != target:
            os.dup2(descriptor, target)
    for descriptor in set(descriptors) - {0, 1, 2}:
        os.close(descriptor)


def _fresh_stdio() -> None:
    """Python's stdio objects on the terminal now at 0, 1 and 2, as an interpreter started on
    it makes them (the server's were made for its log, block-buffered)."""
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8",
        errors="surrogateescape")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8",
        errors="surrogateescape", line_buffering=True)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8",
        errors="backslashreplace", line_buffering=True)
