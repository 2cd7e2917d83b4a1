"""The browser route's sign-in parts: the cookie signer, the password store, failed attempts
limited, and the command a session's workstation runs (the agent the sign-in's, never the
browser's)."""

from __future__ import annotations

import asyncio
import json
import shlex
import stat

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from agent_tui.config import load_config
from agent_tui.web.attempts import FailedSignIns
from agent_tui.web.cookies import CookieSigner, SessionClaim, cookie_options, load_secret
from agent_tui.web.passwords import PasswordError, PasswordStore
from agent_tui.web.sign_in import Refused, SignedIn, SignInDesk
from agent_tui.web.workstations import Workstation, Workstations

SECRET = b"s" * 32


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_signed_claim_comes_back():
    signer = CookieSigner(SECRET, 3600)
    claim = SessionClaim("sid-1", "A1024")
    assert signer.load(signer.sign(claim)) == claim


@pytest.mark.parametrize("value", [None, "", "garbage", "WyJzaWQiLCJBMSJd.abc.def"])
def test_absent_or_malformed_cookies_are_refused(value):
    assert CookieSigner(SECRET, 3600).load(value) is None


def test_a_cookie_signed_with_another_secret_is_refused():
    forged = CookieSigner(b"x" * 32, 3600).sign(SessionClaim("sid-1", "A1024"))
    assert CookieSigner(SECRET, 3600).load(forged) is None


def test_an_altered_cookie_is_refused():
    signer = CookieSigner(SECRET, 3600)
    value = signer.sign(SessionClaim("sid-1", "A1024"))
    payload, rest = value.split(".", 1)
    other = signer.sign(SessionClaim("sid-1", "A9999")).split(".", 1)[0]
    assert signer.load(f"{other}.{rest}") is None
    assert signer.load(f"{payload}.{rest}")  # the genuine one still passes


class _Past(TimestampSigner):
    def get_timestamp(self) -> int:
        return super().get_timestamp() - 7200


def test_an_expired_cookie_is_refused():
    signer = CookieSigner(SECRET, 3600)
    old = URLSafeTimedSerializer(SECRET, salt="agent-tui web session", signer=_Past)
    assert signer.load(old.dumps(["sid-1", "A1024"])) is None
    assert CookieSigner(SECRET, 3 * 3600).load(old.dumps(["sid-1", "A1024"]))


def test_a_well_signed_cookie_of_the_wrong_shape_is_refused():
    raw = URLSafeTimedSerializer(SECRET, salt="agent-tui web session")
    signer = CookieSigner(SECRET, 3600)
    assert signer.load(raw.dumps({"agent": "A1"})) is None
    assert signer.load(raw.dumps(["sid", ""])) is None


def test_the_cookie_is_http_only_and_strict():
    options = cookie_options(600, secure=True)
    assert options["httponly"] is True and options["samesite"] == "Strict"
    assert options["secure"] is True and options["max_age"] == 600


def test_the_secret_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "web" / "secret"
    first = load_secret(path)
    assert len(first) == 32 and _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    path.chmod(0o644)
    assert load_secret(path) == first and _mode(path) == 0o600


def test_passwords_are_hashed_and_the_file_private(tmp_path):
    store = PasswordStore(tmp_path / "web" / "users.json")
    assert store.add("A1024", "correct-horse-1", "李娜", "1024") is True
    text = store.path.read_text(encoding="utf-8")
    assert "correct-horse-1" not in text and "$argon2id$" in text
    assert _mode(store.path) == 0o600
    user = store.check("A1024", "correct-horse-1")
    assert user is not None and (user.name, user.staff_number) == ("李娜", "1024")
    assert store.check("A1024", "correct-horse-2") is None
    assert store.check("A9999", "correct-horse-1") is None


def test_a_password_changed_or_removed(tmp_path):
    store = PasswordStore(tmp_path / "users.json")
    store.add("A1024", "first-password", "N", "1")
    assert store.add("A1024", "second-password", "N", "1") is False
    assert store.check("A1024", "first-password") is None
    assert store.check("A1024", "second-password") is not None
    assert [u.agent_id for u in store.users()] == ["A1024"]
    assert store.remove("A1024") is True and store.remove("A1024") is False
    assert store.check("A1024", "second-password") is None


@pytest.mark.parametrize("agent", ["", "A 1", "../etc", "A1;rm", "x" * 17])
def test_an_agent_id_that_could_be_a_path_or_command_is_refused(tmp_path, agent):
    with pytest.raises(PasswordError):
        PasswordStore(tmp_path / "users.json").add(agent, "long-enough-pw", "N", "1")


def test_a_short_password_is_refused(tmp_path):
    with pytest.raises(PasswordError) as refused:
        PasswordStore(tmp_path / "users.json").add("A1", "short", "N", "1")
    assert refused.value.key == "web.password_short"


def test_a_damaged_password_file_is_said_with_its_path(tmp_path):
    path = tmp_path / "users.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(PasswordError) as refused:
        PasswordStore(path).check("A1", "whatever-pw")
    assert refused.value.key == "web.users_unreadable" and refused.value.values["path"] == str(path)


def test_failures_beyond_the_limit_wait_for_the_window():
    now = [0.0]
    attempts = FailedSignIns(limit=3, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        assert attempts.wait_s("agent:a1", "address:x") == 0
        attempts.failed("agent:a1", "address:x")
    assert attempts.wait_s("agent:a1") == pytest.approx(60)
    assert attempts.wait_s("address:x", "agent:other") == pytest.approx(60)
    assert attempts.wait_s("agent:other") == 0
    now[0] = 61
    assert attempts.wait_s("agent:a1") == 0


def test_a_success_clears_the_failures():
    attempts = FailedSignIns(limit=2, window_s=60, clock=lambda: 0.0)
    attempts.failed("agent:a1")
    attempts.succeeded("agent:a1")
    attempts.failed("agent:a1")
    assert attempts.wait_s("agent:a1") == 0


def test_the_desk_refuses_after_the_limit_even_the_right_password(tmp_path):
    store = PasswordStore(tmp_path / "users.json")
    store.add("A1024", "correct-horse-1", "李娜", "1024")
    desk = SignInDesk(store, FailedSignIns(limit=2, window_s=600))

    async def attempts():
        first = await desk.sign_in("A1024", "wrong-one-here", "10.0.0.1")
        second = await desk.sign_in("A1024", "wrong-two-here", "10.0.0.1")
        third = await desk.sign_in("A1024", "correct-horse-1", "10.0.0.1")
        return first, second, third

    first, second, third = asyncio.run(attempts())
    assert first == Refused("web.wrong") and second == Refused("web.wrong")
    assert third.key == "web.too_many" and third.wait_minutes == 10


def test_a_hub_token_signs_in_as_the_hubs_agent(tmp_path):
    desk = SignInDesk(PasswordStore(tmp_path / "users.json"), FailedSignIns(),
                      hub_identity=lambda token: "A2048" if token == "atk_good" else None)

    async def attempts():
        return (await desk.sign_in("", "atk_good", "a"), await desk.sign_in("A1", "atk_good", "a"),
                await desk.sign_in("", "atk_bad", "a"))

    good, claimed_other, bad = asyncio.run(attempts())
    assert isinstance(good, SignedIn) and good.agent_id == "A2048" and good.hub_token == "atk_good"
    assert claimed_other == Refused("web.wrong") and bad == Refused("web.wrong")


def test_the_workstation_runs_as_the_signed_in_agent(tmp_path, monkeypatch):
    server_config = tmp_path / "server.toml"
    server_config.write_text('[agent]\nid = "OPERATOR"\nname = "Ops"\nstaff_number = "9"\n'
                             '[ui]\ntheme = "textual-light"  # kept\n', encoding="utf-8")
    monkeypatch.setenv("AGENT_TUI_AGENT", "SOMEONE")
    config = load_config(server_config)
    stations = Workstations(config, tmp_path / "agents", None)
    command = shlex.split(stations.command(Workstation("A1024", "李娜", "1024", "zh-CN", "atk_x")))
    assert command[command.index("--agent") + 1] == "A1024"
    assert ["-u", "AGENT_TUI_AGENT"] == command[command.index("AGENT_TUI_AGENT") - 1:][:2]
    written = tmp_path / "agents" / "A1024" / "config.toml"
    assert command[command.index("--config") + 1] == str(written)
    assert _mode(written) == 0o600 and _mode(written.parent) == 0o700
    monkeypatch.delenv("AGENT_TUI_AGENT")
    agent_config = load_config(written)
    assert (agent_config.agent.id, agent_config.agent.name) == ("A1024", "李娜")
    assert agent_config.ui.theme == "textual-light" and agent_config.ui.language == "zh-CN"
    assert agent_config.hub.token == "atk_x"
    assert agent_config.store_path() == tmp_path / "agents" / "A1024" / "store.db"
    assert "# kept" in written.read_text(encoding="utf-8")


def test_users_json_holds_names_for_the_header(tmp_path):
    store = PasswordStore(tmp_path / "users.json")
    store.add("A1", "long-enough-pw", "王芳", "77")
    assert json.loads(store.path.read_text(encoding="utf-8"))["A1"]["name"] == "王芳"


def test_the_server_forgets_sessions_past_their_time_and_beyond_five_an_agent(tmp_path):
    from agent_tui.web.server import SESSIONS_PER_AGENT, Session, WebServer, WebSettings

    server = WebServer(WebSettings(session_hours=1), CookieSigner(SECRET, 3600), None, None, "en")
    station = Workstation("A1", "N", "1", "en")
    server.sessions["old"] = Session("old", "A2", station, started=-7200.0)
    for number in range(SESSIONS_PER_AGENT):
        server.sessions[f"s{number}"] = Session(f"s{number}", "A1", station,
                                                started=1e9 + number)
    server._forget_old_sessions("A1")
    assert "old" not in server.sessions and "s0" not in server.sessions
    assert len(server.sessions) == SESSIONS_PER_AGENT - 1  # room for the one signing in
