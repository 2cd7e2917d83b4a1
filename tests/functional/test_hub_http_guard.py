"""What a real hub process refuses before any handler runs, always as ``{error, detail}`` and never
a 500: bodies over the limit (refused unread, or counted as they stream, with the hub's memory
bounded), text no database can store (lone surrogates, NUL), forged cursors, and requests that do
not fit the API."""

from __future__ import annotations

import socket
import threading

import httpx
import psutil
import pytest

from tests.hub_process import register_device, started_hub

pytestmark = pytest.mark.slow

LIMIT = 256 * 1024  # the hub under test takes bodies up to this (``--max-body``)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = started_hub(tmp_path_factory.mktemp("guard"), "--max-body", str(LIMIT))
    yield process
    process.close()


@pytest.fixture(scope="module")
def token(hub):
    return hub.token("A1024")


@pytest.fixture(scope="module")
def device(hub, token):
    return register_device(hub, token)


def _refused(reply: httpx.Response, status: int, error: str) -> None:
    assert reply.status_code == status, reply.text[:300]
    body = reply.json()
    assert set(body) == {"error", "detail"} and body["error"] == error, body


def _post(hub, token, path: str, content: bytes, **headers) -> httpx.Response:
    return httpx.post(f"{hub.url}{path}", content=content, timeout=60, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers})


# -- body size -----------------------------------------------------------------------------

def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(hub, token):
    """Only the headers go out: the 413 comes back although not one byte of the body did."""
    with socket.create_connection(("127.0.0.1", hub.port), timeout=10) as connection:
        connection.sendall((
            f"POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}"
            f"\r\nContent-Type: application/json\r\nContent-Length: {100 * 1024 * 1024}\r\n\r\n"
        ).encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(4096)
            assert chunk, "the hub closed without answering"
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_body_just_under_the_limit_is_read(hub, token, device):
    padding = "x" * (LIMIT - 200)
    reply = _post(hub, token, "/v1/sync/push",
                  f'{{"device_id": "{device}", "mutations": [], "sent_at": null, "pad": '
                  f'"{padding}"}}'.encode())
    assert reply.status_code == 200, reply.text[:300]


def _chunks(total: int, size: int = 64 * 1024):
    block = b"[" + b"1," * (size // 2 - 1) + b"1]"
    sent = 0
    while sent < total:
        yield block
        sent += len(block)


def test_large_chunked_bodies_are_refused_as_they_stream_with_memory_bounded(hub, token):
    """Four 100 MB bodies at once, chunked (no length to refuse on): each is answered 413, and
    the hub's resident memory grows by a few megabytes, not by the bodies (it reached 726 MB
    when they were read whole)."""
    process = psutil.Process(hub.process.pid)
    before = process.memory_info().rss
    peak = [before]
    replies: list[httpx.Response] = []

    def body():
        for index, chunk in enumerate(_chunks(100 * 1024 * 1024)):
            if index % 64 == 0:
                peak.append(process.memory_info().rss)
            yield chunk

    def send() -> None:
        replies.append(_post(hub, token, "/v1/sync/push", body()))

    senders = [threading.Thread(target=send) for _ in range(4)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(120)
    assert len(replies) == 4
    for reply in replies:
        _refused(reply, 413, "body_too_large")
    grown_mb = (max(peak) - before) / 2**20
    assert grown_mb < 40, f"the hub grew by {grown_mb:.0f} MB while refusing"
    # The connection and the hub are fine afterwards.
    assert httpx.get(f"{hub.url}/v1/health", timeout=10).status_code == 200


# -- text no database can store ------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    b'{"device_id": "%s", "mutations": [{"seq": 1, "mutation_id": "m-1", "name": '
    b'"audit.append", "args": {"id": "a", "action": "x\\ud800"}}]}',
    b'{"device_id": "%s", "mutations": [{"seq": 1, "mutation_id": "\\udc00", "name": '
    b'"audit.append", "args": {}}]}',
    b'{"device_id": "%s", "mutations": [], "\\ud83d": 1}',
    b'{"device_id": "%s", "mutations": [{"seq": 1, "mutation_id": "m-1", "name": '
    b'"audit.append", "args": {"id": "a", "action": "x\xed\xa0\x80"}}]}',
    b'{"device_id": "%s", "mutations": [{"seq": 1, "mutation_id": "m-1", "name": '
    b'"audit.append", "args": {"id": "a", "action": "x\\u0000"}}]}',
], ids=["escaped-high", "escaped-low-in-id", "in-a-key", "raw-bytes", "nul"])
def test_unstorable_text_in_a_body_is_400(hub, token, device, raw):
    _refused(_post(hub, token, "/v1/sync/push", raw % device.encode()), 400, "bad_text")


@pytest.mark.parametrize("path", ["/v1/customers?q=%00zhang", "/v1/customers/C%00001",
                                  "/v1/customers?q=%ED%A0%80"])
def test_unstorable_text_in_a_path_or_query_is_never_a_server_error(hub, token, path):
    reply = httpx.get(f"{hub.url}{path}", headers={"Authorization": f"Bearer {token}"},
                      timeout=10)
    if "%00" in path:
        _refused(reply, 400, "bad_text")
    else:  # percent-decoding turns stray bytes into U+FFFD: an ordinary search
        assert reply.status_code == 200


# -- cursors and requests that do not fit --------------------------------------------------

@pytest.mark.parametrize("cursor, error", [
    ("9" * 150, "bad_cursor"), ("9" * 10_000, "bad_request"), ("-5", "bad_cursor"),
    ("9223372036854775808", "bad_cursor"), ("s:99999999999999999999999:x", "bad_cursor"),
    ("s:", "bad_cursor"), ("١٢٣", "bad_cursor")])
def test_a_forged_cursor_is_400(hub, token, device, cursor, error):
    reply = httpx.post(f"{hub.url}/v1/sync/pull", headers={"Authorization": f"Bearer {token}"},
                       json={"device_id": device, "cursor": cursor}, timeout=10)
    _refused(reply, 400, error)


@pytest.mark.parametrize("body", [
    b"{", b"[]", b'{"device_id": 5}', b'{"device_id": "d", "mutations": [{"seq": 0}]}',
    b'[' * 100_000])
def test_a_request_that_does_not_fit_is_400_with_the_error_shape(hub, token, body):
    _refused(_post(hub, token, "/v1/sync/push", body), 400, "bad_request")
