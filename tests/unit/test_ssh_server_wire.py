"""The session server's wire and its checks, on socket pairs: a request and the terminal's three
descriptors go across whole; a peer of another uid is refused on either side (SO_PEERCRED);
the socket's folder must be the account's own."""

from __future__ import annotations

import os
import signal
import socket

import pytest

from agent_tui.ssh_forced import agent_from_arguments
from agent_tui.ssh_server import wire
from agent_tui.ssh_server.server import ServerError, exit_status, listen, prepare_folder

ENVIRONMENT = {"LANG": "zh_CN.UTF-8", "TERM": "xterm-256color", "NAME": "李娜",
               "EQUALS": "a=b=c", "EMPTY": ""}


def test_a_request_and_its_three_descriptors_arrive_whole():
    pipes = [os.pipe() for _ in range(3)]
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        big = {**ENVIRONMENT, "LONG": "x" * 200_000}  # more than one read of the socket
        wire.send_request(left, "A1024", big, [write for _read, write in pipes])
        agent_id, environment, descriptors = wire.receive_request(right)
        assert agent_id == "A1024" and environment == big and len(descriptors) == 3
        for (read, _write), received in zip(pipes, descriptors, strict=True):
            os.write(received, b"through")  # the very pipe the sender holds, not a copy of data
            assert os.read(read, 16) == b"through"
            os.close(received)
    finally:
        left.close()
        right.close()
        for read, write in pipes:
            os.close(read)
            os.close(write)


def test_a_request_without_the_terminal_or_not_a_request_is_refused():
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with left, right:
        left.sendall(wire.encode_request("A1024", ENVIRONMENT))  # no descriptors beside it
        with pytest.raises(wire.WireError, match="without its terminal"):
            wire.receive_request(right)
    with pytest.raises(wire.WireError):
        wire.decode_request(b"GET / HTTP/1.1\0x")
    with pytest.raises(wire.WireError):
        wire.decode_request(wire.MAGIC + b"\0A1\0NOEQUALS")
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with left, right:
        left.sendall((wire.MAX_REQUEST + 1).to_bytes(4, "big") + b"x" * 10)
        with pytest.raises(wire.WireError, match="too large"):
            wire.receive_request(right)


def test_a_peer_of_another_uid_is_refused_on_either_side():
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with left, right:
        assert wire.peer_uid(right) == os.getuid()
        wire.check_peer(right)  # ourselves: accepted
        with pytest.raises(wire.WireError, match="another account"):
            wire.check_peer(right, uid=os.getuid() + 4242)


def test_the_socket_is_the_admins_choice_else_the_runtime_folder():
    assert wire.socket_path({wire.SOCKET_VARIABLE: "/srv/s.sock",
                             "XDG_RUNTIME_DIR": "/run/user/7"}) == wire.Path("/srv/s.sock")
    assert wire.socket_path({"XDG_RUNTIME_DIR": "/run/user/7"}) == \
        wire.Path("/run/user/7/agent-tui/sessions.sock")
    assert wire.socket_path({}) == wire.Path(f"/run/user/{os.getuid()}/agent-tui/sessions.sock")


def test_the_socket_folder_is_made_0700_and_refused_if_another_accounts(tmp_path):
    mine = tmp_path / "mine" / "sessions.sock"
    prepare_folder(mine)
    assert (mine.parent.stat().st_mode & 0o777) == 0o700
    listener = listen(mine)
    try:
        assert (mine.stat().st_mode & 0o777) == 0o600
        with pytest.raises(ServerError, match="already listens"):
            listen(mine)
    finally:
        listener.close()
    stale = listen(mine)  # a socket nobody answers on any more is replaced
    stale.close()
    if os.getuid() != 0:
        pytest.skip("chown to another uid needs root; the ownership check is not exercised")
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 4242, 4242)
    with pytest.raises(ServerError, match="not a folder of this account"):
        prepare_folder(theirs / "sessions.sock")


def test_exit_status_as_a_shell_reports_it():
    assert exit_status(0) == 0
    assert exit_status(3 << 8) == 3
    assert exit_status(signal.SIGHUP) == 128 + signal.SIGHUP


def test_the_forced_command_takes_only_the_keys_agent_argument():
    assert agent_from_arguments(["--agent", "A1024"]) == "A1024"
    assert agent_from_arguments(["--agent=B2"]) == "B2"
    assert agent_from_arguments(["--help"]) is None
    assert agent_from_arguments(["--agent", "A1", "--agent", "B2"]) is None
