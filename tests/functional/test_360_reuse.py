"""The session's one 360, reused for the next customer (screens/customer_360.py ``open_360``):
nothing of the customer before is left on it, not even behind a tab, the next customer is
masked as their own call allows, every table is theirs, and the tab, page and row start over.
What a worker was still reading for the customer before is dropped when it lands."""

from __future__ import annotations

import sqlite3
import threading

from textual.widgets import DataTable, TabbedContent

from agent_tui.domain.masking import Tier
from agent_tui.store.customers import CustomerRepository
from screens.call import CallScreen
from screens.customer_360 import Customer360Screen, open_360
from screens.search import SearchScreen
from tests.call_driver import a_caller, search_and_open, secrets, verify
from tests.functional.test_type_ahead import type_ahead
from tests.screen import screen_text, wait_for, wait_for_screen, widget_text


def _keys(store, query: str, customer_id: str) -> set[str]:
    connection = sqlite3.connect(store)
    try:
        return {str(key) for (key,) in connection.execute(query, (customer_id,))}
    finally:
        connection.close()


def _row_keys(screen: Customer360Screen, name: str) -> set[str]:
    table = screen.query_one(f"#table-{name}", DataTable)
    return {str(row.value) for row in table.rows}


async def _filled(pilot, screen: Customer360Screen) -> None:
    """Opened, and the tables behind the first tab filled too."""
    await wait_for(pilot, lambda: screen.transactions is not None and screen.ready_for_keys())
    await pilot.pause()


async def test_the_next_customer_sees_nothing_of_the_one_before(writable_store, make_app):
    first, second = a_caller(writable_store, offset=103), a_caller(writable_store, offset=107)
    assert first.id != second.id
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, first)
        c360 = app.screen
        await _filled(pilot, c360)
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, CallScreen)
        await verify(pilot, first)  # the call goes on: the first customer stays unmasked
        await pilot.press("f3")
        await wait_for_screen(pilot, Customer360Screen)
        c360.query_one(TabbedContent).active = "tab-transactions"  # a tab, a row down
        await pilot.pause()
        c360.set_focus(c360.query_one("#table-transactions"))
        await pilot.press("down")
        await wait_for(pilot, lambda: c360.query_one("#table-transactions").cursor_row == 1)
        assert first.mobile in screen_text(app).replace(" ", "")  # the check below can fail

        await search_and_open(pilot, second)  # F2: the 360 closes, and opens for the next
        assert app.screen is c360  # the same screen, reused
        await _filled(pilot, c360)
        shown = widget_text(c360).replace(" ", "") + screen_text(app).replace(" ", "")
        for secret in secrets(first) | {first.id}:
            assert secret not in shown, f"{secret} of the customer before is on the 360"
        assert app.disclosure_for(first.id).tier >= Tier.BASIC  # still verified, on their call
        assert c360.disclosure.tier is Tier.MASKED
        for secret in {second.mobile, second.id_number, *second.cards}:
            assert secret not in shown, f"{secret} shown before the caller is verified"
        assert "masked: not verified" in screen_text(app)

        assert _row_keys(c360, "accounts") == _keys(
            writable_store, "SELECT id FROM accounts WHERE customer_id = ?", second.id)
        assert _row_keys(c360, "transactions") <= _keys(
            writable_store, "SELECT id FROM transactions WHERE customer_id = ?", second.id)
        assert _row_keys(c360, "history") == {row.id for row in c360.view.interactions.rows}
        assert _row_keys(c360, "cases") == {case.id for case in c360.view.open_cases}
        assert c360.view.customer.id == second.id
        assert c360.query_one(TabbedContent).active == "tab-accounts"
        assert c360.focused is c360.query_one("#table-accounts")
        assert c360.query_one("#table-transactions", DataTable).cursor_row == 0


async def test_a_closed_360_keeps_nothing_of_its_customer(writable_store, make_app):
    caller = a_caller(writable_store, offset=103)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, caller)
        c360 = app.screen
        await _filled(pilot, c360)
        await pilot.press("f3")
        await wait_for_screen(pilot, SearchScreen)
        await wait_for(pilot, lambda: c360.view is None)
        held = widget_text(c360).replace(" ", "")
        assert caller.id_number[-6:] not in held and caller.mobile[-4:] not in held
        assert all(table.row_count == 0 for table in c360.query(DataTable))


async def test_what_was_read_for_the_customer_before_is_dropped(writable_store, make_app,
                                                                monkeypatch):
    first, second = a_caller(writable_store, offset=103), a_caller(writable_store, offset=107)
    held, reading = threading.Event(), threading.Event()
    page_of = CustomerRepository.transactions

    def slow_for_the_first(self, customer_id, *args, **kwargs):
        if customer_id == first.id:
            reading.set()
            held.wait(20)
        return page_of(self, customer_id, *args, **kwargs)

    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, first)
        c360 = app.screen
        await _filled(pilot, c360)
        monkeypatch.setattr(CustomerRepository, "transactions", slow_for_the_first)
        c360.load_transactions(50)  # PgDn's read, still going when the 360 moves on
        await wait_for(pilot, reading.is_set)
        await search_and_open(pilot, second)
        await _filled(pilot, c360)
        held.set()  # the first customer's page lands now
        await wait_for(pilot, lambda: not any(worker.is_running for worker in app.workers
                                              if worker.group == "c360-page"))
        await pilot.pause()
        assert _row_keys(c360, "transactions") <= _keys(
            writable_store, "SELECT id FROM transactions WHERE customer_id = ?", second.id)
        assert c360.transactions.offset == 0


async def test_keys_typed_while_the_reused_360_opens_go_to_it(writable_store, make_app):
    first, second = a_caller(writable_store, offset=103), a_caller(writable_store, offset=107)
    assert len(second.cards) >= 2  # two products at least: one to move down to
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, first)
        c360 = app.screen
        await _filled(pilot, c360)
        await pilot.press("f2")
        search = await wait_for_screen(pilot, SearchScreen)
        search.query_one("#query").value = ""
        type_ahead(app, *second.id_number[-6:], "enter", "down")  # to their second product
        table = c360.query_one("#table-accounts", DataTable)
        await wait_for(pilot, lambda: app.screen is c360 and c360.view is not None
                       and c360.view.customer.id == second.id and table.cursor_row == 1)


async def test_a_360_under_a_call_is_not_taken_for_the_next(writable_store, make_app):
    first, second = a_caller(writable_store, offset=103), a_caller(writable_store, offset=107)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, first)
        c360 = app.screen
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, CallScreen)
        open_360(app, second.id)  # as a pop would, were the stack not emptied first
        other = await wait_for_screen(pilot, Customer360Screen)
        await wait_for(pilot, lambda: other.view is not None)
        assert other is not c360 and c360 in app.screen_stack
        assert c360.view.customer.id == first.id and other.view.customer.id == second.id


async def test_a_theme_changed_while_it_was_closed_restyles_the_reused_360(writable_store,
                                                                          make_app):
    first, second = a_caller(writable_store, offset=103), a_caller(writable_store, offset=107)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, first)
        c360 = app.screen
        before = c360.query_one("#profile").styles.background
        await pilot.press("f3")
        await wait_for_screen(pilot, SearchScreen)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await search_and_open(pilot, second)
        await wait_for(pilot, lambda: c360.query_one("#profile").styles.background != before)


async def test_the_first_360_of_the_session_is_the_one_built_ahead(writable_store, make_app):
    from screens.customer_360 import INSTALLED_AS

    caller = a_caller(writable_store, offset=103)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.is_screen_installed(INSTALLED_AS)
                       and app.get_screen(INSTALLED_AS).is_mounted)
        built = app.get_screen(INSTALLED_AS)
        assert built not in app.screen_stack and "Loading" in widget_text(built)
        await search_and_open(pilot, caller)
        assert app.screen is built
        await _filled(pilot, built)
        assert built.view.customer.id == caller.id
        assert "masked: not verified" in screen_text(app)
