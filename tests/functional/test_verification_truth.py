"""The workstation tells the truth about verification (issue 13): a lockout's fraud flag is seen
on the 360 and in the queue and written once; the stage bar never ticks Verify for a caller who
was not verified; an attempt with answers missing says which, and that the name did not match."""

from __future__ import annotations

import sqlite3

from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import Store
from agent_tui.store.cases import CaseDraft, CaseStore
from screens.call import CallScreen
from screens.customer_360 import Customer360Screen
from screens.override import OverrideScreen
from screens.queue import QueueScreen
from screens.verify import VerifyScreen
from tests.call_driver import a_caller, do_step, start_call, type_answers
from tests.conftest import FROZEN_NOW
from tests.screen import screen_text, wait_for, wait_for_screen


async def _lock(pilot, caller) -> None:
    await start_call(pilot, caller.id)
    await pilot.press("f7")
    await wait_for_screen(pilot, VerifyScreen)
    for attempt in range(3):
        await type_answers(pilot, {"name": caller.name, "id_last6": f"00000{attempt}",
                                   "mobile": "13000000000"})
    await wait_for_screen(pilot, CallScreen)
    await wait_for(pilot, lambda: pilot.app.call.flow.verification_status == "locked")


async def test_a_lockout_flags_the_customer_once_and_the_flag_is_seen(writable_store, make_app):
    caller = a_caller(writable_store, offset=41)
    local = Store.open(writable_store)
    CaseStore(local.connection(), SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=caller.id, title="卡片异常"), FROZEN_NOW)
    local.close()
    app = make_app(writable_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await _lock(pilot, caller)
        app.screen.flag_possible_fraud()  # raised again (a repeated outcome): still once
        await wait_for(pilot, lambda: _count(writable_store, "SELECT count(*) FROM outbox "
                                             "WHERE name = 'customer.flag'") == 1)
        await pilot.press("f3")
        c360 = await wait_for_screen(pilot, Customer360Screen)
        c360.load()
        await wait_for(pilot, lambda: "Possible fraud" in screen_text(app))
        await pilot.press("f4")
        await wait_for_screen(pilot, QueueScreen)
        await wait_for(pilot, lambda: "\u26a0" in screen_text(app))
    assert _count(writable_store, "SELECT count(*) FROM customer_flags WHERE customer_id = ?",
                  caller.id) == 1
    assert _count(writable_store, "SELECT count(*) FROM outbox WHERE name = 'customer.flag'") == 1


async def _through_the_greeting(pilot) -> None:
    await do_step(pilot, "greeting.greet")
    await do_step(pilot, "greeting.introduce")
    await pilot.press("f6")
    await wait_for(pilot, lambda: pilot.app.call.flow.stage == "verification")


def _count(store, query: str, *params) -> int:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(query, params).fetchone()[0]
    finally:
        connection.close()


async def test_the_stage_bar_never_ticks_verify_for_an_unverified_caller(writable_store,
                                                                         make_app):
    caller = a_caller(writable_store, offset=43)
    app = make_app(writable_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await _lock(pilot, caller)
        call = app.call
        await _through_the_greeting(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: call.flow.stage == "handling" or isinstance(
            app.screen, OverrideScreen))
        if isinstance(app.screen, OverrideScreen):
            await pilot.press(*"caller insisted", "enter")
        await wait_for(pilot, lambda: call.flow.stage_index >= 2)
        await pilot.press("escape")  # the request-type form that opens on entering handling
        await wait_for_screen(pilot, CallScreen)
        bar = screen_text(app)
        assert "\u2717 Verify" in bar and "\u2713 Verify" not in bar


async def test_moving_on_without_verifying_is_not_a_tick(writable_store, make_app):
    caller = a_caller(writable_store, offset=47)
    app = make_app(writable_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_call(pilot, caller.id)
        call = app.call
        await _through_the_greeting(pilot)
        await wait_for_screen(pilot, VerifyScreen)  # entering verification opens the form
        await pilot.press("escape")
        await wait_for_screen(pilot, CallScreen)
        await pilot.press("f6")  # refused: not verified; moved on with a reason
        await wait_for_screen(pilot, OverrideScreen)
        await pilot.press(*"caller refused to answer", "enter")
        await wait_for(pilot, lambda: call.flow.stage_index >= 2)
        await pilot.press("escape")
        await wait_for_screen(pilot, CallScreen)
        assert "\u2717 Verify" in screen_text(app)
        assert call.verification_shown == "open"


async def test_missing_answers_say_which_and_that_the_name_did_not_match(writable_store,
                                                                          make_app):
    caller = a_caller(writable_store, offset=49)
    app = make_app(writable_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_call(pilot, caller.id)
        await pilot.press("f7")
        await wait_for_screen(pilot, VerifyScreen)
        await type_answers(pilot, {"name": "某某某", "mobile": caller.mobile})
        await wait_for(pilot, lambda: "Does not match already: Name" in screen_text(app))
        text = screen_text(app)
        assert "And 1 more of: ID last 6, Date of birth, A recent amount" in text
        assert app.call.verification.failures == 0  # not an attempt: nothing counted


async def test_many_lockouts_are_one_warning_with_a_count(writable_store, make_app):
    """A customer locked out forty times (a fraudster trying again and again) gets one line on
    the 360, with the count and the latest time: the banner never takes over the screen."""
    from datetime import timedelta

    from agent_tui.store.flags import POSSIBLE_FRAUD, raise_flag

    caller = a_caller(writable_store)
    store = Store.open(writable_store)
    for attempt in range(40):
        raise_flag(store.connection(), customer_id=caller.id, flag=POSSIBLE_FRAUD,
                   agent_id="A1", at=FROZEN_NOW - timedelta(hours=attempt), reason="locked",
                   call_id=f"call-lock-{attempt}")
    app = make_app(writable_store, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        app.push_screen(Customer360Screen(caller.id))
        screen = await wait_for_screen(pilot, Customer360Screen)
        await wait_for(pilot, lambda: screen.view is not None)
        text = " ".join(screen_text(app).split())  # the banner wraps at 80 columns
        assert text.count("identity verification locked") == 1
        assert f"locked 40 times, last on {FROZEN_NOW:%Y-%m-%d %H:%M}" in text
        assert "Products" in text  # the tabs are still on screen at 80x24
