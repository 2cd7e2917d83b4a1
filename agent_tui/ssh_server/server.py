"""The session server's loop: listen on the account's socket, accept only our own uid, fork one
child per session (``child``), reap the children and write each one's exit status back to the
forced command waiting for it.

No thread and no event loop here, before or between forks (a fork of a process with threads is
unsafe): one ``select`` over the listening socket and the signal wake-up pipe. A child keeps a
copy of its connection, so a server stopped or restarted leaves the sessions running (their
forced commands then see the line close when the session ends, without its status)."""

from __future__ import annotations

import os
import select
import signal
import socket
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from agent_tui.ssh_access import SshAccessError, check_agent_id
from agent_tui.ssh_server import wire
from agent_tui.ssh_server.child import run_child

RECEIVE_TIMEOUT_S = 5.0  # a forced command sends its request at once; a silent one is dropped
BACKLOG = 256  # the morning wave: many forced commands connect within a second

# (agent id, its session's environment) -> the session's exit status; runs in the child.
RunSession = Callable[[str, dict[str, str]], int]


class ServerError(Exception):
    pass


def exit_status(wait_status: int) -> int:
    """As a shell reports it: the exit code, or 128 + the signal that ended the child."""
    code = os.waitstatus_to_exitcode(wait_status)
    return code if code >= 0 else 128 - code


def prepare_folder(path: Path) -> None:
    """The socket's folder: made 0700, and refused unless it is this account's and no one
    else's (a folder someone else made in /tmp could hand our sessions' terminals to them)."""
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ServerError(f"{folder} is not a folder of this account's")
    if info.st_mode & 0o077:
        folder.chmod(0o700)


def listen(path: Path) -> socket.socket:
    """The listening socket at ``path``; a socket left by a server that died is replaced, one
    that answers is another server's, and refused."""
    prepare_folder(path)
    if path.exists() or path.is_symlink():
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise ServerError(f"{path} exists and is not a socket")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(path))
            except OSError:
                path.unlink()
            else:
                raise ServerError(f"a session server already listens on {path}")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_mask)
    listener.listen(BACKLOG)
    return listener


class SessionServer:
    def __init__(self, path: Path, run_session: RunSession,
                 log: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> None:
        self.path = path
        self.run_session = run_session
        self.log = log
        self.children: dict[int, socket.socket] = {}
        self._stopping = False

    def serve(self, listener: socket.socket) -> None:
        """Until SIGTERM or SIGINT. The sessions running then go on (see the module's doc)."""
        wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        previous = signal.set_wakeup_fd(wake_write)
        handlers = {number: signal.signal(number, self._on_signal)
                    for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT)}
        try:
            while not self._stopping:
                readable = select.select([listener, wake_read], [], [])[0]
                if wake_read in readable:
                    _drain(wake_read)
                self.reap()
                if listener in readable and not self._stopping:
                    self.accept(listener, (wake_read, wake_write))
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
            signal.set_wakeup_fd(previous)
            os.close(wake_read)
            os.close(wake_write)
            listener.close()
            self.path.unlink(missing_ok=True)
            for connection in self.children.values():
                connection.close()

    def _on_signal(self, number: int, _frame) -> None:
        if number != signal.SIGCHLD:
            self._stopping = True

    def accept(self, listener: socket.socket, wake: tuple[int, int]) -> None:
        try:
            connection, _address = listener.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        try:
            wire.check_peer(connection)
            connection.settimeout(RECEIVE_TIMEOUT_S)
            agent_id, environment, descriptors = wire.receive_request(connection)
        except (wire.WireError, OSError) as error:
            self.log(f"session request refused: {error}")
            connection.close()
            return
        try:
            check_agent_id(agent_id)  # the forced command checked it; nothing else gets a fork
        except SshAccessError:
            self.log("session request refused: not an agent id")
            for descriptor in descriptors:
                os.close(descriptor)
            connection.close()
            return
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            run_child(self.run_session, agent_id, environment, descriptors, connection,
                      close=[listener, *self.children.values()], wake=wake)
        for descriptor in descriptors:
            os.close(descriptor)
        self.children[pid] = connection
        self.log(f"session of {agent_id} started: process {pid}")

    def reap(self) -> None:
        while self.children:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.children.pop(pid, None)
            if connection is None:
                continue
            status = exit_status(wait_status)
            try:
                connection.settimeout(1.0)
                connection.sendall(wire.status_line(status))
            except OSError:
                pass  # the forced command is gone (the line dropped): nobody to tell
            connection.close()
            self.log(f"session process {pid} ended: status {status}")


def _drain(descriptor: int) -> None:
    try:
        while os.read(descriptor, 4096):
            pass
    except BlockingIOError:
        pass
