"""Every hostile string goes through search, results and the 360: no crash, nothing raw on screen.

The strings enter as customer data twice: through the store's ingestion (sanitised on entry) and
written raw with SQL (as an old file or a bug might), so the render-time pass is proven on its own.
"""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import ContentSwitcher, Input, TabbedContent

from agent_tui.domain.masking import Disclosure, Tier
from agent_tui.domain.query import parse_query
from agent_tui.store import Store
from agent_tui.store.customers import CustomerRepository
from agent_tui.store.ingest import insert_records
from screens.customer_360 import Customer360Screen
from screens.search import SearchScreen
from tests.screen import FORBIDDEN_ON_SCREEN, unsafe_segments, wait_for, wait_for_screen


def _records(customer_id: str, text: str) -> dict[str, list[dict]]:
    return {
        "customers": [{
            "id": customer_id, "name": text, "name_pinyin": text, "name_initials": text,
            "gender": "F", "birth_date": "1950-01-01", "id_number": "11010519500101002X",
            "id_last6": "01002X", "mobile": "13900000000", "segment": "vip", "is_elderly": 1,
            "is_disabled": 1, "risk_level": 3, "address": text, "occupation": text,
            "customer_since": "2010-01-01", "branch": text,
        }],
        "accounts": [{
            "id": f"{customer_id}-A", "customer_id": customer_id, "kind": "debit_card",
            "product_code": "DC-STD", "number": "6225880000000000", "last4": "0000",
            "status": "frozen", "balance_cents": 123, "opened_on": "2010-01-01",
        }],
        "transactions": [{
            "customer_id": customer_id, "account_id": f"{customer_id}-A",
            "at": "2026-11-20T10:00:00", "kind": "transfer_out", "amount_cents": -100,
            "counterparty": text, "channel": "app", "description": text,
        }],
        "interactions": [{
            "id": f"{customer_id}-I", "customer_id": customer_id, "at": "2026-11-01T09:00:00",
            "channel": "phone", "category": "complaint", "agent_id": text, "summary": text,
            "outcome": "resolved",
        }],
        "cases": [{
            "id": f"{customer_id}-K", "number": f"CS-{customer_id}", "customer_id": customer_id,
            "channel": "app", "category": "complaint", "priority": "high", "status": "new",
            "title": text, "opened_at": "2026-11-20T10:00:00", "due_at": "2026-11-22T10:00:00",
            "updated_at": "2026-11-20T10:00:00",
        }],
    }


@pytest.fixture
def hostile_store(writable_store, hostile_strings) -> tuple:
    """Each hostile string as one customer's every free-text field, sanitised and raw."""
    store = Store.open(writable_store)
    connection = store.connection()
    sanitised, raw = [], []
    for number, item in enumerate(hostile_strings):
        customer_id = f"H{number:03d}"
        for table, records in _records(customer_id, item["text"]).items():
            insert_records(connection, table, records)
        sanitised.append((customer_id, item))
        raw_id = f"R{number:03d}"
        with connection:
            for table, records in _records(raw_id, item["text"]).items():
                for record in records:
                    columns = ", ".join(record)
                    marks = ", ".join("?" for _ in record)
                    connection.execute(
                        f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                        [value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                         if isinstance(value, str) else value for value in record.values()],
                    )
        raw.append((raw_id, item))
    return writable_store, sanitised, raw


def test_nothing_a_terminal_would_obey_is_stored(hostile_store):
    path, sanitised, _raw = hostile_store
    connection = sqlite3.connect(path)
    for customer_id, item in sanitised:
        values = connection.execute(
            "SELECT name, address, occupation, branch FROM customers WHERE id = ?", (customer_id,)
        ).fetchone()
        summary = connection.execute(
            "SELECT summary FROM interactions WHERE customer_id = ?", (customer_id,)
        ).fetchone()
        for value in (*values, *summary):
            assert not any(char in value for char in FORBIDDEN_ON_SCREEN), item["what"]


def test_every_hostile_string_is_a_valid_search(hostile_store):
    path, sanitised, _raw = hostile_store
    repository = CustomerRepository(Store.open(path).connection())
    for _customer_id, item in sanitised:
        repository.search(parse_query(item["text"]))  # results or none, never an exception


async def test_search_results_and_360_render_hostile_text_safely(hostile_store, make_app):
    path, sanitised, raw = hostile_store
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        search = app.screen
        query = search.query_one("#query", Input)
        # The results each search shows, so each check waits for its own search's results
        # (a wait on "no worker running" passed before the search had even started).
        shown: list[str] = []
        show_results = search._show_results
        search._show_results = lambda text, *args, **kwargs: (
            shown.append(text), show_results(text, *args, **kwargs))
        for _customer_id, item in sanitised:
            shown.clear()
            query.value = item["text"]
            await wait_for(pilot, lambda: query.value in shown)
            await pilot.pause()  # drawn
            assert unsafe_segments(app) == [], item["what"]
        # Every customer, fully revealed so the hostile text itself is drawn, not its mask.
        for customer_id, item in sanitised + raw:
            app.disclosures[customer_id] = Disclosure(Tier.FULL)
            search.open_customer(customer_id)
            await wait_for(pilot, lambda: isinstance(app.screen, Customer360Screen)
                           and app.screen.view is not None)
            for tab in ("tab-accounts", "tab-transactions", "tab-history", "tab-cases"):
                app.screen.query_one("#tabs").active = tab
                await wait_for(pilot, lambda: app.screen.query_one(
                    "#tabs", TabbedContent).query_one(ContentSwitcher).current == tab)
                await pilot.pause()  # drawn
                assert unsafe_segments(app) == [], f"{item['what']} on {tab} of {customer_id}"
            await pilot.press("f3")
            await wait_for_screen(pilot, SearchScreen)
