"""A damaged row shows marked, with replacement characters, and the rest of the screen works.

Damage is written behind the app's back, as an old file, another program or a disk error leaves
it: bytes that are not UTF-8, a code outside its enum (past the schema's CHECK), a date that does
not parse, JSON that is not JSON. Before, each crashed the app (a ValueError with the customer
record in the traceback) or emptied a whole list for one bad row.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from agent_tui.domain.models import AccountStatus, Segment
from agent_tui.domain.stored import MARK
from agent_tui.store import Store
from agent_tui.store.customers import CustomerRepository
from screens.case import CaseScreen
from screens.conflicts import ConflictsScreen
from screens.queue import QueueScreen
from screens.search import SearchScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import a_caller, open_360, open_queue
from tests.conftest import FROZEN_NOW
from tests.screen import screen_text, unsafe_segments, wait_for, wait_for_screen

NOT_UTF8 = "CAST(X'e5bca0ff80fe41' AS TEXT)"  # 张, then bytes no UTF-8 text has, then "A"
LONE = "bad\udcffbyte".encode("utf-8", "surrogatepass")
SURROGATE_REASON = f"CAST(X'{LONE.hex()}' AS TEXT)"
SURROGATE_JSON = "CAST(X'%s' AS TEXT)" % (b'{"case_id": "' + LONE + b'"}').hex()


def _damage(store, *statements: str, args: tuple = ()) -> None:
    connection = sqlite3.connect(store)
    connection.execute("PRAGMA ignore_check_constraints = 1")  # as a foreign writer would
    with connection:
        for statement in statements:
            connection.execute(statement, args)
    connection.close()


def _case_row(store, number: str, customer_id: str, due_at: str, title: str = "SQL") -> None:
    _damage(store, "INSERT INTO cases (id, number, customer_id, channel, category, priority, "
                   "status, title, opened_at, due_at, updated_at, assigned_to) VALUES "
                   f"(?, ?, ?, 'phone', 'complaint', 'high', 'new', {title}, "
                   "'2026-11-20T10:00:00', ?, '2026-11-20T10:00:00', 'A1024')",
            args=(f"K-{number}", number, customer_id, due_at))


def test_the_store_reads_damage_as_marked_values(writable_store):
    caller = a_caller(writable_store)
    _damage(writable_store,
            f"UPDATE customers SET name = {NOT_UTF8}, segment = 'platinum', birth_date = "
            "'1990-13-45', risk_level = 'high' WHERE id = ?", args=(caller.id,))
    _damage(writable_store, "UPDATE accounts SET status = 'melted', opened_on = 'yesterday' "
                            "WHERE customer_id = ?", args=(caller.id,))
    repository = CustomerRepository(Store.open(writable_store).connection())
    view = repository.customer_360(caller.id, FROZEN_NOW)
    customer = view.customer
    assert customer.name == "张\ufffd\ufffd\ufffdA"
    assert (customer.segment, customer.birth_date, customer.risk_level) == (None, None, None)
    assert customer.damaged == {"name", "segment", "birth_date", "risk_level"}
    assert customer.customer_since is not None and customer.mobile == caller.mobile
    assert all(account.status is None and account.opened_on is None
               and {"status", "opened_on"} <= account.damaged for account in view.accounts)
    assert customer.age(date(2026, 11, 23)) is None
    assert view.products_above_tolerance() == ()
    facts = repository.verification_facts(caller.id, FROZEN_NOW)
    assert facts.birth_date is None  # no answer can match a date that cannot be read
    # A clean record is not marked.
    assert repository.customer(a_caller(writable_store, offset=12).id).damaged == frozenset()
    assert Segment.VIP.is_priority and AccountStatus("frozen") is AccountStatus.FROZEN


async def test_a_damaged_customer_shows_marked_in_search_and_360(writable_store, make_app):
    caller = a_caller(writable_store)
    _damage(writable_store,
            f"UPDATE customers SET name = {NOT_UTF8}, address = {NOT_UTF8}, segment = 'x', "
            "birth_date = 'not a date', customer_since = '2010-02-30', risk_level = 9 "
            "WHERE id = ?", args=(caller.id,))
    _damage(writable_store, "UPDATE accounts SET status = 'melted', opened_on = '' "
                            "WHERE customer_id = ?", args=(caller.id,))
    _damage(writable_store, f"UPDATE transactions SET counterparty = {NOT_UTF8}, at = 'soon' "
                            "WHERE customer_id = ?", args=(caller.id,))
    app = make_app(writable_store)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await wait_for_screen(pilot, SearchScreen)
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press(*caller.mobile)
        await wait_for(pilot, lambda: caller.id in [hit.customer_id for hit in search._hits])
        assert f"{MARK} damaged" in screen_text(app)  # the segment badge
        from agent_tui.domain.masking import Disclosure, Tier

        app.disclosures[caller.id] = Disclosure(Tier.FULL)
        await open_360(pilot, caller.id)
        text = screen_text(app)
        assert f"{MARK} 张\ufffd\ufffd\ufffdA" in text  # the name, its bad bytes as U+FFFD
        assert text.count(f"{MARK} damaged") >= 3  # age, birth date, customer since
        assert caller.mobile in text  # the rest of the record is there
        app.screen.query_one("#tabs").active = "tab-accounts"
        await pilot.pause()
        assert f"{MARK} damaged" in screen_text(app)  # the account's status
        app.screen.query_one("#tabs").active = "tab-transactions"
        await wait_for(pilot, lambda: f"{MARK} 张" in screen_text(app))
        assert unsafe_segments(app) == []


async def test_one_row_of_bad_bytes_leaves_the_queue_working(writable_store, make_app):
    clean, broken = a_caller(writable_store, 1), a_caller(writable_store, 2)
    _case_row(writable_store, "CS-CLEAN", clean.id, "2026-11-25T10:00:00", "'年费争议'")
    _case_row(writable_store, "CS-BYTES", broken.id, "2026-11-24T10:00:00", NOT_UTF8)
    _damage(writable_store, f"UPDATE customers SET name = {NOT_UTF8} WHERE id = ?",
            args=(broken.id,))
    _case_row(writable_store, "CS-WHEN", clean.id, "the 5th of never", "'日期坏了'")
    app = make_app(writable_store)
    async with app.run_test(size=(120, 30)) as pilot:
        queue = await open_queue(pilot)
        await wait_for(pilot, lambda: "CS-WHEN" in screen_text(app))
        text = screen_text(app)
        assert "CS-CLEAN" in text and "年费争议" in text
        assert "CS-BYTES" in text and f"{MARK} 张\ufffd\ufffd\ufffdA" in text
        assert f"{MARK} damaged" in text  # the due time of CS-WHEN

        # Opening the case whose times are damaged says so; the app goes on.
        table = queue.query_one("#queue-table")
        table.move_cursor(row=[item.number for item in queue.page.items].index("CS-WHEN"))
        await pilot.press("enter")
        case = await wait_for_screen(pilot, CaseScreen)
        await wait_for(pilot, lambda: "CS-WHEN" in str(case.query_one("#case-error").render()))
        await pilot.press("f3")
        await wait_for_screen(pilot, QueueScreen)
        await pilot.press("f3")
        assert app.is_running


async def test_a_damaged_conflict_is_listed_marked_and_cannot_be_redone(writable_store,
                                                                        make_app):
    _damage(writable_store,
            "INSERT INTO sync_conflicts (mutation_id, seq, name, args_json, created_at, status, "
            "reason, current_json, received_at) VALUES ('m1', 1, 'case.status', 'not json', "
            "'2026-11-20T10:00:00', 'conflict', 'changed', '[1]', '2026-11-20T10:00:01')",
            # A lone surrogate as Python's "surrogatepass" writes it: bytes that are not UTF-8.
            "INSERT INTO sync_conflicts (mutation_id, seq, name, args_json, created_at, status, "
            f"reason, current_json, received_at) VALUES ('m2', 2, 'case.note', {SURROGATE_JSON}, "
            f"'2026-11-20T10:00:00', 'rejected', {SURROGATE_REASON}, "
            "'{\"status\": \"new\", \"number\": \"N\\udcff\"}', '2026-11-20T10:00:01')",
            f"INSERT INTO sync_conflicts (mutation_id, seq, name, args_json, created_at, status,"
            f" reason, received_at) VALUES ('m3', 3, 'case.note', '{{}}', "
            f"'2026-11-20T10:00:00', 'rejected', {NOT_UTF8}, '2026-11-20T10:00:01')")
    app = make_app(writable_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        app.action_conflicts()  # its key shows once a sync has found something to review
        screen = await wait_for_screen(pilot, ConflictsScreen)
        await wait_for(pilot, lambda: len(screen.conflicts) == 3)
        # m2's current state carries a JSON escape of a lone surrogate: not readable either.
        assert [conflict.damaged for conflict in screen.conflicts] == [True, True, False]
        assert screen.conflicts[1].args == {"case_id": "bad\ufffd\ufffd\ufffdbyte"}
        text = screen_text(app)
        assert f"{MARK} case.status" in text and f"{MARK} Refused: " in text
        assert unsafe_segments(app) == []
        await pilot.press("f7")  # redo the damaged one: refused, with the reason
        await wait_for(pilot, lambda: any("damaged" in str(notification.message)
                                          for notification in notifications(app)))
        assert app.is_running
