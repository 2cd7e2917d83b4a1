"""Bearer tokens: printed once, stored only as a hash, listed and revoked by id.

A token is 32 random bytes, so a plain SHA-256 of it is enough to store (nothing to brute-force,
unlike a password). The hub trusts the token for who is asking and in what role, never the
client's own claim: an agent id in a mutation's arguments is ignored.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import Engine, bindparam, select, update

from agent_tui.domain.ids import new_id
from agent_tui.domain.times import iso
from agent_tui.hub.database import reading
from agent_tui.hub.schema import tokens

TELEPHONY = "telephony"  # the telephony system: posts call events, nothing else (issue 18)
ROLES = ("agent", "supervisor", "trainer", TELEPHONY)
STAFF_ROLES = ("agent", "supervisor")  # the roles that work on real customers and cases
TOKEN_PREFIX = "atk_"


class Principal(msgspec.Struct, frozen=True):
    """Who a request comes from, as the hub knows it."""

    agent_id: str
    role: str
    team: str

    @property
    def real_data(self) -> bool:
        """Agents and supervisors work on real customers and cases; a trainer (and any role
        added later) on training data only."""
        return self.role in STAFF_ROLES

    @property
    def teams(self) -> frozenset[str]:
        """The teams the token names: one, or for a trainer who trains several, a list
        separated by commas ("T1,T2"). A trainer reads the training data of these only."""
        return frozenset(team.strip() for team in self.team.split(",") if team.strip())

    @property
    def audiences(self) -> tuple[str, ...]:
        """The change-log audiences this principal reads (a trainer's hold no real data)."""
        if not self.real_data:
            return (f"training:{self.agent_id}",)
        mine = (f"agent:{self.agent_id}", "all")
        if self.role == "supervisor" and self.team:
            return (*mine, f"team:{self.team}")
        return mine


class TokenInfo(msgspec.Struct, frozen=True):
    id: str
    agent_id: str
    role: str
    team: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, agent_id: str, role: str, team: str, now: datetime,
                 valid_for: timedelta | None) -> tuple[str, str]:
    """A new token for ``agent_id``: returns (token id, the token itself, shown only now)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = new_id()
    with engine.begin() as connection:
        connection.execute(tokens.insert().values(
            id=token_id, token_hash=token_hash(token), agent_id=agent_id, role=role, team=team,
            created_at=iso(now), expires_at=iso(now + valid_for) if valid_for else None))
    return token_id, token


def list_tokens(engine: Engine) -> list[TokenInfo]:
    with reading(engine) as connection:
        rows = connection.execute(select(
            tokens.c.id, tokens.c.agent_id, tokens.c.role, tokens.c.team, tokens.c.created_at,
            tokens.c.expires_at, tokens.c.revoked_at).order_by(tokens.c.created_at)).all()
    return [TokenInfo(*row) for row in rows]


def revoke_token(engine: Engine, token_id: str, now: datetime) -> bool:
    with engine.begin() as connection:
        result = connection.execute(update(tokens).where(
            tokens.c.id == token_id, tokens.c.revoked_at.is_(None)).values(revoked_at=iso(now)))
    return result.rowcount > 0


class AuthFailure(Exception):
    """Why a bearer token was refused: ``missing``, ``unknown``, ``revoked`` or ``expired``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# A token's row is read again after this many seconds: a revocation reaches every hub process
# within it, and a thousand agents' pulls (one every 10 s each) do not each cost a database
# round trip for it. Expiry is checked on every request.
TOKEN_RECHECK_S = 30.0
_MAX_CACHED = 50_000
_TOKEN = select(tokens.c.agent_id, tokens.c.role, tokens.c.team, tokens.c.expires_at,
                tokens.c.revoked_at).where(tokens.c.token_hash == bindparam("token_hash"))


class TokenCache:
    """Recently checked tokens, by hash, with when they were read (per hub process)."""

    def __init__(self, recheck_s: float = TOKEN_RECHECK_S, monotonic=time.monotonic) -> None:
        self._rows: dict[str, tuple[float, object]] = {}
        self.recheck_s = recheck_s
        self._monotonic = monotonic

    def row(self, engine: Engine, digest: str):
        now = self._monotonic()
        cached = self._rows.get(digest)
        if cached is not None and now - cached[0] < self.recheck_s:
            return cached[1]
        with reading(engine) as connection:
            row = connection.execute(_TOKEN, {"token_hash": digest}).first()
        if len(self._rows) >= _MAX_CACHED:
            self._rows.clear()
        self._rows[digest] = (now, row)
        return row


def authenticate(engine: Engine, authorization: str | None, now: datetime,
                 cache: TokenCache | None = None) -> Principal:
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthFailure("missing")
    digest = token_hash(authorization[7:].strip())
    if cache is not None:
        row = cache.row(engine, digest)
    else:
        with reading(engine) as connection:
            row = connection.execute(_TOKEN, {"token_hash": digest}).first()
    if row is None:
        raise AuthFailure("unknown")
    if row.revoked_at:
        raise AuthFailure("revoked")
    if row.expires_at and row.expires_at <= iso(now):  # checked on every request
        raise AuthFailure("expired")
    return Principal(row.agent_id, row.role, row.team)
