"""Performing a sensitive operation for the caller, after the core's rule has allowed it.

Without a hub (a demo store of its own), freezing and unfreezing a card change the card's status
here, in the local store. With a hub, the hub is the authority over accounts: the operation goes
to it as a command carrying the one-time code it issued and checked (``request``), the hub applies
it to its own account, and the workstation shows the card as pending until the hub's change comes
back. Resetting a password, changing a limit and a large transfer are executed by the bank's core
systems, which this workstation does not reach: they are recorded as authorised requests (audit
log and call events), which is what the agent's side of such an operation is. Every operation is
audited.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.domain.models import AccountStatus
from agent_tui.domain.mutation_args import OperationPerform
from agent_tui.domain.operations import refusal
from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.domain.verification import StepUp
from agent_tui.i18n import TranslatableError
from agent_tui.store import audit, outbox
from agent_tui.store.database import transaction

_CARD_CHANGES = {
    "freeze_card": (AccountStatus.ACTIVE, AccountStatus.FROZEN),
    "unfreeze_card": (AccountStatus.FROZEN, AccountStatus.ACTIVE),
}


class OperationRefused(TranslatableError):
    pass


def perform(
    connection: sqlite3.Connection, *, operation: str, customer_id: str, agent_id: str,
    at: datetime, policy: VerificationPolicy, verified: bool, step_up: StepUp | None,
    account_id: str | None = None, call_id: str | None = None,
) -> str:
    """Do ``operation`` or raise OperationRefused with the reason; returns the audit entry id."""
    reason = refusal(operation, policy, verified, step_up)
    if reason is not None:
        raise OperationRefused(reason, operation=operation)
    detail: dict[str, object] = {"call_id": call_id, "step_up": step_up is not None}
    with transaction(connection):  # the change and its audit, together
        if operation in _CARD_CHANGES:
            was, becomes = _CARD_CHANGES[operation]
            changed = connection.execute(
                "UPDATE accounts SET status = ? WHERE id = ? AND customer_id = ? AND status = ?",
                (becomes.value, account_id, customer_id, was.value),
            ).rowcount
            if not changed:
                raise OperationRefused("operation.wrong_state", operation=operation)
            detail.update(account_id=account_id, status=becomes.value)
        else:
            detail["executed_by"] = "core_banking"  # recorded here, carried out there
        # Accounts are the hub's (server-owned): the operation goes as a command.
        outbox.enqueue(connection, "operation.perform", OperationPerform(
            operation=operation, customer_id=customer_id, account_id=account_id,
            **{key: value for key, value in detail.items() if key != "account_id"},
            at=at.isoformat(timespec="milliseconds")), at)
        return audit.record(connection, agent_id=agent_id, action=f"operation.{operation}",
                            at=at, customer_id=customer_id, detail=detail)


def request(
    connection: sqlite3.Connection, *, operation: str, customer_id: str, agent_id: str,
    at: datetime, policy: VerificationPolicy, verified: bool, step_up: StepUp | None,
    account_id: str | None = None, call_id: str | None = None,
) -> str:
    """With a hub: send ``operation`` to it with the code it checked; nothing changes here until
    the hub has applied it (``pending``). Returns the audit entry id."""
    reason = refusal(operation, policy, verified, step_up)
    if reason is None and (step_up is None or not step_up.step_up_id):
        reason = "operation.no_step_up"  # the hub accepts only a code it issued itself
    if reason is not None:
        raise OperationRefused(reason, operation=operation)
    detail: dict[str, object] = {"call_id": call_id, "step_up": True, "status": "pending"}
    with transaction(connection):
        outbox.enqueue(connection, "operation.perform", OperationPerform(
            operation=operation, customer_id=customer_id, account_id=account_id,
            call_id=call_id, step_up_id=step_up.step_up_id,
            at=at.isoformat(timespec="milliseconds")), at)
        return audit.record(connection, agent_id=agent_id, action=f"operation.{operation}",
                            at=at, customer_id=customer_id,
                            detail={**detail, "account_id": account_id})

