"""A call's identity verification and its one-time codes, decided by the hub.

The workstation types what the caller says; the hub compares it with the customer's facts, which
never leave the hub. A call's verification is bound to the agent, the device and the customer of
its first attempt, and locks after the policy's failures (the hub flags the customer). A pass
releases the basic tier's values for that call; a passed one-time code the full tier's. Every
release is audited (``access.disclose``).

One-time codes: the hub makes the code, "sends" it (the demo's SMS is a line in the hub's
outbox file; a bank's SMS platform in production), keeps only its hash, and checks what the
caller reads back: five minutes, three tries. A passed code authorises one operation, once
(``record_mutations.perform_operation``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from pathlib import Path

import msgspec
from sqlalchemy import Connection, Engine, select, update

from agent_tui.domain.ids import call_flag_id, new_id
from agent_tui.domain.masking import mask_mobile
from agent_tui.domain.operations import CARD_OPERATIONS, OPERATION_NAMES
from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.domain.times import iso
from agent_tui.domain.verification import Attempt, Status, StepUp, Verification
from agent_tui.hub import access, masked
from agent_tui.hub.auth import Principal
from agent_tui.hub.mutations import insert_if_absent
from agent_tui.hub.schema import (
    accounts,
    call_verifications,
    customer_flags,
    customers,
    step_ups,
)
from agent_tui.private_files import open_append

POSSIBLE_FRAUD = "possible_fraud"
CODE_DIGITS = 6
# How long a passed code may wait for its operation to reach the hub (the workstation pushes
# it at once; a link that drops right after the code passed gets this long to come back).
PASSED_CODE_VALID = timedelta(minutes=30)


class CallRefused(Exception):
    """The request cannot be answered for this caller: an HTTP status and a reason code."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _release_body(revealed) -> dict:
    return msgspec.to_builtins(revealed)


def _verification_row(connection: Connection, call_id: str):
    return connection.execute(select(call_verifications).where(
        call_verifications.c.call_id == call_id).with_for_update()).first()


def _owned(row, principal: Principal, device_id: str) -> None:
    if row.agent_id != principal.agent_id or row.device_id != device_id:
        raise CallRefused(403, "call_not_yours")


def verify(engine: Engine, principal: Principal, device_id: str, call_id: str,
           customer_id: str, answers: dict[str, str], policy: VerificationPolicy,
           limits: access.Limits, now: datetime) -> dict:
    """One attempt at the call's verification, decided here; a pass releases the basic tier."""
    access.check(engine, principal, "release", limits, now)
    answers = {str(key): str(value)[:100] for key, value in answers.items()
               if key in (*policy.required, *policy.any_of)}
    with engine.begin() as connection:
        row = _verification_row(connection, call_id)
        if row is None:
            if connection.execute(select(customers.c.id).where(
                    customers.c.id == customer_id)).first() is None:
                raise CallRefused(404, "unknown_customer")
            insert_if_absent(connection, call_verifications, {
                "call_id": call_id, "agent_id": principal.agent_id, "device_id": device_id,
                "customer_id": customer_id, "status": "open", "failures": 0,
                "started_at": iso(now), "updated_at": iso(now)})
            row = _verification_row(connection, call_id)
        _owned(row, principal, device_id)
        if row.customer_id != customer_id:
            raise CallRefused(409, "other_customer")
        if row.status == "passed":  # asked again (an answer lost on the way): released again
            return _passed(connection, principal, device_id, call_id, customer_id,
                           "verification.repeated", now)
        if row.status == "locked":
            return {"status": "locked", "failed": [], "attempts_left": 0}
        verification = Verification(policy, masked.facts(connection, customer_id, now))
        verification.attempts.extend(Attempt(now, False, (), ()) for _ in range(row.failures))
        outcome = verification.attempt(answers, now)
        if outcome.missing:
            return {"status": "open", "missing": list(outcome.missing),
                    "failed": list(outcome.failed_factors),
                    "attempts_left": outcome.attempts_left}
        connection.execute(update(call_verifications).where(
            call_verifications.c.call_id == call_id).values(
            status=verification.status.value, failures=verification.failures,
            updated_at=iso(now)))
        if verification.status is Status.LOCKED:
            _flag(connection, principal, customer_id, call_id, now)
        if verification.status is Status.PASSED:
            return _passed(connection, principal, device_id, call_id, customer_id,
                           "verification.passed", now)
        return {"status": verification.status.value, "failed": list(outcome.failed_factors),
                "attempts_left": outcome.attempts_left}


def _passed(connection: Connection, principal: Principal, device_id: str, call_id: str,
            customer_id: str, reason: str, now: datetime) -> dict:
    revealed = masked.release(connection, customer_id, full=False)
    access.disclose(connection, principal, device_id, customer_id, call_id, "basic",
                    masked.BASIC_FIELDS, reason, now)
    return {"status": "passed", "failed": [], "attempts_left": 0,
            "release": _release_body(revealed)}


def _flag(connection: Connection, principal: Principal, customer_id: str, call_id: str,
          now: datetime) -> None:
    insert_if_absent(connection, customer_flags, {
        "id": call_flag_id(call_id, POSSIBLE_FRAUD), "customer_id": customer_id, "flag": POSSIBLE_FRAUD,
        "at": iso(now), "agent_id": principal.agent_id, "call_id": call_id,
        "reason": "verification locked after repeated failures"})


def verification_state(engine: Engine, principal: Principal, device_id: str, call_id: str,
                       now: datetime) -> dict:
    """A resumed call asks what its verification proved: a pass is released again (audited
    as restored) to the agent and device that earned it."""
    with engine.begin() as connection:
        row = connection.execute(select(call_verifications).where(
            call_verifications.c.call_id == call_id)).first()
        if row is None:
            raise CallRefused(404, "unknown_call")
        _owned(row, principal, device_id)
        if row.status == "passed":
            return _passed(connection, principal, device_id, call_id, row.customer_id,
                           "verification.restored", now)
        return {"status": row.status, "failed": [], "attempts_left": 0}


# -- one-time codes ------------------------------------------------------------------------------

def _code_hash(step_up_id: str, code: str) -> str:
    return hashlib.sha256(f"{step_up_id}:{code}".encode()).hexdigest()


def send_code(engine: Engine, principal: Principal, device_id: str, call_id: str,
              operation: str, account_id: str | None, outbox: Path, now: datetime) -> dict:
    """A code for ``operation`` on this verified call, sent to the customer's mobile."""
    if operation not in OPERATION_NAMES:
        raise CallRefused(400, "unknown_operation")
    with engine.begin() as connection:
        row = connection.execute(select(call_verifications).where(
            call_verifications.c.call_id == call_id)).first()
        if row is None:
            raise CallRefused(403, "not_verified")
        _owned(row, principal, device_id)
        if row.status != "passed":
            raise CallRefused(403, "not_verified")
        if operation in CARD_OPERATIONS:
            owner = connection.execute(select(accounts.c.customer_id).where(
                accounts.c.id == (account_id or ""))).scalar()
            if owner != row.customer_id:
                raise CallRefused(400, "unknown_account")
        mobile = connection.execute(select(customers.c.mobile).where(
            customers.c.id == row.customer_id)).scalar() or ""
        step_up_id, code = new_id(), f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        expires = now + StepUp.LIFETIME
        connection.execute(step_ups.insert().values(
            id=step_up_id, call_id=call_id, agent_id=principal.agent_id, device_id=device_id,
            customer_id=row.customer_id, operation=operation, account_id=account_id,
            code_hash=_code_hash(step_up_id, code), issued_at=iso(now), expires_at=iso(expires),
            tries=0, status="sent"))
        # Written before the commit: a code the customer never got is never waited for.
        write_sms(outbox, mobile, code, operation, now)
    return {"step_up_id": step_up_id, "expires_at": iso(expires), "mobile": mask_mobile(mobile)}


def write_sms(outbox: Path, mobile: str, code: str, operation: str, at: datetime) -> None:
    """The demo's SMS gateway: a line in a file only its owner reads (0600, and tightened if an
    older outbox was looser)."""
    outbox.parent.mkdir(parents=True, exist_ok=True)
    with open_append(outbox) as sent:
        sent.write(f"{at.isoformat(timespec='seconds')}\tto {mobile}\tcode {code}\t"
                   f"for {operation}\n")


def check_code(engine: Engine, principal: Principal, device_id: str, step_up_id: str,
               code: str, now: datetime) -> dict:
    """What the caller read back: passed (the full tier is released), wrong, expired or
    locked."""
    with engine.begin() as connection:
        row = connection.execute(select(step_ups).where(
            step_ups.c.id == step_up_id).with_for_update()).first()
        if row is None:
            raise CallRefused(404, "unknown_step_up")
        _owned(row, principal, device_id)
        if row.status == "passed":
            return {"result": "passed", "tries_left": 0}
        if row.status != "sent" or row.tries >= StepUp.MAX_TRIES:
            return {"result": "locked", "tries_left": 0}
        if now > datetime.fromisoformat(row.expires_at):
            return {"result": "expired", "tries_left": 0}
        tries = row.tries + 1
        right = hmac.compare_digest(_code_hash(step_up_id, code.strip()), row.code_hash)
        status = "passed" if right else "locked" if tries >= StepUp.MAX_TRIES else "sent"
        connection.execute(update(step_ups).where(step_ups.c.id == step_up_id).values(
            tries=tries, status=status, passed_at=iso(now) if right else None))
        if not right:
            return {"result": "locked" if status == "locked" else "wrong",
                    "tries_left": StepUp.MAX_TRIES - tries}
        revealed = masked.release(connection, row.customer_id, full=True)
        access.disclose(connection, principal, device_id, row.customer_id, row.call_id, "full",
                        masked.FULL_FIELDS, f"step_up.{row.operation}", now)
        return {"result": "passed", "tries_left": 0, "release": _release_body(revealed)}


def use_code(connection: Connection, principal: Principal, step_up_id: str, operation: str,
             customer_id: str, account_id: str | None, mutation_id: str,
             now: datetime) -> None:
    """Spend a passed code on the operation it was issued for; raise ``CallRefused`` with the
    reason otherwise. In the push's transaction: a rejected push spends nothing."""
    row = connection.execute(select(step_ups).where(
        step_ups.c.id == step_up_id).with_for_update()).first()
    if row is None:
        raise CallRefused(403, "unknown_step_up")
    if row.agent_id != principal.agent_id:
        raise CallRefused(403, "forbidden")
    if row.status == "used":
        raise CallRefused(403, "step_up_used")
    if row.status != "passed":
        raise CallRefused(403, "step_up_not_passed")
    if (row.operation, row.customer_id, row.account_id or None) != (
            operation, customer_id, account_id or None):
        raise CallRefused(403, "step_up_mismatch")
    if now > datetime.fromisoformat(row.passed_at) + PASSED_CODE_VALID:
        raise CallRefused(403, "step_up_expired")
    connection.execute(update(step_ups).where(step_ups.c.id == step_up_id).values(
        status="used", used_by=mutation_id))
