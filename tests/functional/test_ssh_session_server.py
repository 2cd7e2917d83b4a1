"""The SSH route with the account's session server (docs/deploy-ssh.md, "Sizing"), through a real
sshd and the OpenSSH client in tmux: the forced command checks as ever, then hands the terminal to
the server, whose fork runs the key's agent's workstation while a small ``sh`` waits for its exit
status; a resize and a dropped line reach the fork as they reach a session started alone; with the
server stopped, sessions start in-process as before.

Skipped loudly when sshd, the ssh client or tmux cannot be had (make test installs them)."""

from __future__ import annotations

import os
import time

import psutil
import pytest

from tests import ssh_host, tmux_screen
from tests.functional.test_ssh_route import _choose_pin, _customer, _wait_for_draft, provision
from tests.session_server_process import SessionServerProcess

_missing = ssh_host.unavailable_reason() or tmux_screen.unavailable_reason()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(_missing is not None, reason=f"!!! SKIPPED: "
                                                   f"{_missing}")]


@pytest.fixture
def server():
    running = SessionServerProcess().start()
    yield running
    running.close()


@pytest.fixture
def host(tmp_path, server):
    sshd = ssh_host.SshHost(tmp_path / "sshd", session_socket=server.socket)
    yield sshd
    sshd.close()


def _connect(host, key, tmp_path, name: str) -> tmux_screen.TmuxScreen:
    argv = host.client_argv(key, "-t", "-o", "SetEnv=LANG=en_US.UTF-8")
    return tmux_screen.TmuxScreen(tmp_path / f"tmux-{name}", argv)


def _wait(condition, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.1)  # polling processes for a state, not a fixed wait
    return found


def _session_children(server: SessionServerProcess) -> list[psutil.Process]:
    return psutil.Process(server.pid).children()


def _waiters(sshd_pid: int) -> list[psutil.Process]:
    """What sshd runs for each session: the forced command, become ``sh`` once handed over."""
    return [process for process in psutil.Process(sshd_pid).children(recursive=True)
            if "agent-tui-session" in process.cmdline()]


def test_the_server_runs_the_keys_agent_and_a_resize_and_a_dropped_line_reach_it(
        server, host, tmp_path, small_store):
    key = provision(host, "A1024", small_store, tmp_path)
    provision(host, "B2", small_store, tmp_path)
    store = host.agent_home("A1024") / "data" / "agent-tui" / "store.db"
    mobile, name = _customer(store)
    screen = _connect(host, key, tmp_path, "first")
    try:
        shown = screen.wait_for("Choose a PIN", "李娜 · staff no. 1024")
        assert "王芳" not in shown  # the key's agent, not the other one on this host
        child = _wait(lambda: _session_children(server), "the server forked no session")[0]
        waiter = _wait(lambda: _waiters(host.process.pid), "no small waiter under sshd")[0]
        assert waiter.name() == "sh"  # no Python waits for the session
        assert all("ssh-session" not in " ".join(process.cmdline())
                   for process in psutil.Process(host.process.pid).children(recursive=True))
        assert "session of A1024 started" in server.log()
        _choose_pin(screen)
        screen.wait_for("Type to search")
        assert max(len(line.rstrip()) for line in screen.text().splitlines()) <= 80
        screen._tmux("resize-window", "-t", screen.name, "-x", "110", "-y", "30")
        _wait(lambda: max(len(line.rstrip()) for line in screen.text().splitlines()) > 80,
              "the session never drew past 80 columns after the resize")
        screen.type(mobile)
        screen.wait_for("1 found")
        screen.press("Down")
        screen.press("Enter")
        screen.wait_for(name[0], "masked: not verified")
        screen.press("C-n")
        screen.wait_for("Notes")
        screen.press("Tab")
        screen.press("Tab")
        screen.type("Asked about the annual fee")
        _wait_for_draft(store, "Asked about the annual fee")
        os.kill(screen.pid(), 9)  # the client dies: sshd hangs up on the session
        screen.wait_exit()
        child.wait(timeout=30)  # the fork got its SIGHUP and ended
        _wait(lambda: "ended: status" in server.log(), "the server never reaped the session")
        _wait(lambda: not _waiters(host.process.pid), "the waiter outlived its session")
    finally:
        screen.close()
    again = _connect(host, key, tmp_path, "second")
    try:
        again.wait_for("A call was interrupted", timeout=40)
        again.press("Enter")
        again.wait_for("Notes", "Asked about the annual fee")
        assert _session_children(server)  # the second session is the server's too
    finally:
        again.close()


def test_with_the_server_stopped_sessions_start_in_process(server, host, tmp_path,
                                                           small_store):
    key = provision(host, "A1024", small_store, tmp_path)
    server.stop()
    assert not server.socket.exists()
    screen = _connect(host, key, tmp_path, "alone")
    try:
        screen.wait_for("Choose a PIN", "李娜 · staff no. 1024")
        under_sshd = psutil.Process(host.process.pid).children(recursive=True)
        assert any("ssh-session" in " ".join(process.cmdline()) for process in under_sshd)
        assert not _waiters(host.process.pid)
    finally:
        screen.close()


PEER = "agenttui-peer"
# Another account's process offering the server a terminal: what it hears back ("" = hung up).
OFFER = r"""
import array, os, socket, struct, sys
connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    connection.connect(sys.argv[1])
except OSError as error:
    print(type(error).__name__); sys.exit(0)
body = b"agent-tui-session/1\0A1024\0TERM=xterm"
read, write = os.pipe()
connection.settimeout(20)
try:
    connection.sendmsg([struct.pack("!I", len(body)) + body], [(
        socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [read, write, write]))])
    print(repr(connection.recv(16)))
except (BrokenPipeError, ConnectionResetError):  # hung up on before or after our request
    print("b''")
"""


@pytest.fixture
def other_account():
    """A second Unix account (made for the test when run as root, as CI is)."""
    import pwd
    import shutil
    import subprocess

    if os.getuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("!!! SKIPPED: another account needs root and useradd; the SO_PEERCRED "
                    "check is unit-tested in tests/unit/test_ssh_server_wire.py")
    made = False
    try:
        pwd.getpwnam(PEER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        PEER], check=True)
        made = True
    yield PEER
    if made:
        subprocess.run(["userdel", PEER], check=False)


def _python_for_anyone() -> str:
    """The client runs as the other account, so it needs a Python that account may execute:
    not the virtualenv's, which lives under the checkout (a private temporary folder in CI) and
    may point into root's own pyenv. OFFER needs only the standard library."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.path.exists(candidate) and os.stat(candidate).st_mode & 0o001:
            return candidate
    pytest.skip("!!! SKIPPED: no Python another account may run (/usr/bin/python3); the "
                "SO_PEERCRED check is tested on a socketpair in tests/unit/test_ssh_server_wire.py")


def test_the_socket_refuses_another_account(server, other_account):
    import stat
    import subprocess

    python = _python_for_anyone()

    def offer() -> str:
        done = subprocess.run([python, "-I", "-c", OFFER, str(server.socket)],
                              user=other_account, capture_output=True, text=True, timeout=60,
                              cwd="/")
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert offer() == "PermissionError"  # the folder is the account's, 0700
    # Even a folder and socket opened to everyone by mistake hand no session to another uid.
    for path in (server.folder, server.socket.parent):
        path.chmod(0o755)
    server.socket.chmod(stat.S_IMODE(server.socket.stat().st_mode) | 0o666)
    assert offer() == "b''"  # hung up on, no "ok"
    _wait(lambda: "session request refused: the other end" in server.log(),
          "the server did not say it refused the other account")
    assert not _session_children(server)  # nothing forked for it


def test_a_sessions_exit_status_and_its_words_reach_the_client(server, host, tmp_path):
    """A config the agent's session cannot read: the fork says so on the terminal and exits 2,
    and the client gets that status through the waiting sh."""
    from tests.functional.test_ssh_route import _ssh

    key = provision(host, "A1024", None, tmp_path, config="[hub\nbroken")
    status, said = _ssh(host, key, "-tt")
    assert status == 2, said
    assert "config.toml" in said
    _wait(lambda: "ended: status 2" in server.log(), "the server did not reap the session")


def test_with_the_server_another_agent_or_a_shell_is_still_refused_before_it(server, host,
                                                                              tmp_path):
    from tests.functional.test_ssh_route import AGENT_TUI, _ssh

    key = provision(host, "A1024", None, tmp_path)
    provision(host, "B2", None, tmp_path)
    for command in (f"{AGENT_TUI} ssh-session --agent B2", "/bin/sh"):
        status, said = _ssh(host, key, "-tt", command)
        assert status == 2 and "was refused and not run" in said
    assert "started" not in server.log() and not _session_children(server)
