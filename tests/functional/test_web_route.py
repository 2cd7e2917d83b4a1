"""`agent-tui web` as a real subprocess, spoken to as a browser or an attacker would over HTTP
and a raw websocket: nothing without a live session (page, static files, websocket), a forged
or expired cookie refused, a cross-site websocket refused, failed sign-ins limited, the session
cap enforced on the websocket, and the sign-in page in both languages with nothing from
elsewhere. The real browser's walk is test_web_browser.py."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import httpx
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from agent_tui.web.cookies import COOKIE_NAME
from tests.web_browser import WebProcess

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path, writable_store):
    process = WebProcess(tmp_path, "--store", str(writable_store), "--max-sessions", "1")
    process.add_user("A1024", "李娜", "1024")
    process.add_user("A2048", "王芳", "2048")
    yield process
    process.stop()


def _cookie(response: httpx.Response) -> str:
    assert response.status_code == 303 and response.headers["location"] == "/"
    header = response.headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    return response.cookies[COOKIE_NAME]


async def _open_socket(url: str, cookie: str | None, origin: str | None = None,
                       query: str = ""):
    """The websocket's handshake status and, once open, the workstation's first bytes."""
    headers = {"Cookie": f"{COOKIE_NAME}={cookie}"} if cookie else {}
    if origin:
        headers["Origin"] = origin
    async with aiohttp.ClientSession() as session:
        try:
            socket = await session.ws_connect(
                url.replace("http", "ws") + "/ws?width=80&height=24" + query, headers=headers)
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status, b""
        async with socket:
            message = await socket.receive(timeout=60)  # the workstation's first frame
            return 101, message.data if message.type == aiohttp.WSMsgType.BINARY else b""


def test_nothing_is_served_without_a_session(server):
    for path in ("/", "/static/js/textual.js", "/static/css/xterm.css", "/anything"):
        reply = httpx.get(server.url + path)
        assert reply.status_code == 303 and reply.headers["location"] == "/sign-in", path


async def test_the_websocket_is_refused_without_a_session(server):
    assert (await _open_socket(server.url, None))[0] == 401
    assert (await _open_socket(server.url, "not-a-cookie"))[0] == 401


async def test_a_forged_or_expired_cookie_is_refused_and_the_genuine_one_works(server):
    genuine = _cookie(server.sign_in("A1024"))
    session_id, agent = URLSafeTimedSerializer(
        server.secret_file.read_bytes(), salt="agent-tui web session").loads(genuine)
    assert agent == "A1024"

    forged = URLSafeTimedSerializer(b"guessed" * 5, salt="agent-tui web session")
    assert (await _open_socket(server.url, forged.dumps([session_id, "A1024"])))[0] == 401

    class TwoDaysAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return super().get_timestamp() - 48 * 3600

    expired = URLSafeTimedSerializer(server.secret_file.read_bytes(),
                                     salt="agent-tui web session", signer=TwoDaysAgo)
    stale = expired.dumps([session_id, "A1024"])
    assert (await _open_socket(server.url, stale))[0] == 401
    assert httpx.get(server.url + "/", cookies={COOKIE_NAME: stale}).status_code == 303

    other_agent = URLSafeTimedSerializer(server.secret_file.read_bytes(),
                                         salt="agent-tui web session")
    assert (await _open_socket(server.url, other_agent.dumps([session_id, "A9999"])))[0] == 401

    page = httpx.get(server.url + "/", cookies={COOKIE_NAME: genuine})
    assert page.status_code == 200 and 'id="terminal"' in page.text
    # The workstation itself answers, as the cookie's agent whatever the address asks for.
    status, first_bytes = await _open_socket(server.url, genuine, query="&agent=A9999")
    assert status == 101 and first_bytes
    agents = server.workdir / "data" / "agent-tui" / "web" / "agents"
    assert [folder.name for folder in agents.iterdir()] == ["A1024"]


async def test_a_websocket_from_another_site_is_refused(server):
    cookie = _cookie(server.sign_in("A1024"))
    assert (await _open_socket(server.url, cookie, origin="https://evil.example"))[0] == 403


async def test_the_session_cap_refuses_one_more_workstation(server):
    cookie = _cookie(server.sign_in("A1024"))
    other = _cookie(server.sign_in("A2048"))
    async with aiohttp.ClientSession() as session:
        first = await session.ws_connect(server.url.replace("http", "ws") + "/ws",
                                         headers={"Cookie": f"{COOKIE_NAME}={cookie}"})
        async with first:
            assert (await first.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY
            assert (await _open_socket(server.url, other))[0] == 503
            full = httpx.get(server.url + "/", cookies={COOKIE_NAME: other})
            assert full.status_code == 503 and "at most 1 workstations" in full.text
            assert "All workstations are in use" in full.text
            # The agent who has the one workstation may still open its page.
            assert httpx.get(server.url + "/", cookies={COOKIE_NAME: cookie}).status_code == 200


async def test_a_second_window_of_the_same_agent_takes_over(server):
    """One workstation per agent (its store is locked by the one that has it): a reload or a
    second tab ends the one before, then starts (the cap of 1 is not passed)."""
    cookie = _cookie(server.sign_in("A1024"))
    headers = {"Cookie": f"{COOKIE_NAME}={cookie}"}
    address = server.url.replace("http", "ws") + "/ws?width=80&height=24"
    async with aiohttp.ClientSession() as session:
        first = await session.ws_connect(address, headers=headers)
        assert (await first.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY
        # The first window goes on reading while the second connects, as a browser's tab does:
        # the server closes it before it lets the second in, and its close is answered by a read.
        connecting = asyncio.ensure_future(session.ws_connect(address, headers=headers))
        while (message := await first.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY:
            pass  # the first window's last frames, then its close
        assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 4001, message
        second = await asyncio.wait_for(connecting, 60)
        async with second:
            received = b""
            while b"F2" not in received:  # the second window's workstation: its key bar
                message = await second.receive(timeout=60)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                received += message.data


def test_signing_out_ends_the_session(server):
    cookie = _cookie(server.sign_in("A1024"))
    reply = httpx.get(server.url + "/sign-out", cookies={COOKIE_NAME: cookie})
    assert reply.status_code == 303 and reply.headers["location"] == "/sign-in"
    assert httpx.get(server.url + "/", cookies={COOKIE_NAME: cookie}).status_code == 303


def test_failed_sign_ins_are_limited_then_even_the_right_password_waits(server):
    for _ in range(5):
        wrong = server.sign_in("A1024", "not-the-password")
        assert wrong.status_code == 401 and "do not match" in wrong.text
        assert COOKIE_NAME not in wrong.cookies
    paused = server.sign_in("A1024")
    assert paused.status_code == 429 and "Try again in 15 min" in paused.text
    assert COOKIE_NAME not in paused.cookies


@pytest.mark.parametrize("language, title, wrong", [
    ("zh-CN", "登录坐席工作台", "坐席工号与密码（或令牌）不匹配"),
    ("en", "Sign in to the workstation", "do not match"),
])
def test_the_sign_in_page_speaks_the_browsers_language_and_loads_nothing_else(
        server, language, title, wrong):
    page = httpx.get(server.url + "/sign-in", headers={"Accept-Language": f"{language},en;q=0.5"})
    assert page.status_code == 200 and title in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page.text)  # no other site
    refused = httpx.post(server.url + "/sign-in",
                         data={"agent": "A1024", "secret": "nope-nope-nope", "lang": language})
    assert refused.status_code == 401 and wrong in refused.text


def test_user_add_list_remove(server):
    import subprocess
    import sys

    def web_user(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "agent_tui", "web", "user", *args],
                              env=server.env, capture_output=True, text=True)

    assert "A1024" in web_user("list").stdout
    assert "李娜" in web_user("list").stdout
    users = server.workdir / "data" / "agent-tui" / "web" / "users.json"
    assert users.stat().st_mode & 0o777 == 0o600
    assert web_user("remove", "A1024").returncode == 0
    assert server.sign_in("A1024").status_code == 401
    missing = web_user("remove", "A1024")
    assert missing.returncode == 1 and "has no password" in missing.stderr
    bad = web_user("add", "../x", "--password-stdin")
    assert bad.returncode == 2 and "cannot be an agent id" in bad.stderr


async def test_a_hub_token_signs_in_as_the_agent_the_hub_names(tmp_path, writable_store):
    """With a hub configured, an agent's hub token is a sign-in too: the hub says whose it is
    (GET /v1/me), and that agent's workstation syncs with it."""
    from tests.hub_process import started_hub

    hub = started_hub(tmp_path / "hub")
    config = tmp_path / "server.toml"
    config.write_text(f'[hub]\nurl = "{hub.url}"\n', encoding="utf-8")
    server = WebProcess(tmp_path / "web", "--config", str(config), "--store",
                        str(writable_store))
    try:
        token = hub.token("A2048")
        assert server.sign_in("A1024", token).status_code == 401  # not A1024's token
        assert server.sign_in("", "atk_not-a-token").status_code == 401
        cookie = _cookie(server.sign_in("", token))
        status, first_bytes = await _open_socket(server.url, cookie)
        assert status == 101 and first_bytes
        station = server.workdir / "data" / "agent-tui" / "web" / "agents" / "A2048"
        written = (station / "config.toml").read_text(encoding="utf-8")
        assert token in written and hub.url in written and 'id = "A2048"' in written
        assert (station / "config.toml").stat().st_mode & 0o777 == 0o600
        assert station.stat().st_mode & 0o777 == 0o700
    finally:
        server.stop()
        hub.close()
