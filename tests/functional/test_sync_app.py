"""The workstation syncing with a real hub process: the header's status, F5, offline and back,
a supervisor's change arriving on the case in front of the agent, the review screen, and online
search that caches for offline."""

from __future__ import annotations

import sqlite3

import pytest

from agent_tui.config import AgentSection, Config, HubSection, StoreSection, UISection
from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import Store
from agent_tui.store.cases import CaseDraft, CaseStore
from screens.conflicts import ConflictsScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import show_case
from tests.conftest import FROZEN_NOW
from tests.hub_process import raw_push, register_device
from tests.screen import screen_text, wait_for, wait_for_screen

pytestmark = pytest.mark.slow


@pytest.fixture
def station(tmp_path):
    from data.generator import SeedPlan
    from data.seed import seed_store
    from tests.hub_process import AS_OF as HUB_AS_OF
    from tests.hub_process import CUSTOMERS

    path = tmp_path / "station.db"
    seed_store(path, SeedPlan(CUSTOMERS, 1, HUB_AS_OF), workers=1)
    return path


def _config(store, hub_url, token) -> Config:
    return Config(agent=AgentSection(id="A1024", name="李娜", staff_number="1024"),
                  store=StoreSection(path=str(store)),
                  ui=UISection(mouse=False, cursor_blink=False),
                  hub=HubSection(url=hub_url, token=token, interval_seconds=3600))


def _open_case(store, customer_index=0):
    local = Store.open(store)
    connection = local.connection()
    customer = connection.execute("SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET ?",
                                  (customer_index,)).fetchone()[0]
    case = CaseStore(connection, SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=customer, title="网银转账失败"), FROZEN_NOW)
    local.close()
    return case


def _escalate_as(hub, token: str, case_id: str) -> str:
    """A supervisor's workstation escalates the case (version 1): the hub's answer."""
    reply = raw_push(hub, token, register_device(hub, token), [{
        "seq": 1, "mutation_id": f"esc-{token[-8:]}", "name": "case.escalated", "args": {
            "case_id": case_id, "base_version": 1, "changes": {
                "status": "escalated", "escalated_to": "投诉处理组",
                "escalation_reason": "客户要求主管回电"}, "detail": {},
            "at": "2026-11-23T10:05:00"}}])
    return reply.json()["results"][0]["status"]


def _waiting(store) -> int:
    connection = sqlite3.connect(store)
    try:
        return connection.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        connection.close()


async def test_the_header_shows_sync_and_f5_sends_at_once(hub, station, make_app):
    app = make_app(station, config=_config(station, hub.url, hub.token("A1024")))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.sync_status and app.sync_status.last_sync, 20)
        assert "● online" in app.sub_title and "0 waiting" in app.sub_title
        _open_case(station)
        assert _waiting(station) > 0
        await pilot.press("f5")
        await wait_for(pilot, lambda: _waiting(station) == 0, 20)
        await wait_for(pilot, lambda: "0 waiting" in app.sub_title, 10)
        hub.kill()  # the link goes: work goes on, queued, and the header says so
        _open_case(station, 1)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "○ offline" in app.sub_title, 20)
        assert "1 waiting" in app.sub_title or "2 waiting" in app.sub_title
        hub.start()
        await pilot.press("f5")
        await wait_for(pilot, lambda: "● online" in app.sub_title and _waiting(station) == 0, 20)


async def test_a_supervisor_change_reaches_the_case_on_screen(hub, station, make_app):
    app = make_app(station, config=_config(station, hub.url, hub.token("A1024")))
    case = _open_case(station)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: _waiting(station) == 0, 20)
        await show_case(pilot, case.id)
        # A supervisor outside the case's team may not touch it: it is refused, not applied.
        assert _escalate_as(hub, hub.token("S0001", "supervisor", "T9"), case.id) == "rejected"
        lead = hub.token("S0003", "supervisor", "T1")
        assert _escalate_as(hub, lead, case.id) == "applied"
        await pilot.press("f5")
        await wait_for(pilot, lambda: "投诉处理组" in screen_text(app), 20)
        assert "changed at the hub" in " ".join(
            str(notice.message) for notice in notifications(app))


async def test_conflicts_are_listed_and_dropped_on_purpose(hub, station, make_app):
    app = make_app(station, config=_config(station, hub.url, hub.token("A1024")))
    case = _open_case(station)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: _waiting(station) == 0, 20)
        with hub.engine.begin() as connection:  # someone else moved the case meanwhile
            from agent_tui.hub.schema import cases

            connection.execute(cases.update().where(cases.c.id == case.id).values(
                version=4, status="in_progress"))
        local = Store.open(station)
        CaseStore(local.connection(), SlaPolicy(), "A1024", "1024").change_status(
            case, "pending_customer", FROZEN_NOW)
        local.close()
        await pilot.press("f5")
        await wait_for(pilot, lambda: "1 to review" in app.sub_title, 20)
        await pilot.press("ctrl+w")
        screen = await wait_for_screen(pilot, ConflictsScreen)
        await wait_for(pilot, lambda: len(screen.conflicts) == 1)
        assert "Conflict: Someone changed" in screen_text(app) and "In progress" in screen_text(app)
        await pilot.press("delete")
        await wait_for(pilot, lambda: not screen.conflicts, 10)
        connection = sqlite3.connect(station)
        assert connection.execute("SELECT resolution FROM sync_conflicts").fetchall() == [
            ("dropped",)]
        connection.close()


async def test_online_search_caches_for_offline(hub, tmp_path, make_app):
    """Found online by the full mobile, the customer is held masked: offline it is found by
    what the workstation holds (a card's last four and the surname), never by the full number,
    which the workstation does not hold."""
    empty = tmp_path / "empty.db"
    Store.open(empty, create=True).close()
    from agent_tui.hub.database import reading
    from agent_tui.hub.schema import accounts, customers

    with reading(hub.engine) as connection:
        mobile, customer_id, name = connection.execute(
            customers.select().with_only_columns(customers.c.mobile, customers.c.id,
                                                 customers.c.name)).first()
        last4 = connection.execute(accounts.select().with_only_columns(accounts.c.last4).where(
            accounts.c.customer_id == customer_id)).scalar()
    app = make_app(empty, config=_config(empty, hub.url, hub.token("A1024")))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.sync_status is not None, 20)
        await pilot.press(*mobile)
        await wait_for(pilot, lambda: customer_id in [
            hit.customer_id for hit in app.screen._hits], 20)
        await pilot.press("enter")  # the 360 fetches the record from the hub and caches it
        await wait_for(pilot, lambda: _count(empty, "accounts", customer_id) > 0, 20)
        hub.kill()
        await pilot.press("f2")
        await pilot.press("backspace", *mobile[-1])
        await wait_for(pilot, lambda: "Offline" in screen_text(app), 20)
        assert customer_id not in [hit.customer_id for hit in app.screen._hits]
        await pilot.press("f3", *f"{last4} {name[0]}")  # F3 clears the search box
        await wait_for(pilot, lambda: customer_id in [
            hit.customer_id for hit in app.screen._hits], 20)
    held = sqlite3.connect(empty)
    try:
        assert not held.execute("SELECT count(*) FROM customers WHERE mobile = ?",
                                (mobile,)).fetchone()[0]
    finally:
        held.close()


def _count(store, table, customer_id) -> int:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(f"SELECT count(*) FROM {table} WHERE customer_id = ?",
                                  (customer_id,)).fetchone()[0]
    finally:
        connection.close()

