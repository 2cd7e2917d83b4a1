"""Product suitability in the local store (issue 18, migration 14): the customers' risk-tolerance
assessments the workstation holds, and what the agent asked for: a recommendation or sale the
engine allowed is queued as ``product.offer`` for the hub (the authority, which decides again and
audits); a refusal the workstation made itself, and an override request, are audited here (the
override is queued too: only the hub's side may ever grant one, never this workstation)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from agent_tui.domain.ids import new_id
from agent_tui.domain.mutation_args import ProductOffer
from agent_tui.domain.suitability import TOLERANCES, Assessment, Verdict
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.store import audit, outbox
from agent_tui.store.database import transaction

OFFER = "product.offer"
REFUSED = "suitability.refused"
OVERRIDE = "suitability.override_requested"


def save_assessments(connection: sqlite3.Connection, rows: Iterable[dict]) -> None:
    """Rows as ``data.assessments.assessment_for`` makes them (the hub's seed makes the same)."""
    connection.executemany(
        "INSERT OR IGNORE INTO risk_assessments (id, customer_id, level, assessed_at, "
        "answers_version) VALUES (:id, :customer_id, :level, :assessed_at, :answers_version)",
        list(rows))


def hub_assessments(rows: object, customer_id: object) -> list[dict]:
    """The assessments of a record the hub sent for ``customer_id``: the well-formed ones only
    (a level C1-C5, an ISO time, text ids); anything else is left out, not stored."""
    kept = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict) or row.get("customer_id") != customer_id \
                or row.get("level") not in TOLERANCES:
            continue
        values = {key: row.get(key) for key in ("id", "assessed_at", "answers_version")}
        if not all(isinstance(value, str) for value in values.values()) \
                or not _local_time(values["assessed_at"]):
            continue
        kept.append({**{key: sanitize(value) for key, value in values.items()},
                     "customer_id": customer_id, "level": row["level"]})
    return kept


def pulled_assessment(connection: sqlite3.Connection, row: object) -> str | None:
    """A ``risk_assessment`` the pull carried (any agent's reassessment the hub recorded): kept
    if well-formed and of a customer this workstation holds; the hub's level and time replace
    anything held under its id. The customer's id if kept."""
    customer_id = row.get("customer_id") if isinstance(row, dict) else None
    kept = hub_assessments([row], customer_id)
    if not kept or connection.execute("SELECT 1 FROM customers WHERE id = ?",
                                      (customer_id,)).fetchone() is None:
        return None
    connection.execute(
        "INSERT INTO risk_assessments (id, customer_id, level, assessed_at, answers_version) "
        "VALUES (:id, :customer_id, :level, :assessed_at, :answers_version) ON CONFLICT (id) "
        "DO UPDATE SET level = excluded.level, assessed_at = excluded.assessed_at, "
        "answers_version = excluded.answers_version WHERE customer_id = excluded.customer_id",
        kept[0])
    return kept[0]["customer_id"]


def _local_time(text: str) -> bool:
    """An ISO time without a zone, as the hub stores them (compared with the local clock)."""
    try:
        return datetime.fromisoformat(text).tzinfo is None
    except ValueError:
        return False


def assessments(connection: sqlite3.Connection, customer_id: str) -> list[Assessment]:
    """The customer's assessments, newest first (the first is the one that counts)."""
    return [Assessment(level=level, assessed_at=datetime.fromisoformat(at),
                       answers_version=version)
            for level, at, version in connection.execute(
                "SELECT level, assessed_at, answers_version FROM risk_assessments "
                "WHERE customer_id = ? ORDER BY assessed_at DESC", (customer_id,))]


def queue_offer(connection: sqlite3.Connection, *, customer_id: str, product_id: str,
                action: str, verdict: Verdict, agent_id: str, at: datetime,
                override_reason: str = "") -> str:
    """Queue a request the hub decides: one the engine allowed, or an override request (with
    its reason) for one it refused. Audited here in the same transaction."""
    args = ProductOffer(id=new_id(), customer_id=customer_id, product_id=product_id,
                        action=action, at=iso(at),
                        **({"override_reason": override_reason} if override_reason else {}))
    with transaction(connection):
        outbox.enqueue(connection, OFFER, args, at)
        audit.record(connection, agent_id=agent_id, action=OVERRIDE if override_reason else OFFER,
                     at=at, customer_id=customer_id,
                     detail={"product_id": product_id, "action": action, "rule": verdict.rule,
                             "tolerance": verdict.tolerance,
                             "product_level": verdict.product_level,
                             **({"reason": override_reason} if override_reason else {})})
    return args.id


def record_refusal(connection: sqlite3.Connection, *, customer_id: str, product_id: str,
                   action: str, verdict: Verdict, agent_id: str, at: datetime) -> str:
    """The workstation refused at once: the refusal is audited (it never reaches the outbox)."""
    return audit.append(connection, agent_id=agent_id, action=REFUSED, at=at,
                        customer_id=customer_id,
                        detail={"product_id": product_id, "action": action, "rule": verdict.rule,
                                "tolerance": verdict.tolerance,
                                "product_level": verdict.product_level})
