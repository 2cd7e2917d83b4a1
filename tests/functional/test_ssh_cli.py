"""`agent-tui ssh authorized-key` and the refusals of `agent-tui ssh-session`, through the command
line (the sessions themselves, through a real sshd: test_ssh_route.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from agent_tui.cli import main

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHWOYuCM8nAvBA7cyYqiaFBeYcTTOSHrwkxb02VgpOnC"


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_authorized_key_prints_the_line_of_that_agent_and_only_that_agent(tmp_path):
    key = tmp_path / "li_na.pub"
    key.write_text(f"{ED25519} li.na@laptop\n", encoding="utf-8")
    result = _run("ssh", "authorized-key", "--agent", "A1024", str(key))
    assert result.exit_code == 0, result.output
    program = Path(sys.executable).with_name("agent-tui")
    assert result.output == (f'restrict,pty,command="{program} ssh-session --agent A1024" '
                             f"{ED25519} li.na@laptop\n")
    assert Path(result.output.split('"')[1].split()[0]).is_absolute()


def test_a_wrong_key_file_is_refused_with_what_to_give_in_the_agents_language(tmp_path):
    private = tmp_path / "id_ed25519"
    private.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n", encoding="utf-8")
    result = _run("ssh", "authorized-key", "--agent", "A1024", str(private))
    assert result.exit_code == 2
    assert "PRIVATE key" in result.output and ".pub" in result.output
    assert "Traceback" not in result.output
    result = _run("ssh", "authorized-key", "--agent", "A1024", str(tmp_path / "missing.pub"),
                  env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2 and "无法读取公钥" in result.output


def test_a_bad_agent_id_is_refused_before_the_key_is_read(tmp_path):
    result = _run("ssh", "authorized-key", "--agent", "../B2", str(tmp_path / "x.pub"))
    assert result.exit_code == 2 and "not an agent id" in result.output


def test_a_session_refuses_a_client_command_and_runs_nothing(tmp_path):
    marker = tmp_path / "r"
    result = _run("ssh-session", "--agent", "A1024",
                  env={"SSH_ORIGINAL_COMMAND": f"touch {marker}"})
    assert result.exit_code == 2
    assert "was refused and not run" in result.output and "touch" in result.output
    assert not marker.exists()


def test_a_session_without_a_terminal_is_refused(tmp_path):
    result = _run("ssh-session", "--agent", "A1024")  # CliRunner's stdin is no terminal
    assert result.exit_code == 2 and "needs a terminal" in result.output
