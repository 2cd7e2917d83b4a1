"""Reaching the workstation over SSH: the authorized_keys line that ties a key to one agent, the
checks the forced command makes before anything starts, and each agent's own private folders.

Over SSH the agent is the key's: ``ssh-session --agent ID`` is written into the key's
authorized_keys line by the administrator, and nothing the person connecting sends (a command,
``--agent``, an environment variable) can change it. No Textual and no click here (the core):
``agent_tui.ssh_cli`` turns these into the ``agent-tui ssh`` commands.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

from agent_tui.i18n import TranslatableError

# A folder name on every file system, never "." or "..", and nothing a shell would expand.
_AGENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
KEY_TYPES = frozenset({
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
})
_MAX_KEY_FILE = 64 * 1024  # a public key is under 1 KB; anything far larger is the wrong file
# What the client may not choose for the session: the agent, the files, the language override
# (LANG and LC_* stay: they pick the language when the config does not).
_NOT_FROM_OUTSIDE = ("AGENT_TUI_AGENT", "AGENT_TUI_CONFIG", "AGENT_TUI_STORE",
                     "AGENT_TUI_LANGUAGE")
XDG_FOLDERS = {"XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data",
               "XDG_STATE_HOME": "state", "XDG_CACHE_HOME": "cache"}


class SshAccessError(TranslatableError):
    pass


def check_agent_id(agent_id: str) -> str:
    if not _AGENT_ID.fullmatch(agent_id):
        raise SshAccessError("ssh.bad_agent", agent=agent_id[:40])
    return agent_id


def read_public_key(path: Path) -> str:
    """The one OpenSSH public key in ``path`` as ``type base64 [comment]``, checked: a private
    key, an authorized_keys line (options in front), two keys, an unknown type or a damaged key
    is refused with what to give instead."""
    where = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(_MAX_KEY_FILE + 1)
    except OSError as error:
        raise SshAccessError("ssh.key_unreadable", path=where,
                             reason=error.strerror or str(error)) from None
    if len(data) > _MAX_KEY_FILE:
        raise SshAccessError("ssh.key_not_public", path=where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SshAccessError("ssh.key_not_public", path=where) from None
    if "PRIVATE KEY" in text:
        raise SshAccessError("ssh.key_private", path=where)
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise SshAccessError("ssh.key_empty", path=where)
    if len(lines) > 1:
        raise SshAccessError("ssh.key_several", path=where, count=len(lines))
    parts = lines[0].split(None, 2)
    if parts[0] not in KEY_TYPES:
        key = "ssh.key_has_options" if any(kind in lines[0] for kind in KEY_TYPES) \
            else "ssh.key_not_public"
        raise SshAccessError(key, path=where)
    if len(parts) < 2 or not _blob_matches(parts[0], parts[1]):
        raise SshAccessError("ssh.key_damaged", path=where)
    comment = parts[2] if len(parts) > 2 else ""
    if not comment.isprintable() or '"' in comment:
        comment = ""  # a comment is a label only: one that could break the line is left out
    return " ".join(part for part in (parts[0], parts[1], comment) if part)


def _blob_matches(kind: str, encoded: str) -> bool:
    """The key's base64 decodes, and names its own type first (as every OpenSSH key does)."""
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(blob) < 4:
        return False
    length = int.from_bytes(blob[:4], "big")
    return blob[4:4 + length] == kind.encode("ascii") and len(blob) > 4 + length


def authorized_key_line(program: str, agent_id: str, key: str) -> str:
    """``restrict`` takes every forwarding, the agent and X11 away; ``pty`` gives the terminal
    back; ``command`` is what runs, whatever the client asked for."""
    if '"' in program or "\\" in program:
        raise SshAccessError("ssh.bad_program", path=program)
    command = f"{shlex.quote(program)} ssh-session --agent {check_agent_id(agent_id)}"
    return f'restrict,pty,command="{command}" {key}'


def check_session(environ: Mapping[str, str], has_terminal: bool) -> None:
    """A command of the client's (a shell, scp, sftp, another agent's session) is refused, never
    run; so is a session without a terminal (``ssh -T``), where the workstation cannot draw."""
    if "SSH_ORIGINAL_COMMAND" in environ:
        raise SshAccessError("ssh.no_commands", command=environ["SSH_ORIGINAL_COMMAND"][:60])
    if not has_terminal:
        raise SshAccessError("ssh.needs_terminal")


def agent_home(root: Path, agent_id: str) -> Path:
    """The agent's own folder under ``root`` (config, store, drafts, PIN), and root itself,
    mode 0700: on a host shared by every agent's sessions no agent reads another's."""
    home = root / check_agent_id(agent_id)
    try:
        for folder in (root, home, *(home / name for name in XDG_FOLDERS.values())):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if folder.stat().st_uid == os.geteuid():
                folder.chmod(0o700)
    except OSError as error:
        raise SshAccessError("ssh.home_failed", path=str(home),
                             reason=error.strerror or str(error)) from None
    return home


def session_environment(environ: Mapping[str, str], home: Path) -> dict[str, str]:
    """The environment the workstation runs in: the agent's own XDG folders (so the config,
    the store and the drafts are theirs), no variable that could name another agent or file,
    and Textual's animations off (the low-bandwidth profile: every frame of one is sent)."""
    session = {key: value for key, value in environ.items()
               if key not in _NOT_FROM_OUTSIDE and key not in XDG_FOLDERS}
    session.update({variable: str(home / folder) for variable, folder in XDG_FOLDERS.items()})
    session["TEXTUAL_ANIMATIONS"] = "none"
    return session
