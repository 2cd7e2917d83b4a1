"""What the forced command and the session server say to each other over the account's Unix
socket: one request (the agent, the session's environment, the terminal's three descriptors
beside it as ``SCM_RIGHTS``), then the server's ``ok`` once the session's child runs, and the
child's exit status as a line when it ends. Both sides check that the other is their own uid
(``SO_PEERCRED``): a terminal is never handed to, nor taken from, another account.

A stream socket, not a packet one: the waiting side may be ``sh``'s ``read``, which reads a
byte at a time (a packet socket would drop the rest of the line with the first byte)."""

from __future__ import annotations

import array
import os
import socket
import struct
from collections.abc import Mapping
from pathlib import Path

MAGIC = b"agent-tui-session/1"
MAX_REQUEST = 256 * 1024  # an environment is a few KB
OK = b"ok\n"
SOCKET_VARIABLE = "AGENT_TUI_SESSION_SOCKET"
_LENGTH = struct.Struct("!I")


class WireError(Exception):
    """A peer that is not ours, or a request that is not one."""


def socket_path(environ: Mapping[str, str]) -> Path:
    """``$AGENT_TUI_SESSION_SOCKET`` (set by the drop-in and the server's unit when the default
    does not suit), else ``$XDG_RUNTIME_DIR/agent-tui/sessions.sock``, else the same under
    ``/run/user/UID``: a folder of this account's alone."""
    if environ.get(SOCKET_VARIABLE):
        return Path(environ[SOCKET_VARIABLE])
    runtime = environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return Path(runtime) / "agent-tui" / "sessions.sock"


def peer_uid(connection: socket.socket) -> int:
    """The uid of the process at the other end, as the kernel says (``SO_PEERCRED``)."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                        struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid


def check_peer(connection: socket.socket, uid: int | None = None) -> None:
    expected = os.getuid() if uid is None else uid
    if peer_uid(connection) != expected:
        raise WireError("the other end of the session socket is another account")


def encode_request(agent_id: str, environment: Mapping[str, str]) -> bytes:
    """The agent and the environment as NUL-separated fields (a variable holds no NUL)."""
    fields = [MAGIC, agent_id.encode(),
              *(f"{key}={value}".encode("utf-8", "surrogateescape")
                for key, value in environment.items())]
    body = b"\0".join(fields)
    return _LENGTH.pack(len(body)) + body


def decode_request(body: bytes) -> tuple[str, dict[str, str]]:
    fields = body.split(b"\0")
    if len(fields) < 2 or fields[0] != MAGIC:
        raise WireError("not a session request")
    environment: dict[str, str] = {}
    for field in fields[2:]:
        key, sep, value = field.decode("utf-8", "surrogateescape").partition("=")
        if not sep or not key:
            raise WireError("a malformed variable in a session request")
        environment[key] = value
    return fields[1].decode("utf-8", "surrogateescape"), environment


def send_request(connection: socket.socket, agent_id: str, environment: Mapping[str, str],
                 descriptors: list[int]) -> None:
    data = encode_request(agent_id, environment)
    # The descriptors go with the first byte; the rest of a long request follows.
    sent = connection.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                        array.array("i", descriptors))])
    if sent < len(data):
        connection.sendall(data[sent:])


def receive_request(connection: socket.socket) -> tuple[str, dict[str, str], list[int]]:
    """The request and the descriptors that came with it (the caller closes them)."""
    descriptors: list[int] = []
    data = bytearray()
    space = socket.CMSG_SPACE(3 * array.array("i").itemsize)
    try:
        while len(data) < _LENGTH.size or len(data) < _LENGTH.size + _length(data):
            chunk, ancillary, _flags, _address = connection.recvmsg(65536, space)
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    received = array.array("i")
                    received.frombytes(payload[:len(payload) - len(payload) % received.itemsize])
                    descriptors.extend(received)
            if not chunk:
                raise WireError("the session request was cut short")
            data += chunk
            if len(data) >= _LENGTH.size and _length(data) > MAX_REQUEST:
                raise WireError("a session request too large to be one")
        agent_id, environment = decode_request(bytes(data[_LENGTH.size:]))
        if len(descriptors) != 3:
            raise WireError("a session request without its terminal")
    except BaseException:
        for descriptor in descriptors:
            os.close(descriptor)
        raise
    return agent_id, environment, descriptors


def _length(data: bytearray) -> int:
    return _LENGTH.unpack_from(data)[0]


def status_line(status: int) -> bytes:
    return f"{status}\n".encode()
