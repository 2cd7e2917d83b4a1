"""``agent-tui ssh authorized-key`` (the line an administrator puts in authorized_keys) and
``agent-tui ssh-session`` (the forced command that line runs). docs/deploy-ssh.md says how they
fit into a host's sshd.

The session's agent is the ``--agent`` of the authorized_keys line, never anything the client
sends: its command is refused (``SSH_ORIGINAL_COMMAND``), the variables that could name another
agent or another agent's files are dropped, and each agent works in folders of their own (0700).
Over SSH the low-bandwidth profile is on by itself: no mouse tracking, no cursor blink, no
animation; the idle lock is on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent_tui.cli_config import _fail
from agent_tui.i18n import language_from_environment
from agent_tui.ssh_access import (
    SshAccessError,
    authorized_key_line,
    check_agent_id,
    read_public_key,
)
from agent_tui.ssh_forced import forced_session


@click.group()
def ssh() -> None:
    """Remote agents over SSH: the authorized_keys line for an agent's key."""


@ssh.command("authorized-key")
@click.option("--agent", "agent_id", required=True, help="The agent this key signs in as.")
@click.argument("public_key", type=click.Path(path_type=Path, dir_okay=False))
def authorized_key(agent_id: str, public_key: Path) -> None:
    """Print the authorized_keys line that signs PUBLIC_KEY in as AGENT, and only as AGENT."""
    language = language_from_environment()
    try:
        line = authorized_key_line(_program(), check_agent_id(agent_id),
                                   read_public_key(public_key))
    except SshAccessError as error:
        _fail(error, language)
    click.echo(line)


def _program() -> str:
    """The absolute path of this ``agent-tui``: sshd runs the forced command with the account's
    PATH, which need not have it."""
    script = Path(sys.argv[0])
    if script.name == "agent-tui" and script.exists():
        return str(script.absolute())
    beside = Path(sys.executable).with_name("agent-tui")
    return str(beside if beside.exists() else script.absolute())


@click.command("ssh-session")
@click.option("--agent", "agent_id", required=True,
              help="Set by the key's authorized_keys line, never by the person connecting.")
def ssh_session(agent_id: str) -> None:
    """The forced command of an agent's key: the workstation, as that agent, low-bandwidth.
    (``agent-tui ssh-session`` comes to ``ssh_forced`` without click; this is ``python -m``'s.)"""
    forced_session(agent_id)
