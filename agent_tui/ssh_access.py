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


def key_of_session(auth_info: str) -> tuple[str, str] | None:
    """The public key (type, base64) sshd says this session signed in with: the
    ``publickey`` line of the file ``SSH_USER_AUTH`` names (``ExposeAuthInfo yes``)."""
    for line in auth_info.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "publickey":
            return parts[1], parts[2]
    return None


def key_agents(authorized_keys: str) -> dict[tuple[str, str], str]:
    """Each key of an authorized_keys file that forces ``ssh-session --agent ID``, with its ID.
    A key whose line runs anything else (or nothing: a shell) is not an agent's key."""
    agents: dict[tuple[str, str], str] = {}
    for line in authorized_keys.splitlines():
        try:
            options, kind, blob = _split_authorized_line(line.strip())
        except ValueError:
            continue
        command = options.get("command", "")
        try:
            argv = shlex.split(command)
        except ValueError:
            continue
        if len(argv) == 4 and Path(argv[0]).name == "agent-tui" \
                and argv[1:3] == ["ssh-session", "--agent"]:
            agents[(kind, blob)] = argv[3]
    return agents


def _split_authorized_line(line: str) -> tuple[dict[str, str], str, str]:
    """(options, key type, base64) of one authorized_keys line; options may hold quoted text
    with spaces and escaped quotes (sshd(8), AUTHORIZED_KEYS FILE FORMAT)."""
    if not line or line.startswith("#"):
        raise ValueError("no key")
    options: dict[str, str] = {}
    position = 0
    if line.split(None, 1)[0] not in KEY_TYPES:
        quoted, start = False, 0
        while position < len(line) and (quoted or not line[position].isspace()):
            char = line[position]
            if char == "\\" and quoted:
                position += 1
            elif char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                _option(options, line[start:position])
                start = position + 1
            position += 1
        _option(options, line[start:position])
    parts = line[position:].split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        raise ValueError("no key")
    return options, parts[0], parts[1]


def _option(options: dict[str, str], text: str) -> None:
    name, _, value = text.partition("=")
    if value.startswith('"') and value.endswith('"'):
        value = value[1:-1].replace('\\"', '"')
    options[name.lower()] = value


def check_key_is_the_agents(auth_info: str, authorized_keys: str, agent_id: str) -> None:
    """The session signed in with a key whose own line forces this agent's session: a key
    without that line (a shell account's, another agent's) cannot open this agent's
    workstation, whatever it runs."""
    key = key_of_session(auth_info)
    if key is None or key_agents(authorized_keys).get(key) != agent_id:
        raise SshAccessError("ssh.not_agents_key", agent=agent_id)


def check_session_key(environ: Mapping[str, str], agent_id: str) -> None:
    """``check_key_is_the_agents`` on the files sshd and the host name: ``SSH_USER_AUTH``
    (``ExposeAuthInfo yes`` in the drop-in), and the account's authorized_keys
    (``AGENT_TUI_AUTHORIZED_KEYS``, set by the drop-in's SetEnv, when it is not the default)."""
    exposed = environ.get("SSH_USER_AUTH", "")
    keys = Path(environ.get("AGENT_TUI_AUTHORIZED_KEYS")
                or Path(environ.get("HOME", "~")).expanduser() / ".ssh" / "authorized_keys")
    try:
        auth_info = Path(exposed).read_text(encoding="utf-8") if exposed else ""
    except (OSError, UnicodeDecodeError):
        auth_info = ""
    if not auth_info:
        raise SshAccessError("ssh.no_auth_info")
    try:
        authorized_keys = keys.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SshAccessError("ssh.keys_unreadable", path=str(keys),
                             reason=getattr(error, "strerror", None) or str(error)) from None
    check_key_is_the_agents(auth_info, authorized_keys, agent_id)


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
