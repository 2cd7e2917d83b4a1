"""A workstation with a real hub: the hub decides the call's verification and its one-time codes,
the values a pass earns stay in memory (never in the store), offline the sealed copy verifies and
operations are refused with the emergency route, and a resumed call shows what it can prove."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from agent_tui.config import AgentSection, Config, HubSection, StoreSection, UISection
from agent_tui.hub.database import reading
from agent_tui.hub.schema import accounts, customers, disclosures
from agent_tui.store import Store
from screens.call import CallScreen
from screens.customer_360 import Customer360Screen
from screens.restore_call import RestoreCallScreen
from screens.step_up import StepUpScreen
from screens.verify import VerifyScreen
from tests.call_driver import call_draft, type_answers
from tests.hub_process import last_code
from tests.screen import screen_text, wait_for, wait_for_screen

pytestmark = pytest.mark.slow


def _config(store: Path, hub) -> Config:
    return Config(agent=AgentSection(id="A1024", name="李娜", staff_number="1024"),
                  store=StoreSection(path=str(store)),
                  ui=UISection(mouse=False, cursor_blink=False),
                  hub=HubSection(url=hub.url, token=hub.token("A1024"), interval_seconds=3600))


def _a_customer(hub):
    """A hub customer with an active debit card: its full values, as only the hub holds them."""
    with reading(hub.engine) as connection:
        card = connection.execute(select(accounts.c.id, accounts.c.customer_id).where(
            accounts.c.kind == "debit_card", accounts.c.status == "active")).first()
        row = connection.execute(select(customers).where(
            customers.c.id == card.customer_id)).first()
    return row, card.id


def _right(row) -> dict[str, str]:
    return {"name": row.name, "id_last6": row.id_number[-6:], "mobile": row.mobile}


def _at_rest(store: Path) -> bytes:
    """Everything the store holds on disk, its write-ahead log included."""
    return b"".join(path.read_bytes() for path in (store, Path(f"{store}-wal"))
                    if path.exists())


@pytest.fixture
def empty_store(tmp_path) -> Path:
    path = tmp_path / "station.db"
    Store.open(path, create=True).close()
    return path


async def _open_from_hub(pilot, row) -> Customer360Screen:
    """Find the caller at the hub by mobile and open the 360 (masked, fetched, cached)."""
    app = pilot.app
    await wait_for(pilot, lambda: app.store is not None, 20)
    await pilot.press(*row.mobile)
    await wait_for(pilot, lambda: row.id in [hit.customer_id for hit in app.screen._hits], 20)
    await pilot.press("enter")
    screen = await wait_for_screen(pilot, Customer360Screen)
    await wait_for(pilot, lambda: _held(app.store_path, row.id), 20)
    await wait_for(pilot, lambda: screen.view is not None and screen.view.customer.masked, 20)
    return screen


def _held(store: Path, customer_id: str) -> bool:
    connection = sqlite3.connect(store)
    try:
        return bool(connection.execute(
            "SELECT count(*) FROM sealed_copies WHERE customer_id = ?",
            (customer_id,)).fetchone()[0])
    finally:
        connection.close()


async def _verify(pilot, answers) -> None:
    await pilot.press("ctrl+n")
    await wait_for_screen(pilot, CallScreen)
    await wait_for(pilot, lambda: pilot.app.call.verification is not None, 20)
    await pilot.press("f7")
    await wait_for_screen(pilot, VerifyScreen)
    await type_answers(pilot, answers)


async def test_the_hub_verifies_and_what_it_releases_never_reaches_the_store(
        hub, empty_store, make_app):
    row, _ = _a_customer(hub)
    app = make_app(empty_store, config=_config(empty_store, hub))
    async with app.run_test(size=(120, 30)) as pilot:
        c360 = await _open_from_hub(pilot, row)
        assert row.mobile not in screen_text(app).replace(" ", "")
        await _verify(pilot, _right(row))
        await wait_for_screen(pilot, CallScreen, 20)
        await wait_for(pilot, lambda: app.call.verified, 20)
        await wait_for(pilot, lambda: app.disclosure_for(row.id).tier.name == "BASIC", 20)
        await pilot.press("f3")  # back to the 360 behind the call: unmasked to the basic tier
        await wait_for_screen(pilot, Customer360Screen)
        c360.load()
        await wait_for(pilot, lambda: row.mobile in screen_text(app), 20)
        assert row.name in screen_text(app)
        assert row.id_number not in screen_text(app)  # the full tier needs a one-time code
    held = _at_rest(empty_store)
    for secret in (row.mobile, row.id_number, row.name):
        assert secret.encode() not in held, f"{secret} is in the store"


async def test_offline_the_sealed_copy_verifies_the_customer(hub, empty_store, make_app):
    row, _ = _a_customer(hub)
    app = make_app(empty_store, config=_config(empty_store, hub))
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_from_hub(pilot, row)
        hub.kill()
        await _verify(pilot, {**_right(row), "name": "某某某"})
        await wait_for(pilot, lambda: "sealed copy" in screen_text(app), 30)
        assert app.call.verification.failures == 1
        await type_answers(pilot, _right(row))
        await wait_for(pilot, lambda: app.call.verified, 30)
        assert app.call.revealed.customer.mobile == row.mobile
        call_id = app.call.id
        await wait_for(pilot, lambda: _count(empty_store, "SELECT count(*) FROM outbox WHERE "
                                             "name = 'audit.append' AND args_json LIKE "
                                             "'%sealed_copy%'") == 1, 20)
        hub.start()  # back online: the offline release joins the hub's own audit
        await pilot.press("f5")
        await wait_for(pilot, lambda: _hub_releases(hub, call_id) == ["sealed_copy.offline"], 30)
    assert row.mobile.encode() not in _at_rest(empty_store)


def _count(store: Path, query: str) -> int:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(query).fetchone()[0]
    finally:
        connection.close()


def _hub_releases(hub, call_id: str) -> list[str]:
    with reading(hub.engine) as connection:
        return list(connection.execute(select(disclosures.c.reason).where(
            disclosures.c.call_id == call_id)).scalars())


async def test_a_card_is_frozen_by_the_hub_and_shows_pending_until_it_confirms(
        hub, empty_store, make_app):
    row, card_id = _a_customer(hub)
    app = make_app(empty_store, config=_config(empty_store, hub))
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_from_hub(pilot, row)
        await _verify(pilot, _right(row))
        await wait_for(pilot, lambda: app.call.verified, 20)
        await wait_for_screen(pilot, CallScreen)
        await pilot.press("f12")
        screen = await wait_for_screen(pilot, StepUpScreen)
        options = screen.query_one("#operations")
        await wait_for(pilot, lambda: options.option_count > 0, 20)
        options.highlighted = next(index for index in range(options.option_count)
                                   if options.get_option_at_index(index).id ==
                                   f"freeze_card:{card_id}")
        await pilot.press("enter")
        await wait_for(pilot, lambda: hub.sms_outbox.exists(), 20)
        await wait_for(pilot, lambda: screen.query_one("#step-up-code").display, 20)
        await pilot.press(*last_code(hub), "enter")
        await wait_for(pilot, lambda: app.call.operations == ["freeze_card"], 20)
        assert app.call.revealed.customer.id_number == row.id_number  # the full tier
        await wait_for(pilot, lambda: _status(empty_store, card_id) == "frozen", 30)
    with reading(hub.engine) as connection:
        assert connection.execute(select(accounts.c.status).where(
            accounts.c.id == card_id)).scalar() == "frozen"


def _status(store: Path, account_id: str) -> str:
    connection = sqlite3.connect(store)
    try:
        return connection.execute("SELECT status FROM accounts WHERE id = ?",
                                  (account_id,)).fetchone()[0]
    finally:
        connection.close()


async def test_offline_a_sensitive_operation_is_refused_with_the_emergency_route(
        hub, empty_store, make_app):
    row, _ = _a_customer(hub)
    app = make_app(empty_store, config=_config(empty_store, hub))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_from_hub(pilot, row)
        await _verify(pilot, _right(row))
        await wait_for(pilot, lambda: app.call.verified, 20)
        await wait_for_screen(pilot, CallScreen)
        hub.kill()
        await pilot.press("f12")
        screen = await wait_for_screen(pilot, StepUpScreen)
        options = screen.query_one("#operations")
        await wait_for(pilot, lambda: options.option_count > 0, 20)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "hotline" in screen_text(app), 20)
        assert "cannot be reached" in screen_text(app)
        assert app.call.operations == []


async def test_a_resumed_call_shows_only_the_verification_it_can_prove(
        hub, empty_store, make_app):
    row, _ = _a_customer(hub)
    app = make_app(empty_store, config=_config(empty_store, hub))
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_from_hub(pilot, row)
        await _verify(pilot, _right(row))
        await wait_for(pilot, lambda: app.call.verified, 20)
        call_id = app.call.id
        await wait_for(pilot, lambda: _draft_says_passed(empty_store), 20)
    resumed = make_app(empty_store, config=_config(empty_store, hub))  # the hub confirms
    async with resumed.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, RestoreCallScreen, 20)
        await pilot.press("enter")
        await wait_for_screen(pilot, CallScreen, 20)
        assert resumed.call.id == call_id
        await wait_for(pilot, lambda: resumed.call.verified, 20)
        assert resumed.call.revealed.customer.mobile == row.mobile
        assert "verified" in screen_text(resumed)
    hub.kill()
    offline = make_app(empty_store, config=_config(empty_store, hub))  # nobody to confirm
    async with offline.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, RestoreCallScreen, 20)
        await pilot.press("enter")
        await wait_for_screen(pilot, CallScreen, 20)
        await wait_for(pilot, lambda: offline.call.verification is not None, 20)
        assert not offline.call.verified
        assert "verify again" in screen_text(offline)
        await pilot.press("f12")
        await wait_for_screen(pilot, StepUpScreen)
        assert "Verify the caller" in screen_text(offline)


def _draft_says_passed(store: Path) -> bool:
    return '"status":"passed"' in json.dumps(call_draft(store)).replace(" ", "")


def test_an_expired_sealed_copy_is_deleted_at_the_next_sync(hub, agent):
    customer = agent.customer()
    agent.connection.execute("UPDATE customers SET masked = 1 WHERE id = ?", (customer,))
    agent.connection.execute(
        "INSERT INTO sealed_copies (customer_id, expires_at, body) VALUES (?, ?, '{}')",
        (customer, "2020-01-01T00:00:00"))
    assert agent.sync(hub.url).ok
    assert agent.connection.execute("SELECT count(*) FROM sealed_copies").fetchone()[0] == 0
