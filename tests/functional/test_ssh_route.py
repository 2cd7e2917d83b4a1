"""The SSH route end to end, through a real sshd and the real OpenSSH client in a real terminal
(tmux): an agent signs in by key and works as that key's agent; a dropped connection loses
nothing typed; whatever else a key asks for is refused, and never run.

Skipped loudly when sshd, the ssh client or tmux cannot be had (make test installs them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import ssh_host, tmux_screen

_missing = ssh_host.unavailable_reason() or tmux_screen.unavailable_reason()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(_missing is not None, reason=f"!!! SKIPPED: "
                                                   f"{_missing}")]
AGENT_TUI = str(Path(sys.executable).with_name("agent-tui"))
AGENTS = {"A1024": ("李娜", "1024"), "B2": ("王芳", "2048")}


@pytest.fixture
def host(tmp_path):
    server = ssh_host.SshHost(tmp_path / "sshd")
    yield server
    server.close()


def provision(host: ssh_host.SshHost, agent_id: str, store: Path | None, tmp_path: Path,
              config: str = "") -> Path:
    """What an administrator does for an agent: their key's line (from `agent-tui ssh
    authorized-key`), their own folder with their name in the config and their store in it.
    The agent's private key."""
    key = ssh_host.make_key(tmp_path / f"key-{agent_id}", f"{agent_id}@laptop")
    line = subprocess.run([AGENT_TUI, "ssh", "authorized-key", "--agent", agent_id,
                           f"{key}.pub"], check=True, capture_output=True, text=True).stdout
    host.authorize(line)
    from agent_tui.ssh_access import agent_home

    home = agent_home(host.agents, agent_id)
    name, staff = AGENTS[agent_id]
    folder = home / "config" / "agent-tui"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'[agent]\nname = "{name}"\nstaff_number = "{staff}"\n{config}', encoding="utf-8")
    if store is not None:
        data = home / "data" / "agent-tui"
        data.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store, data / "store.db")
        os.chmod(data / "store.db", 0o600)
    return key


def _customer(store: Path) -> tuple[str, str]:
    connection = sqlite3.connect(store)
    try:
        return connection.execute("SELECT mobile, name FROM customers ORDER BY id LIMIT 1").fetchone()
    finally:
        connection.close()


def _draft_notes(store: Path) -> str:
    connection = sqlite3.connect(store)
    try:
        row = connection.execute("SELECT body FROM drafts WHERE kind = 'call'").fetchone()
    finally:
        connection.close()
    return json.loads(row[0])["notes"] if row else ""


def _wait_for_draft(store: Path, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in _draft_notes(store):
        assert time.monotonic() < deadline, f"the draft never held {text!r}"
        time.sleep(0.1)  # polling the store for the autosave, not a fixed wait


def _connect(host, key: Path, tmp_path: Path, name: str, language: str = "en_US.UTF-8",
             *extra: str) -> tmux_screen.TmuxScreen:
    argv = host.client_argv(key, "-t", "-o", f"SetEnv=LANG={language}", *extra)
    return tmux_screen.TmuxScreen(tmp_path / f"tmux-{name}", argv)


PIN = "482913"


def _choose_pin(screen: tmux_screen.TmuxScreen) -> None:
    """The first session's PIN (the idle lock's), typed in both boxes."""
    screen.type(PIN)
    screen.press("Tab")
    screen.type(PIN)
    screen.press("Enter")
    screen.wait_until_gone("Choose a PIN")


def test_an_agent_signs_in_by_key_works_and_a_dropped_line_keeps_the_notes(host, tmp_path,
                                                                           small_store):
    key = provision(host, "A1024", small_store, tmp_path)
    provision(host, "B2", small_store, tmp_path)
    store = host.agent_home("A1024") / "data" / "agent-tui" / "store.db"
    mobile, name = _customer(store)
    screen = _connect(host, key, tmp_path, "first")
    try:
        shown = screen.wait_for("Choose a PIN", "李娜 · staff no. 1024")
        assert "王芳" not in shown  # the key's agent, not the other one on this host
        _choose_pin(screen)
        screen.wait_for("Type to search")
        screen.type(mobile)
        screen.wait_for("1 found")
        screen.press("Down")
        screen.press("Enter")
        screen.wait_for(name[0], "masked: not verified")
        screen.press("C-n")  # a call for the customer in view
        screen.wait_for("Notes")
        screen.press("Tab")
        screen.press("Tab")
        screen.type("Asked about the annual fee")
        _wait_for_draft(store, "Asked about the annual fee")
        screen.type(", explained")  # mid-typing: the line drops
        os.kill(screen.pid(), 9)  # the client dies: sshd hangs up on the session
        screen.wait_exit()
    finally:
        screen.close()
    again = _connect(host, key, tmp_path, "second")
    try:
        again.wait_for("A call was interrupted", timeout=40)
        again.press("Enter")  # resume it
        again.wait_for("Notes", "Asked about the annual fee")
    finally:
        again.close()


def _ssh(host, key: Path, *arguments: str, language: str = "en_US.UTF-8"):
    """The OpenSSH client with ``arguments`` (options, then a command if any); what it printed
    and its exit status."""
    options = [argument for argument in arguments if argument.startswith("-")]
    command = [argument for argument in arguments if not argument.startswith("-")]
    argv = [*host.client_argv(key, "-o", f"SetEnv=LANG={language}", *options), *command]
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                               stdin=subprocess.DEVNULL)
    return completed.returncode, completed.stdout + completed.stderr


def test_a_shell_scp_or_another_agent_is_refused_and_never_run(host, tmp_path, small_store):
    key = provision(host, "A1024", None, tmp_path)
    marker = tmp_path / "ran"
    status, said = _ssh(host, key, "-tt", f"touch {marker}")
    assert status == 2 and "was refused and not run" in said and not marker.exists()
    status, said = _ssh(host, key, "-tt", "/bin/sh")
    assert status == 2 and "was refused and not run" in said
    status, said = _ssh(host, key, "-tt", f"{AGENT_TUI} ssh-session --agent B2")
    assert status == 2 and "was refused and not run" in said
    assert not host.agent_home("B2").exists()  # nothing of B2's was even made
    status, said = _ssh(host, key, "-T")  # no terminal
    assert status == 2 and "needs a terminal" in said
    status, said = _ssh(host, key, "-tt", "/bin/sh", language="zh_CN.UTF-8")
    assert status == 2 and "已被拒绝，未执行" in said  # in the language the client sent


def test_a_key_without_the_forced_command_cannot_open_an_agents_workstation(host, tmp_path):
    provision(host, "A1024", None, tmp_path)
    plain = ssh_host.make_key(tmp_path / "key-plain", "someone")
    host.authorize((tmp_path / "key-plain.pub").read_text(encoding="utf-8"))
    status, said = _ssh(host, plain, "-tt", f"{AGENT_TUI} ssh-session --agent A1024")
    assert status == 2 and "This key is not agent A1024's" in said
    status, said = _ssh(host, plain, "-tt", f"{AGENT_TUI} ssh-session --agent B2")
    assert status == 2 and "This key is not agent B2's" in said


# An SGR with a foreground of the 16 colours (30-37, 90-97) anywhere among its parameters: the
# first frame may be the PIN dialog alone, whose colours come as "\x1b[0;37;100m" or "\x1b[97;40m".
_SIXTEEN_COLOUR_FOREGROUND = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-7]|9[0-7])(?:;\d+)*m")


def _session_bytes(host, key: Path, term: str, *options: str, wait_for: str) -> str:
    """What the workstation sent down the line until ``wait_for`` showed, as a terminal of type
    ``term`` receives it (the client passes TERM on; LANG and COLORTERM with SetEnv)."""
    from tests.pty_terminal import Terminal

    env = {**os.environ, "TERM": term}
    env.pop("COLORTERM", None)
    terminal = Terminal(host.client_argv(key, "-tt", *options), env)
    try:
        terminal.read_until(wait_for, timeout=40)
        return terminal.output
    finally:
        terminal.close()


def test_over_ssh_no_mouse_the_terminals_colours_and_the_clients_language(host, tmp_path,
                                                                         small_store):
    key = provision(host, "A1024", small_store, tmp_path)
    english = ("-o", "SetEnv=LANG=en_US.UTF-8")
    xterm = _session_bytes(host, key, "xterm-256color", *english, wait_for="Choose a PIN")
    assert "38;5;" in xterm and "38;2;" not in xterm  # 256 colours, as the terminal said
    for mouse_on in ("\x1b[?1000h", "\x1b[?1002h", "\x1b[?1003h", "\x1b[?1006h"):
        assert mouse_on not in xterm  # no mouse tracking: no movement reports upstream
    truecolor = _session_bytes(host, key, "xterm-256color", "-o", "SetEnv=LANG=en_US.UTF-8 COLORTERM=truecolor",
                               wait_for="Choose a PIN")
    assert "38;2;" in truecolor
    linux = _session_bytes(host, key, "linux", *english, wait_for="Choose a PIN")
    assert "38;5;" not in linux and "38;2;" not in linux  # 16 colours: a 16-colour foreground,
    assert _SIXTEEN_COLOUR_FOREGROUND.search(linux)  # wherever it stands in the SGR (0;37;100m)
    chinese = _session_bytes(host, key, "xterm-256color", "-o", "SetEnv=LANG=zh_CN.UTF-8",
                             wait_for="李娜 · 工号 1024")
    assert "Choose a PIN" not in chinese


def test_an_idle_session_locks_and_the_staff_number_and_pin_unlock_it(host, tmp_path,
                                                                      small_store):
    key = provision(host, "A1024", small_store, tmp_path,
                    config="[ssh]\nidle_lock_minutes = 0.05\n")  # 3 s, for the test
    screen = _connect(host, key, tmp_path, "idle")
    try:
        screen.wait_for("Choose a PIN")
        _choose_pin(screen)
        screen.press("C-n")
        screen.wait_for("Notes")
        screen.press("Tab")
        screen.press("Tab")
        screen.type("Card swallowed at the ATM")
        locked = screen.wait_for("Locked after a while")
        assert "Card swallowed" not in locked and "Notes" not in locked  # nothing beneath shows
        screen.type("1024")
        screen.press("Tab")
        screen.type("0000")
        screen.press("Enter")
        screen.wait_for("4 tries left")
        screen.type(PIN)  # the PIN box has the focus again, emptied
        screen.press("Enter")
        screen.wait_for("Notes", "Card swallowed at the ATM")  # the call as it was left
    finally:
        screen.close()
