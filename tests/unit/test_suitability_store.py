"""The store's side of product suitability (migration 14): assessments read newest first; an
allowed sale or an override request queued as product.offer with its audit in one transaction;
a refusal made here audited and never queued."""

from __future__ import annotations

import json
from datetime import datetime

from agent_tui.domain.suitability import Verdict
from agent_tui.store.suitability import (
    OFFER,
    OVERRIDE,
    REFUSED,
    assessments,
    hub_assessments,
    queue_offer,
    record_refusal,
    save_assessments,
)

AT = datetime(2026, 11, 23, 10, 0)


def _rows(connection, name):
    return [json.loads(args) for (args,) in connection.execute(
        "SELECT args_json FROM outbox WHERE name = ? ORDER BY seq", (name,))]


def test_assessments_newest_first(connection):
    save_assessments(connection, [
        {"id": f"ra-{n}", "customer_id": "X1", "level": level, "assessed_at": at,
         "answers_version": "Q2026-01"}
        for n, (level, at) in enumerate([("C2", "2026-03-01T09:00:00"),
                                         ("C4", "2026-11-01T09:00:00")])])
    assert [item.level for item in assessments(connection, "X1")] == ["C4", "C2"]
    assert assessments(connection, "X2") == []


def test_an_override_request_is_queued_with_its_audit(connection):
    refused = Verdict(allowed=False, rule="above_tolerance", tolerance="C2", product_level="R4")
    queue_offer(connection, customer_id="X1", product_id="FD-EQUITY", action="sell",
                verdict=refused, agent_id="A1024", at=AT, override_reason="客户坚持")
    [offer] = _rows(connection, OFFER)
    assert (offer["product_id"], offer["override_reason"]) == ("FD-EQUITY", "客户坚持")
    [(detail,)] = connection.execute("SELECT detail FROM audit_log WHERE action = ?",
                                     (OVERRIDE,)).fetchall()
    assert json.loads(detail)["rule"] == "above_tolerance"


def test_a_refusal_made_here_is_audited_not_queued(connection):
    refused = Verdict(allowed=False, rule="expired", tolerance="C3", product_level="R1")
    record_refusal(connection, customer_id="X1", product_id="TD-1Y", action="sell",
                   verdict=refused, agent_id="A1024", at=AT)
    assert _rows(connection, OFFER) == []
    assert connection.execute("SELECT count(*) FROM audit_log WHERE action = ?",
                              (REFUSED,)).fetchone()[0] == 1


def test_only_well_formed_assessments_from_the_hub_are_kept():
    good = {"id": "ra-1", "customer_id": "X1", "level": "C3",
            "assessed_at": "2026-05-01T09:00:00", "answers_version": "Q2026-01"}
    rows = [good, {**good, "customer_id": "X2"}, {**good, "level": "C9"},
            {**good, "assessed_at": "yesterday"}, {**good, "assessed_at": "2026-05-01T09:00:00Z"},
            {**good, "id": 7}, "ra-2", None]
    assert hub_assessments(rows, "X1") == [good]
    assert hub_assessments({"not": "a list"}, "X1") == []
