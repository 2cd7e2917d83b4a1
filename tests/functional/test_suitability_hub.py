"""Product suitability enforced by a real hub (issue 18): a workstation's request to sell a
product above the customer's tolerance, or with an expired assessment, is refused by the hub with
its rule, whatever the workstation decided; every request, allowed or refused, and an override
request, is in the hub's audit under the token's agent."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.domain.mutation_args import ProductOffer
from agent_tui.store import outbox
from agent_tui.store.database import transaction


def _customers(hub_db) -> tuple[str, str, str]:
    """A customer below C5 whose assessment is valid, one whose assessment has expired, and one
    with a valid assessment (the demo seed's, on the hub)."""
    rows = sqlite3.connect(hub_db).execute(
        "SELECT customer_id, level, assessed_at FROM risk_assessments").fetchall()
    now = datetime.now()
    valid = [(c, level) for c, level, at in rows
             if (now - datetime.fromisoformat(at)).days < 360]
    expired = [c for c, _level, at in rows if (now - datetime.fromisoformat(at)).days > 370]
    cautious = next(c for c, level in valid if level != "C5")
    return cautious, expired[0], valid[0][0]


def _offer(station, number: int, customer: str, product: str, override: str | None = None):
    with transaction(station.connection):
        outbox.enqueue(station.connection, "product.offer", ProductOffer(
            id=f"offer-{number}", customer_id=customer, product_id=product, action="sell",
            override_reason=override, at=datetime.now().isoformat(timespec="seconds")),
            datetime.now())


def test_the_hub_refuses_a_sale_above_tolerance_or_on_an_expired_assessment(hub, agent,
                                                                            tmp_path):
    cautious, expired, valid = _customers(tmp_path / "hub.db")
    _offer(agent, 1, cautious, "FD-QDII", override="customer insists")  # R5: above any C1-C4
    _offer(agent, 2, expired, "TD-1Y")  # R1, but the assessment is out of date
    _offer(agent, 3, valid, "TD-1Y")  # R1 with a valid assessment: allowed
    report = agent.sync(hub.url)
    assert report.ok, report
    refused = agent.connection.execute(
        "SELECT reason FROM sync_conflicts WHERE name = 'product.offer' ORDER BY reason"
    ).fetchall()
    assert refused == [("suitability_above_tolerance",), ("suitability_expired",)]
    audit = sqlite3.connect(tmp_path / "hub.db").execute(
        "SELECT id, agent_id, outcome, rule, product_level, override_reason "
        "FROM suitability_audit ORDER BY id").fetchall()
    assert audit == [
        ("offer-1", "A1024", "refused", "above_tolerance", "R5", "customer insists"),
        ("offer-2", "A1024", "refused", "expired", "R1", None),
        ("offer-3", "A1024", "allowed", "suitable", "R1", None),
    ]
