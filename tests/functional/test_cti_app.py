"""The screen pop in the App (Pilot): offline it never pops, never fails, never nags; a call that
ends before it is answered is a missed call; answered while the number is still being looked up
still starts the call from the pop. (With a real hub and terminal: test_screen_pop.py.)"""

from __future__ import annotations

import msgspec

from agent_tui.config import HubSection
from agent_tui.sync.protocol import CtiEvent
from screens.call import CallScreen
from screens.customer_360 import Customer360Screen
from screens.search import SearchScreen
from tests.call_driver import a_caller
from tests.hub_process import free_port
from tests.screen import wait_for, wait_for_screen


def event(kind: str, caller: str = "", number: int = 1) -> CtiEvent:
    return CtiEvent(number, f"ev-{kind}-{number}", kind, caller, "95588", "", "")


def recording(app) -> list[str]:
    """What the app tells the agent, kept as it is said."""
    said: list[str] = []
    notify = app.notify

    def kept(message: str, **kwargs) -> None:
        said.append(message)
        notify(message, **kwargs)

    app.notify = kept
    return said


async def test_offline_the_pop_never_shows_fails_or_nags(writable_store, make_app,
                                                         signed_in_config):
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    config = msgspec.structs.replace(signed_in_config(writable_store),
                                     hub=HubSection(url=nowhere, token="atk_x"))
    app = make_app(writable_store, "en", config)
    async with app.run_test(size=(80, 24)) as pilot:
        said = recording(app)
        await wait_for(pilot, lambda: app.cti.failures >= 2, timeout=30)
        assert app.cti.listening  # still trying, quietly
        assert isinstance(app.screen, SearchScreen) and app.cti.ring is None
        assert not [message for message in said if "Ringing" in message
                    or "did not finish" in message]


async def test_a_call_ended_before_it_was_answered_is_missed(writable_store, make_app):
    caller = a_caller(writable_store)
    app = make_app(writable_store, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        said = recording(app)
        await wait_for(pilot, lambda: app.store is not None)
        app.cti.received(event("ringing", caller.mobile))
        await wait_for_screen(pilot, Customer360Screen)
        app.cti.received(event("ended", number=2))
        await wait_for(pilot, lambda: any("Missed call" in message for message in said))
        assert app.call is None


async def test_answered_before_the_lookup_still_starts_the_call_from_the_pop(writable_store,
                                                                             make_app):
    caller = a_caller(writable_store, offset=31)
    app = make_app(writable_store, "zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        app.cti.received(event("ringing", caller.mobile))
        app.cti.received(event("answered", number=2))  # in the same turn: not looked up yet
        await wait_for_screen(pilot, CallScreen)
        assert app.call.customer_id == caller.id
        assert app.cti.ring.session_id == app.call.id


async def test_nothing_is_shown_over_the_idle_lock_not_even_by_the_key(writable_store,
                                                                       make_app):
    """The lock (like the sign-in and a store problem) is a screen F3 cannot leave: a ring
    waits behind it, and its key does nothing until the agent is back."""
    from textual.widgets import Static

    from screens.widgets.agent_screen import AgentScreen

    class Held(AgentScreen[None]):  # stands for the lock screen: ALLOW_BACK False is the rule
        ALLOW_BACK = False

        def compose(self):
            yield Static("locked")

    caller = a_caller(writable_store, offset=37)
    app = make_app(writable_store, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        held = Held()
        app.push_screen(held)
        await wait_for_screen(pilot, Held)
        app.cti.received(event("ringing", caller.mobile))
        await wait_for(pilot, lambda: app.cti.waiting is not None)
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert app.screen is held and app.cti.waiting is not None
        app.pop_screen()  # unlocked: now the key shows the caller
        await pilot.pause()
        await pilot.press("ctrl+a")
        screen = await wait_for_screen(pilot, Customer360Screen)
        assert screen.customer_id == caller.id
