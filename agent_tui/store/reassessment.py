"""A customer's reassessment on this workstation (issue 18): the answers queued as
``suitability.assess`` for the hub, which scores them and counts the limits itself, and audited
here in the same transaction. Until the hub has it, the assessment is *pending*: read back from
the outbox (``pending``) so the products screen shows it at once; once the hub records it, the
pull brings it into ``risk_assessments`` (store/suitability.py ``pulled_assessment``), and a
refusal leaves the outbox for the conflicts screen, so a refused one is never shown as held."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime

import msgspec

from agent_tui.domain.ids import new_id
from agent_tui.domain.mutation_args import SuitabilityAssess
from agent_tui.domain.times import iso
from agent_tui.store import audit, outbox
from agent_tui.store.database import transaction

ASSESS = "suitability.assess"


def queue_assessment(connection: sqlite3.Connection, *, customer_id: str,
                     answers: Mapping[str, str], version: str, level: str, agent_id: str,
                     at: datetime) -> str:
    """Queue the answers for the hub; ``level`` (the workstation's own scoring) goes to the local
    audit only, never to the hub."""
    args = SuitabilityAssess(id=new_id(), customer_id=customer_id,
                             questionnaire_version=version, answers=dict(answers), at=iso(at))
    with transaction(connection):
        outbox.enqueue(connection, ASSESS, args, at)
        audit.record(connection, agent_id=agent_id, action=ASSESS, at=at,
                     customer_id=customer_id,
                     detail={"id": args.id, "version": version, "level": level})
    return args.id


class Pending(msgspec.Struct, frozen=True):
    id: str
    answers: dict[str, str]
    version: str
    at: datetime


def pending(connection: sqlite3.Connection, customer_id: str) -> list[Pending]:
    """The customer's reassessments still waiting for the hub, oldest first."""
    found = []
    for (body,) in connection.execute(
            "SELECT args_json FROM outbox WHERE name = ? ORDER BY seq", (ASSESS,)):
        try:
            args = msgspec.json.decode(body, type=SuitabilityAssess)
            at = datetime.fromisoformat(args.at) if isinstance(args.at, str) else None
        except (msgspec.DecodeError, ValueError):
            continue  # not one this version wrote: the sync reports it, not this screen
        if args.customer_id == customer_id and at is not None:
            found.append(Pending(args.id, args.answers, args.questionnaire_version, at))
    return found
