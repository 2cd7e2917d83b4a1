"""Snapshots of each screen at 80x24 and 120x40: fixed sizes, frozen clock, no blink, no user config.

Update only when a change is intended (`make snapshots-update`), and look at the SVGs first.
"""

from __future__ import annotations

import sqlite3

import pytest

from agent_tui.config import AgentSection, Config, StoreSection, UISection
from screens.customer_360 import Customer360Screen
from screens.help import HelpScreen
from screens.search import SearchScreen
from tests.screen import settled, wait_for, wait_for_screen

# On one xdist worker, one after another (make test: --dist loadgroup): run beside each other
# under load, a results table was sometimes drawn with its columns never widened to its rows.
pytestmark = pytest.mark.xdist_group("snapshots")

SIZES = [(80, 24), (120, 40)]


def _customer_with_signals(path) -> str:
    """The first customer with a planted large-transfer pattern: a 360 with everything on it."""
    connection = sqlite3.connect(path)
    row = connection.execute(
        "SELECT customer_id FROM transactions WHERE kind = 'transfer_out' "
        "AND amount_cents <= -5000000 GROUP BY customer_id HAVING count(*) >= 3 "
        "ORDER BY customer_id LIMIT 1"
    ).fetchone()
    connection.close()
    return row[0]


async def _until_search(pilot) -> None:
    await wait_for_screen(pilot, SearchScreen)
    await settled(pilot)


async def _open_360(pilot, customer_id: str) -> None:
    await _until_search(pilot)
    pilot.app.screen.open_customer(customer_id)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, Customer360Screen)
                   and pilot.app.screen.view is not None)
    # The 360 focuses its products table once shown; a tab switched before that focus lands is
    # switched back (the focused widget's pane becomes active), which made snapshots flaky.
    await wait_for(pilot, lambda: getattr(pilot.app.focused, "id", None) == "table-accounts")
    # The other tabs' tables are built after the first frame (the 360 shows sooner).
    await wait_for(pilot, lambda: pilot.app.screen.query("#table-transactions"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_empty(snap_compare, small_store, make_app, size):
    assert snap_compare(make_app(small_store), terminal_size=size, run_before=_until_search)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_results_by_name(snap_compare, small_store, make_app, size):
    async def run_before(pilot) -> None:
        await _until_search(pilot)
        await pilot.press(*"王")
        await wait_for(pilot, lambda: pilot.app.screen._hits)
        await settled(pilot)

    assert snap_compare(make_app(small_store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_customer_360_masked_with_risk_signals(snap_compare, small_store, make_app, size):
    customer_id = _customer_with_signals(small_store)

    async def run_before(pilot) -> None:
        await _open_360(pilot, customer_id)
        # As the agent's Tab would: the table focused, so its pane stays the active one (a
        # pane switched while another table holds the focus can be switched back).
        pilot.app.screen.query_one("#tabs").active = "tab-transactions"
        pilot.app.screen.set_focus(pilot.app.screen.query_one("#table-transactions"))
        await wait_for(pilot, lambda: pilot.app.focused.id == "table-transactions")
        await pilot.wait_for_scheduled_animations()  # the tab underline slides over
        await settled(pilot)

    assert snap_compare(make_app(small_store), terminal_size=size, run_before=run_before)


def test_customer_360_in_chinese(snap_compare, small_store, make_app):
    customer_id = _customer_with_signals(small_store)

    async def run_before(pilot) -> None:
        await _open_360(pilot, customer_id)
        await settled(pilot)

    app = make_app(small_store, language="zh-CN")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help(snap_compare, small_store, make_app):
    async def run_before(pilot) -> None:
        await _until_search(pilot)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        await settled(pilot)

    assert snap_compare(make_app(small_store), terminal_size=(80, 24), run_before=run_before)


def test_missing_store(snap_compare, make_app):
    # A fixed path, so the message is the same on every machine; nothing is created there.
    path = "/nonexistent-agent-tui/store.db"
    config = Config(
        agent=AgentSection(id="A1024", name="李娜", staff_number="1024"),
        store=StoreSection(path=path), ui=UISection(mouse=False, cursor_blink=False),
    )

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: len(pilot.app.screen.query("#seed")) == 1)
        await settled(pilot)

    app = make_app(path, config=config)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_first_run_sign_in_in_chinese(snap_compare, small_store, make_app):
    """The form fits 80x24 with no agent in the header yet."""
    config = Config(store=StoreSection(path=str(small_store)),
                    ui=UISection(mouse=False, cursor_blink=False))

    async def run_before(pilot) -> None:
        from screens.sign_in import SignInScreen

        await wait_for_screen(pilot, SignInScreen)
        await settled(pilot)

    app = make_app(small_store, language="zh-CN", config=config)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


# -- the call workspace, each stage at 80x24 ------------------------------------------------------

async def _call_at(pilot, stage: str, store) -> None:
    from screens.closing import ClosingScreen
    from screens.verify import VerifyScreen
    from tests.call_driver import a_caller, answer_by_birth_date, do_step, focus, start_call

    caller = a_caller(store)
    await _until_search(pilot)
    await start_call(pilot, caller.id)
    call = pilot.app.call
    await do_step(pilot, "greeting.greet")
    if stage == "greeting":  # with a forbidden word caught in the notes
        await focus(pilot, "notes")
        await pilot.press("end", *"\n您必须先挂失")
        await wait_for(pilot, lambda: call.hits)
        return
    await do_step(pilot, "greeting.introduce")
    await pilot.press("f6")
    await wait_for_screen(pilot, VerifyScreen)
    if stage == "verification":  # one wrong answer given
        await answer_by_birth_date(pilot, caller, wrong=True)
        return
    await answer_by_birth_date(pilot, caller)
    await wait_for(pilot, lambda: pilot.app.disclosures)
    await pilot.press("f6")
    await settled(pilot)
    await pilot.press("down", "enter")
    await wait_for(pilot, lambda: call.flow.request_type == "complaint")
    await do_step(pilot, "complaint.hear")
    if stage == "handling":
        return
    await pilot.press("f6")
    await pilot.press(*"customer in a hurry", "enter")
    await wait_for(pilot, lambda: call.flow.stage == "closing")
    await pilot.press("f7")
    await wait_for_screen(pilot, ClosingScreen)
    await settled(pilot)


@pytest.mark.parametrize("stage", ["greeting", "verification", "handling", "closing"])
def test_call_stage(snap_compare, writable_store, make_app, stage):
    async def run_before(pilot) -> None:
        await _call_at(pilot, stage, writable_store)
        await settled(pilot)

    assert snap_compare(make_app(writable_store), terminal_size=(80, 24), run_before=run_before)
