"""The session cookie: a signed, timestamped session id (itsdangerous), HttpOnly,
SameSite=Strict, Secure when served over TLS. The secret is 32 random bytes in a 0600 file,
made once; removing the file signs every agent out.

The cookie carries only the session's id and its agent: what a session holds (a hub token) stays
in the server's memory, and a cookie whose session is not live there is refused too (signed
out, or the server restarted).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from agent_tui.private_files import replace_private, tighten
from agent_tui.web.places import private_dir

COOKIE_NAME = "agent_tui_session"
_SALT = "agent-tui web session"


def load_secret(path: Path) -> bytes:
    """The server's secret, made (0600) if there is none yet."""
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = b""
    if len(secret) < 32:
        private_dir(path.parent)
        secret = secrets.token_bytes(32)
        replace_private(path, secret)
    tighten(path)
    return secret


@dataclass(frozen=True)
class SessionClaim:
    session_id: str
    agent_id: str


class CookieSigner:
    def __init__(self, secret: bytes, max_age_s: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)
        self.max_age_s = max_age_s

    def sign(self, claim: SessionClaim) -> str:
        return self._serializer.dumps([claim.session_id, claim.agent_id])

    def load(self, value: str | None) -> SessionClaim | None:
        """The claim if ``value`` is a cookie this server signed within ``max_age_s``; None if
        it is absent, forged, altered, expired or malformed."""
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=self.max_age_s)
        except BadSignature:  # SignatureExpired is one
            return None
        if (not isinstance(data, list) or len(data) != 2
                or not all(isinstance(part, str) and part for part in data)):
            return None
        return SessionClaim(data[0], data[1])


def cookie_options(max_age_s: int, secure: bool) -> dict[str, object]:
    """aiohttp's ``set_cookie`` arguments: never readable by scripts, never sent cross-site."""
    return {"max_age": max_age_s, "httponly": True, "samesite": "Strict", "secure": secure,
            "path": "/"}
