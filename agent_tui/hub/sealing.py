"""Sealed copies of customers, made on the hub for workstations to verify offline.

The hub seals a customer's basic tier under the policy's answers (``domain.sealed``) when a
workstation fetches the customer, and keeps the copy while what it seals is unchanged: sealing
costs a few scrypt derivations, and a customer is fetched by many agents. A copy is remade once
a day at most (the recent amounts move with the calendar) and opens for a week at most.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import Connection, select

from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.domain.sealed import SealedCopy, seal
from agent_tui.domain.times import iso
from agent_tui.domain.verification import canonical_truths
from agent_tui.hub import masked
from agent_tui.hub.mutations import insert_if_absent
from agent_tui.hub.schema import sealed_copies

VALID_FOR = timedelta(days=7)
REMADE_AFTER = timedelta(days=1)


def sealed_copy(connection: Connection, customer_id: str, policy: VerificationPolicy,
                now: datetime) -> dict | None:
    """The customer's sealed copy (as the wire carries it), made or reused."""
    facts = masked.facts(connection, customer_id, now)
    if facts is None:
        return None
    factors = (*policy.required, *policy.any_of)
    truths = {factor: canonical_truths(factor, facts) for factor in factors}
    payload = msgspec.json.encode(masked.release(connection, customer_id, full=False))
    basis = hashlib.sha256(msgspec.json.encode(
        [policy.required, policy.any_of, policy.need, truths, payload.decode()],
        order="sorted")).hexdigest()
    held = connection.execute(select(sealed_copies).where(
        sealed_copies.c.customer_id == customer_id)).first()
    if held is not None and held.basis == basis and \
            datetime.fromisoformat(held.made_at) > now - REMADE_AFTER:
        return msgspec.json.decode(held.body)
    copy = seal(customer_id, truths, policy.required, policy.any_of, policy.need, payload,
                iso(now), iso(now + VALID_FOR))
    body = msgspec.to_builtins(copy)
    row = {"customer_id": customer_id, "basis": basis, "made_at": iso(now),
           "body": msgspec.json.encode(copy).decode()}
    if not insert_if_absent(connection, sealed_copies, row):
        connection.execute(sealed_copies.update().where(
            sealed_copies.c.customer_id == customer_id).values(**row))
    return body


def decode(body: object) -> SealedCopy:
    """A sealed copy as the wire (or the store) carries it."""
    return msgspec.convert(body, SealedCopy)
