"""The hub is the authority on suitability (issue 18): a sale the workstation allowed, on an
assessment the hub does not hold (a reassessment at C5 recorded only here), is queued from the
products screen, sent at once, and refused by a real hub with its rule, which the workstation
keeps among the refusals (shift+F5) with the hub's reason; the hub audits it under the agent.
A customer's assessments come with their record from the hub (a 360 opened fetches it)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from agent_tui.domain.suitability import add_months
from agent_tui.store.suitability import save_assessments
from screens.conflicts import ConflictsScreen
from tests.call_driver import open_360
from tests.conftest import FROZEN_NOW
from tests.functional.test_products import highlight, open_products
from tests.functional.test_sync_app import _config, station  # noqa: F401 (a fixture)
from tests.screen import wait_for, wait_for_screen

pytestmark = pytest.mark.slow


def _cautious_customer(hub_db) -> str:
    """A customer the hub holds at C1-C4 on an assessment valid now, on the hub's clock and on
    the workstation's frozen one."""
    rows = sqlite3.connect(hub_db).execute(
        "SELECT customer_id, level, assessed_at FROM risk_assessments ORDER BY customer_id")
    for customer_id, level, at in rows:
        made = datetime.fromisoformat(at)
        if level != "C5" and made <= FROZEN_NOW and \
                add_months(made, 12) > max(datetime.now(), FROZEN_NOW) + timedelta(days=1):
            return customer_id
    raise AssertionError("no cautious customer with a valid assessment on the hub")


def _refusals(store) -> list[tuple[str, str]]:
    return sqlite3.connect(store).execute(
        "SELECT name, reason FROM sync_conflicts WHERE name = 'product.offer'").fetchall()


async def test_the_hub_refuses_a_sale_the_workstation_allowed(hub, station, make_app,  # noqa: F811
                                                              tmp_path):
    customer = _cautious_customer(tmp_path / "hub.db")
    with sqlite3.connect(station) as connection:  # reassessed here; the hub never heard of it
        save_assessments(connection, [{
            "id": "ra-local", "customer_id": customer, "level": "C5",
            "assessed_at": (FROZEN_NOW - timedelta(hours=1)).isoformat(timespec="seconds"),
            "answers_version": "Q2026-01"}])
    app = make_app(station, config=_config(station, hub.url, hub.token("A1024")))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.sync_status and app.sync_status.last_sync, 20)
        screen = await open_products(pilot, customer)
        assert screen.verdicts["FD-QDII"].allowed  # C5 here: the workstation lets it through
        await highlight(pilot, screen, "FD-QDII")
        await pilot.press("f7")  # queued, and sent at once
        await wait_for(pilot, lambda: _refusals(station), timeout=20)
        await pilot.press("shift+f5")  # among the hub's other refusals, with its reason
        conflicts = await wait_for_screen(pilot, ConflictsScreen)
        await wait_for(pilot, lambda: conflicts.conflicts)
        assert "above the customer's risk tolerance" in conflicts.why(conflicts.conflicts[0])
    assert _refusals(station) == [("product.offer", "suitability_above_tolerance")]
    audit = sqlite3.connect(tmp_path / "hub.db").execute(
        "SELECT agent_id, customer_id, product_id, outcome, rule FROM suitability_audit"
    ).fetchall()
    assert audit == [("A1024", customer, "FD-QDII", "refused", "above_tolerance")]


async def test_a_customers_assessments_arrive_with_their_record(hub, station, make_app,  # noqa: F811
                                                                tmp_path):
    customer = _cautious_customer(tmp_path / "hub.db")
    with sqlite3.connect(station) as connection:  # the workstation has none of this customer's
        connection.execute("DELETE FROM risk_assessments WHERE customer_id = ?", (customer,))
    hub_level = sqlite3.connect(tmp_path / "hub.db").execute(
        "SELECT level FROM risk_assessments WHERE customer_id = ?", (customer,)).fetchone()[0]
    app = make_app(station, config=_config(station, hub.url, hub.token("A1024")))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.sync_status and app.sync_status.last_sync, 20)
        await open_360(pilot, customer)  # its record fetched from the hub beside it
        await wait_for(pilot, lambda: _held(station, customer), timeout=20)
        screen = await open_products(pilot, customer)
        assert screen.assessment is not None and screen.assessment.level == hub_level
        assert screen.verdicts["TD-1Y"].allowed
    assert _held(station, customer) == [(f"ra-{customer}", hub_level)]


def _held(store, customer: str) -> list[tuple[str, str]]:
    return sqlite3.connect(store).execute(
        "SELECT id, level FROM risk_assessments WHERE customer_id = ?", (customer,)).fetchall()
