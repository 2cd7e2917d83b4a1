"""Product suitability at the desk (issue 18), through the real screens on the demo store: from a
customer's 360, shift+F6 lists the products with this customer's verdict; F7 on a product above
a C2 customer's tolerance is refused at once with the rule and its article (audited, nothing
queued); an expired assessment leads to reassessing first, with the limits; an allowed sale is
queued as product.offer; an override needs a reason, and is queued and audited, not granted;
from the call, the products are the caller's, their name masked as the 360 masks it."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from agent_tui.domain.suitability import add_months
from screens.call import CallScreen
from screens.products import ProductsScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import a_caller, open_360, start_call
from tests.conftest import FROZEN_NOW
from tests.screen import wait_for, wait_for_screen


def a_customer(store: Path, *, level: str | None = None, valid: bool = True) -> str:
    """A customer of the demo store whose (only) assessment is ``level`` and is valid, or has
    expired, at the tests' frozen clock."""
    rows = sqlite3.connect(store).execute(
        "SELECT customer_id, level, assessed_at FROM risk_assessments ORDER BY customer_id")
    for customer_id, found, at in rows:
        holds = add_months(datetime.fromisoformat(at), 12) > FROZEN_NOW
        if holds == valid and level in (None, found):
            return customer_id
    raise AssertionError(f"no {level} customer with a {'valid' if valid else 'expired'} one")


async def open_products(pilot, customer_id: str) -> ProductsScreen:
    await open_360(pilot, customer_id)
    await pilot.press("shift+f6")
    screen = await wait_for_screen(pilot, ProductsScreen)
    await wait_for(pilot, lambda: screen.loaded)
    return screen


async def highlight(pilot, screen: ProductsScreen, product_id: str) -> None:
    table = screen.query_one("#products")
    table.move_cursor(row=table.get_row_index(product_id))
    await pilot.pause()


def said(app, text: str) -> bool:
    return any(text in str(note.message) for note in notifications(app))


def queued(store: Path) -> list[dict]:
    return [json.loads(args) for (args,) in sqlite3.connect(store).execute(
        "SELECT args_json FROM outbox WHERE name = 'product.offer' ORDER BY seq")]


def audited(store: Path, action: str) -> list[dict]:
    return [json.loads(detail) for (detail,) in sqlite3.connect(store).execute(
        "SELECT detail FROM audit_log WHERE action = ? ORDER BY seq", (action,))]


async def test_a_c2_customer_is_refused_an_r4_product_with_the_rule_and_article(
        writable_store, make_app):
    customer = a_customer(writable_store, level="C2")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot, customer)
        assert screen.verdicts["FD-EQUITY"].rule == "above_tolerance"
        assert screen.verdicts["TD-1Y"].allowed
        await highlight(pilot, screen, "FD-EQUITY")
        await pilot.press("f7")
        await wait_for(pilot, lambda: audited(writable_store, "suitability.refused"))
        assert said(app, "The product's risk level R4 is above what the customer's tolerance C2")
        assert said(app, "Measures on product suitability, Art. 12 and 13")
    assert queued(writable_store) == []  # refused here: nothing for the hub to sell
    [refusal] = audited(writable_store, "suitability.refused")
    assert (refusal["product_id"], refusal["rule"]) == ("FD-EQUITY", "above_tolerance")


async def test_an_expired_assessment_leads_to_reassessing_first(writable_store, make_app):
    customer = a_customer(writable_store, valid=False)
    app = make_app(writable_store, "zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot, customer)
        assert {verdict.rule for verdict in screen.verdicts.values()} == {"expired"}
        await highlight(pilot, screen, "TD-1Y")  # the safest product, and still not now
        await pilot.press("f7")
        await wait_for(pilot, lambda: said(app, "请先重新评估"))
        assert said(app, "每天最多 2 次，每年最多 8 次")
    assert queued(writable_store) == []


async def test_an_allowed_sale_is_queued_for_the_hub(writable_store, make_app):
    customer = a_customer(writable_store, level="C3")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot, customer)
        await highlight(pilot, screen, "WM-BOND")  # rated R2 and R3: R3 counts, within C3
        assert screen.verdicts["WM-BOND"].product_level == "R3"
        await pilot.press("f7")
        await wait_for(pilot, lambda: queued(writable_store))
    [offer] = queued(writable_store)
    assert (offer["customer_id"], offer["product_id"], offer["action"]) == \
        (customer, "WM-BOND", "sell")
    assert "override_reason" not in offer


async def test_an_override_needs_a_reason_and_is_queued_not_granted(writable_store, make_app):
    customer = a_customer(writable_store, level="C1")
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot, customer)
        await highlight(pilot, screen, "FD-QDII")
        await pilot.press("f8")  # no reason typed: refused, nothing queued
        await wait_for(pilot, lambda: said(app, "Type the reason for the exception"))
        assert queued(writable_store) == []
        await pilot.click("#products-reason")
        await pilot.press(*"asked twice")
        await pilot.press("f8")
        await wait_for(pilot, lambda: queued(writable_store))
        assert screen.verdicts["FD-QDII"].rule == "above_tolerance"  # still: nothing granted
    [offer] = queued(writable_store)
    assert (offer["product_id"], offer["override_reason"]) == ("FD-QDII", "asked twice")
    [request] = audited(writable_store, "suitability.override_requested")
    assert (request["rule"], request["reason"]) == ("above_tolerance", "asked twice")


async def test_from_the_call_the_products_are_the_callers_and_masked(writable_store, make_app):
    caller = a_caller(writable_store)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await pilot.press("shift+f6")
        screen = await wait_for_screen(pilot, ProductsScreen)
        await wait_for(pilot, lambda: screen.loaded)
        assert screen.customer.id == caller.id
        shown = str(screen.query_one("#products-customer").render())
        assert caller.name not in shown  # not verified: masked, as the 360 masks it
        assert caller.name[0] in shown
        await pilot.press("f3")  # back to the call it came from
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
