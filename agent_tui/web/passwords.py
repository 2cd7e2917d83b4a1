"""Per-agent passwords for the browser's sign-in (``agent-tui web user add AGENT``).

Hashed with Argon2id (argon2-cffi, the reference implementation's binding, with its default
cost); the file holds only the hashes, with each agent's name and staff number for the
workstation's header, as JSON, mode 0600 in a 0700 folder. An unknown agent costs a sign-in as
much time as a wrong password, so the timing does not tell which agents exist.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from agent_tui.i18n import TranslatableError
from agent_tui.private_files import replace_private
from agent_tui.web.places import private_dir

# An agent id goes into a path (the agent's own folder) and a command line: letters, digits,
# '-', '_' only, at most 16 (the workstation's own limit).
AGENT_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
_UNKNOWN = _HASHER.hash("an agent that does not exist")  # verified against, to spend the time


class PasswordError(TranslatableError):
    pass


@dataclass(frozen=True)
class WebUser:
    agent_id: str
    name: str
    staff_number: str


def check_agent_id(agent_id: str) -> str:
    if not AGENT_ID.fullmatch(agent_id):
        raise PasswordError("web.bad_agent_id", agent=agent_id[:40])
    return agent_id


class PasswordStore:
    """The password file: read whole at each call (it is small, and `web user add` run beside
    a serving process must take effect at the next sign-in), written whole and atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise PasswordError("web.users_unreadable", path=str(self.path),
                                reason=str(error)) from None
        return data if isinstance(data, dict) else {}

    def _write(self, users: dict[str, dict[str, str]]) -> None:
        private_dir(self.path.parent)
        text = json.dumps(users, ensure_ascii=False, indent=1, sort_keys=True)
        replace_private(self.path, text.encode("utf-8"))

    def add(self, agent_id: str, password: str, name: str, staff_number: str) -> bool:
        """Set the agent's password (and name, staff number); True if the agent was new."""
        check_agent_id(agent_id)
        if len(password) < MIN_PASSWORD:
            raise PasswordError("web.password_short", minimum=MIN_PASSWORD)
        users = self._read()
        new = agent_id not in users
        users[agent_id] = {"hash": _HASHER.hash(password), "name": name,
                           "staff_number": staff_number}
        self._write(users)
        return new

    def remove(self, agent_id: str) -> bool:
        users = self._read()
        if users.pop(agent_id, None) is None:
            return False
        self._write(users)
        return True

    def users(self) -> list[WebUser]:
        return [WebUser(agent_id, entry.get("name", ""), entry.get("staff_number", ""))
                for agent_id, entry in sorted(self._read().items())]

    def check(self, agent_id: str, password: str) -> WebUser | None:
        """The agent, if ``password`` is theirs; None otherwise (unknown agent included)."""
        entry = self._read().get(agent_id)
        stored = entry.get("hash", "") if isinstance(entry, dict) else ""
        try:
            _HASHER.verify(stored or _UNKNOWN, password)
        except (VerificationError, InvalidHashError):
            return None
        if not stored:
            return None
        return WebUser(agent_id, entry.get("name", ""), entry.get("staff_number", ""))
