"""The idle lock of an SSH session, under Pilot: a PIN chosen on first use; after
``idle_lock_minutes`` without a key every screen is masked and the lock covers the terminal; the
call and its notes stay; the staff number and the PIN unlock it, wrong tries are counted; and the
lock screen itself, at 80x24 in both languages. (The session over a real sshd:
test_ssh_route.py.)"""

from __future__ import annotations

import pytest

from agent_tui.domain.masking import Tier
from screens.call import CallScreen
from screens.customer_360 import Customer360Screen
from screens.lock import LockScreen
from tests.call_driver import a_caller, assert_stack_masked, search_and_open, verify
from tests.conftest import FROZEN_NOW, shipped_library
from tests.screen import settled, wait_for, wait_for_screen, widget_text

PIN = "482913"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _ssh_app(store, signed_in_config, language: str = "en", minutes: float = 10):
    from agent_tui.app import AgentApp

    app = AgentApp(signed_in_config(store), language, clock=lambda: FROZEN_NOW,
                   library=shipped_library(), idle_lock_minutes=minutes)
    app.idle_lock.clock = Clock()
    return app


async def _type_into(pilot, screen, field: str, text: str) -> None:
    screen.query_one(f"#{field}").focus()
    await pilot.press(*text)


async def _choose_pin(pilot) -> None:
    screen = await wait_for_screen(pilot, LockScreen)
    assert screen.choosing
    await pilot.press("f2", "f4")  # no way around choosing it
    assert pilot.app.screen is screen
    await _type_into(pilot, screen, "pin", PIN)
    await pilot.press("enter")  # to the second box
    await pilot.press(*PIN, "enter")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, LockScreen))


async def test_an_idle_session_locks_hides_every_customer_and_keeps_the_call(
        writable_store, signed_in_config):
    caller = a_caller(writable_store, offset=17)
    app = _ssh_app(writable_store, signed_in_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await _choose_pin(pilot)
        assert app.idle_lock.pins.is_set()
        await search_and_open(pilot, caller)
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, CallScreen)
        await wait_for(pilot, lambda: app.call.verification is not None)
        await verify(pilot, caller)
        call = app.call
        app.idle_lock.check()
        assert not app.idle_lock.locked  # not idle yet
        app.idle_lock.clock.now += 10 * 60
        app.idle_lock.check()
        lock = await wait_for_screen(pilot, LockScreen)
        assert app.disclosure_for(caller.id).tier is Tier.MASKED
        assert_stack_masked(app, caller)  # the screens under the lock too
        await pilot.press("f2", "ctrl+n", "f4")  # nothing of the App's works while locked
        assert app.screen is lock and app.call is call
        await _type_into(pilot, lock, "staff-number", "1024")
        await _type_into(pilot, lock, "pin", "000000")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "4 tries left" in widget_text(lock))
        assert lock.query_one("#pin").value == ""  # a wrong PIN is not left on screen
        await _type_into(pilot, lock, "pin", PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, CallScreen)
        assert app.call is call and not app.idle_lock.locked
        assert app.disclosure_for(caller.id).tier is Tier.BASIC  # what the call had earned
        assert isinstance(app.screen_stack[-2], Customer360Screen)


async def test_keys_keep_a_session_awake(writable_store, signed_in_config):
    app = _ssh_app(writable_store, signed_in_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await _choose_pin(pilot)
        app.idle_lock.clock.now += 9 * 60
        await pilot.press("1")
        app.idle_lock.clock.now += 9 * 60
        app.idle_lock.check()
        assert not app.idle_lock.locked


@pytest.mark.parametrize("language", ["en", "zh-CN"])
@pytest.mark.parametrize("choosing", [True, False], ids=["choose-pin", "locked"])
def test_lock_screen(snap_compare, writable_store, signed_in_config, language, choosing):
    app = _ssh_app(writable_store, signed_in_config, language)

    async def run_before(pilot) -> None:
        if not choosing:
            await _choose_pin(pilot)
            app.idle_lock.clock.now += 10 * 60
            app.idle_lock.check()
        await wait_for_screen(pilot, LockScreen)
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)




async def test_over_ssh_the_sign_in_keeps_the_keys_agent_then_asks_for_the_pin(writable_store):
    from agent_tui.app import AgentApp
    from agent_tui.config import AgentSection, Config, StoreSection, UISection
    from screens.sign_in import SignInScreen

    config = Config(agent=AgentSection(id="A1024"), store=StoreSection(path=str(writable_store)),
                    ui=UISection(mouse=False, cursor_blink=False))
    config.source = writable_store.with_name("agent-config.toml")
    app = AgentApp(config, "en", clock=lambda: FROZEN_NOW, library=shipped_library(),
                   idle_lock_minutes=10)
    async with app.run_test(size=(80, 24)) as pilot:
        sign_in = await wait_for_screen(pilot, SignInScreen)
        agent_id = sign_in.query_one("#agent-id")
        assert agent_id.disabled and agent_id.value == "A1024"
        agent_id.value = "B2"  # however it got there, the key's agent it stays
        sign_in.query_one("#agent-name").value = "李娜"
        sign_in.query_one("#staff-number").value = "1024"
        sign_in.query_one("#sign-in-submit").press()
        lock = await wait_for_screen(pilot, LockScreen)
        assert lock.choosing and app.config.agent.id == "A1024"
