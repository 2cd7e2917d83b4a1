"""The SSH route's checks, without sshd: the authorized_keys line, the public key it is made from,
what a session refuses, and the agent's own folders (the real sshd is in
tests/functional/test_ssh_route.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from agent_tui.ssh_access import (
    SshAccessError,
    agent_home,
    authorized_key_line,
    check_agent_id,
    check_session,
    read_public_key,
    session_environment,
)

# A real ed25519 public key (ssh-keygen), for the parsing only.
ED25519 = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHWOYuCM8nAvBA7cyYqiaFBeYcTTOSHrwkxb02VgpOnC")


def _key_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agent.pub"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_public_key_is_read_with_its_comment(tmp_path):
    assert read_public_key(_key_file(tmp_path, f"{ED25519} li na@laptop\n")) == \
        f"{ED25519} li na@laptop"
    assert read_public_key(_key_file(tmp_path, f"# the agent's key\n\n{ED25519}\n")) == ED25519


@pytest.mark.parametrize(("text", "reason"), [
    ("", "ssh.key_empty"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n", "ssh.key_private"),
    (f"{ED25519}\n{ED25519}\n", "ssh.key_several"),
    (f'command="/bin/sh" {ED25519}\n', "ssh.key_has_options"),
    ("ssh-ed25519 not*base64\n", "ssh.key_damaged"),
    ("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIHWOYuCM8nAvBA7cyYqiaFBeYcTTOSHrwkxb02VgpOnC\n",
     "ssh.key_damaged"),  # the blob names ed25519, the line says rsa
    ("ssh-ed25519\n", "ssh.key_damaged"),
    ("hello world\n", "ssh.key_not_public"),
])
def test_what_is_not_one_public_key_is_refused_with_what_to_give(tmp_path, text, reason):
    with pytest.raises(SshAccessError) as caught:
        read_public_key(_key_file(tmp_path, text))
    assert caught.value.key == reason


def test_a_missing_or_binary_key_file_is_refused(tmp_path):
    with pytest.raises(SshAccessError) as caught:
        read_public_key(tmp_path / "nowhere.pub")
    assert caught.value.key == "ssh.key_unreadable"
    binary = tmp_path / "binary.pub"
    binary.write_bytes(b"\xff\xfe\x00ssh")
    with pytest.raises(SshAccessError) as caught:
        read_public_key(binary)
    assert caught.value.key == "ssh.key_not_public"


def test_a_comment_that_could_break_the_line_is_left_out(tmp_path):
    assert read_public_key(_key_file(tmp_path, f'{ED25519} a"b\n')) == ED25519


def test_the_line_forces_the_session_of_one_agent():
    line = authorized_key_line("/opt/agent tui/bin/agent-tui", "A1024", ED25519)
    assert line == (f"""restrict,pty,command="'/opt/agent tui/bin/agent-tui' ssh-session """
                    f'--agent A1024" {ED25519}')
    with pytest.raises(SshAccessError):
        authorized_key_line('/opt/a"b/agent-tui', "A1024", ED25519)


@pytest.mark.parametrize("agent", ["", "..", "../B2", "A 1", "A1;sh", "-A1", "A" * 33, "李娜"])
def test_an_agent_id_that_is_not_a_plain_name_is_refused(agent):
    with pytest.raises(SshAccessError) as caught:
        check_agent_id(agent)
    assert caught.value.key == "ssh.bad_agent"


def test_a_session_refuses_a_command_and_a_missing_terminal():
    for command in ("", "/bin/sh", "scp -t /tmp", "agent-tui ssh-session --agent B2"):
        with pytest.raises(SshAccessError) as caught:
            check_session({"SSH_ORIGINAL_COMMAND": command}, has_terminal=True)
        assert caught.value.key == "ssh.no_commands"
    with pytest.raises(SshAccessError) as caught:
        check_session({}, has_terminal=False)
    assert caught.value.key == "ssh.needs_terminal"
    check_session({"LANG": "zh_CN.UTF-8"}, has_terminal=True)


def test_each_agent_has_folders_of_their_own_that_no_one_else_reads(tmp_path):
    root = tmp_path / "agents"
    home = agent_home(root, "A1024")
    assert home == root / "A1024"
    for folder in (root, home, home / "data", home / "config"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (root / "B2").mkdir(mode=0o755)
    assert stat.S_IMODE(agent_home(root, "B2").stat().st_mode) == 0o700  # tightened


def test_the_session_environment_names_no_other_agent_nor_their_files(tmp_path):
    outside = {"AGENT_TUI_AGENT": "B2", "AGENT_TUI_CONFIG": "/home/b2/config.toml",
               "AGENT_TUI_STORE": "/home/b2/store.db", "AGENT_TUI_LANGUAGE": "en",
               "XDG_DATA_HOME": "/home/b2/data", "LANG": "zh_CN.UTF-8", "TERM": "linux",
               "AGENT_TUI_HUB_URL": "http://hub:8750"}
    environment = session_environment(outside, tmp_path / "A1024")
    assert not {"AGENT_TUI_AGENT", "AGENT_TUI_CONFIG", "AGENT_TUI_STORE",
                "AGENT_TUI_LANGUAGE"} & environment.keys()
    assert environment["XDG_DATA_HOME"] == str(tmp_path / "A1024" / "data")
    assert environment["XDG_CONFIG_HOME"] == str(tmp_path / "A1024" / "config")
    assert (environment["LANG"], environment["TERM"]) == ("zh_CN.UTF-8", "linux")
    assert environment["AGENT_TUI_HUB_URL"] == "http://hub:8750"  # the host's, kept
    assert environment["TEXTUAL_ANIMATIONS"] == "none"


OTHER = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEslvuvX3ziHjZJU+s98SoPh8M6ddNSTqaslc9VOpdId"


def test_only_a_key_whose_line_forces_this_agent_opens_their_workstation():
    from agent_tui.ssh_access import check_key_is_the_agents, key_agents

    authorized = "\n".join([
        "# agents",
        authorized_key_line("/opt/agent-tui/bin/agent-tui", "A1024", f"{ED25519} li na"),
        OTHER + " a shell account",
        'restrict,pty,command="/bin/echo \\"x y\\" ssh-session --agent B2" ' + OTHER + "x",
    ])
    assert key_agents(authorized) == {tuple(ED25519.split()): "A1024"}
    check_key_is_the_agents(f"publickey {ED25519}\n", authorized, "A1024")
    for auth_info, agent in ((f"publickey {ED25519}\n", "B2"), (f"publickey {OTHER}\n", "A1024"),
                             ("password\n", "A1024"), ("", "A1024")):
        with pytest.raises(SshAccessError) as caught:
            check_key_is_the_agents(auth_info, authorized, agent)
        assert caught.value.key == "ssh.not_agents_key"
