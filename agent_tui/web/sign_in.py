"""Who is signing in: an agent id with their password (``agent-tui web user add``), or a hub
token (the hub says whose it is). Failed attempts are limited per agent id and per address;
a refusal never says which of the two was wrong."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from agent_tui.web.attempts import FailedSignIns
from agent_tui.web.passwords import AGENT_ID, PasswordStore

TOKEN_PREFIX = "atk_"  # agent_tui.hub.auth's: a secret that starts so is a hub token


@dataclass(frozen=True)
class SignedIn:
    agent_id: str
    name: str
    staff_number: str
    hub_token: str = ""


@dataclass(frozen=True)
class Refused:
    key: str                # the catalog key saying why, and what to do
    wait_minutes: int = 0   # for too many attempts


class SignInDesk:
    def __init__(self, passwords: PasswordStore, attempts: FailedSignIns,
                 hub_identity=None) -> None:
        self.passwords = passwords
        self.attempts = attempts
        # hub_identity(token) -> agent id or None; None when no hub is configured.
        self.hub_identity = hub_identity

    async def sign_in(self, agent_id: str, secret: str, address: str) -> SignedIn | Refused:
        agent_id = agent_id.strip()
        keys = (f"agent:{agent_id.lower()}", f"address:{address}")
        wait = self.attempts.wait_s(*keys)
        if wait > 0:
            return Refused("web.too_many", wait_minutes=max(1, round(wait / 60)))
        if not secret:
            return Refused("web.missing")
        outcome = await self._check(agent_id, secret)
        if outcome is None:
            self.attempts.failed(*keys)
            return Refused("web.wrong")
        self.attempts.succeeded(*keys)
        return outcome

    async def _check(self, agent_id: str, secret: str) -> SignedIn | None:
        if secret.startswith(TOKEN_PREFIX) and self.hub_identity is not None:
            owner = await asyncio.to_thread(self.hub_identity, secret)
            if owner is None or (agent_id and agent_id != owner) or not AGENT_ID.fullmatch(owner):
                return None
            user = next((u for u in self.passwords.users() if u.agent_id == owner), None)
            return SignedIn(owner, user.name if user else owner,
                            user.staff_number if user else owner, hub_token=secret)
        if not AGENT_ID.fullmatch(agent_id):
            return None
        # Argon2 takes tens of milliseconds of CPU: off the event loop.
        user = await asyncio.to_thread(self.passwords.check, agent_id, secret)
        if user is None:
            return None
        return SignedIn(user.agent_id, user.name, user.staff_number)
