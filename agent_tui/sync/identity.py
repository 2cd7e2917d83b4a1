"""A call's identity on a workstation: who compares the caller's answers, and who sends the code.

With a hub, the hub decides (it holds the facts; the workstation holds the customer masked) and
releases the values a pass earns. With the hub out of reach, the customer's sealed copy decides
(``domain.sealed``), if the workstation holds one and it is fresh. A customer the workstation
holds in full (a demo store of its own) is compared with the store's facts. Otherwise the agent
is told why verification cannot be done now.

One-time codes come only from the hub: offline, a sensitive operation is refused, and the agent
is given the route that works without it (the library's ``offline_emergency``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime

import msgspec

from agent_tui.domain.disclosed import Revealed
from agent_tui.domain.sealed import SealedCopy, open_sealed
from agent_tui.domain.verification import Comparison, Verification
from agent_tui.i18n import TranslatableError
from agent_tui.store.customers import CustomerRepository
from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable
from agent_tui.sync.protocol import CodeChecked, CodeSent, Verdict
from agent_tui.sync.runner import device_id


class IdentityRefused(TranslatableError):
    """Verification or a code cannot be done now; the key says why and what to do."""


# The hub's refusals this workstation explains; any other is named by its code.
_EXPLAINED = frozenset({
    "call_not_yours", "other_customer", "unknown_customer", "not_verified", "unknown_account",
    "unknown_operation", "unknown_step_up", "rate_limited", "training_only", "unknown_device",
    "device_not_yours"})


def _refused(refusal: HubRefused) -> IdentityRefused:
    if refusal.code in _EXPLAINED:
        return IdentityRefused(f"identity.hub.{refusal.code}")
    return IdentityRefused("identity.hub_other", code=refusal.code)


def compare(connection: sqlite3.Connection, client: HubClient | None, call_id: str,
            customer_id: str, answers: Mapping[str, str], verification: Verification,
            now: datetime) -> Comparison:
    """The caller's answers compared by whoever can: the hub, the sealed copy, the store."""
    if client is not None:
        try:
            verdict = client.verify(device_id(connection, client), call_id, customer_id,
                                    dict(answers))
        except HubUnreachable:
            pass  # offline: the sealed copy, or the store's own facts
        except HubRefused as refusal:
            raise _refused(refusal) from None
        else:
            return _from_verdict(verdict)
    return compare_offline(connection, customer_id, answers, verification, now)


def _from_verdict(verdict: Verdict) -> Comparison:
    if verdict.status == "passed":
        return Comparison((), release=verdict.release, source="hub")
    return Comparison(tuple(verdict.failed), locked=verdict.status == "locked", source="hub")


def compare_offline(connection: sqlite3.Connection, customer_id: str,
                    answers: Mapping[str, str], verification: Verification,
                    now: datetime) -> Comparison:
    if verification.missing_answers(answers):
        # Not an attempt yet. The store's facts can tell a wrong name already; a sealed copy
        # cannot (its name is folded into every share), and is not opened for nothing.
        return verification.compare({factor: answers[factor] for factor in
                                     verification.policy.required if answers.get(factor)}) \
            if verification.has_facts else Comparison(())
    held = CustomerRepository(connection).sealed_copy(customer_id)
    if held is not None:
        expires_at, body = held
        if datetime.fromisoformat(expires_at) < now:
            raise IdentityRefused("identity.sealed_expired", expired=expires_at[:16])
        try:
            copy = msgspec.json.decode(body, type=SealedCopy)
        except (msgspec.DecodeError, msgspec.ValidationError):
            raise IdentityRefused("identity.sealed_damaged") from None
        opened = open_sealed(copy, answers)
        if opened.payload is not None:
            return Comparison(opened.unopened, source="sealed_copy",
                              release=msgspec.json.decode(opened.payload, type=Revealed))
        if opened.opened:  # the name was right: the unopened answers were not
            return Comparison(opened.unopened, source="sealed_copy")
        return Comparison((*copy.required, *opened.unopened), ambiguous=True,
                          source="sealed_copy")
    if verification.has_facts:
        return verification.compare(answers)
    raise IdentityRefused("identity.offline_no_copy")


def restored(connection: sqlite3.Connection, client: HubClient | None, call_id: str
             ) -> Verdict | None:
    """What the hub says a resumed call's verification proved (None: it cannot be asked)."""
    if client is None:
        return None
    try:
        return client.verification_state(device_id(connection, client), call_id)
    except (HubUnreachable, HubRefused):
        return None


def send_code(connection: sqlite3.Connection, client: HubClient, call_id: str,
              operation: str, account_id: str | None) -> CodeSent:
    try:
        return client.send_code(device_id(connection, client), call_id, operation, account_id)
    except HubUnreachable:
        raise IdentityRefused("identity.offline_operation") from None
    except HubRefused as refusal:
        raise _refused(refusal) from None


def check_code(connection: sqlite3.Connection, client: HubClient, step_up_id: str,
               code: str) -> CodeChecked:
    try:
        return client.check_code(device_id(connection, client), step_up_id, code)
    except HubUnreachable:
        raise IdentityRefused("identity.offline_operation") from None
    except HubRefused as refusal:
        raise _refused(refusal) from None
