"""Snapshots of the products screen (shift+F6, issue 18) at 80x24 in both languages, a C2
customer with the equity fund (R4) highlighted: its refusal's rule and article below the list;
and at 120x40 a customer whose assessment has expired, led to reassess first with the limits.
Look at each SVG before accepting it (tests/functional/__snapshots__/test_snapshots_products/)."""

from __future__ import annotations

import pytest

from tests.functional.test_products import a_customer, highlight, open_products
from tests.screen import settled

pytestmark = pytest.mark.xdist_group("snapshots")
SMALL, LARGE = (80, 24), (120, 40)


def _snap(snap_compare, app, size, run_before) -> None:
    async def run_then_settle(pilot) -> None:
        await run_before(pilot)
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_then_settle)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_products_above_tolerance(snap_compare, small_store, make_app, language):
    customer = a_customer(small_store, level="C2")

    async def run_before(pilot) -> None:
        screen = await open_products(pilot, customer)
        await highlight(pilot, screen, "FD-EQUITY")

    _snap(snap_compare, make_app(small_store, language), SMALL, run_before)


def test_products_expired_120x40(snap_compare, small_store, make_app):
    customer = a_customer(small_store, valid=False)

    async def run_before(pilot) -> None:
        await open_products(pilot, customer)

    _snap(snap_compare, make_app(small_store, "en"), LARGE, run_before)
