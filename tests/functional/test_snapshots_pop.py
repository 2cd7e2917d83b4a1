"""Snapshots of the screen pop (issue 18) at 80x24 in zh-CN and en (the known caller also at
120x40): the caller's 360 with its banner, an unknown caller's number in the search, a ring that
waits while the agent types on another call, and a call put into wrap-up by the line's end.

The telephony events are handed to the App's CTI controller as its hub poll would hand them (the
poll itself, with a real hub, is tests/functional/test_screen_pop.py). Look at each SVG before
accepting it (tests/functional/__snapshots__/)."""

from __future__ import annotations

import pytest

from agent_tui.sync.protocol import CtiEvent
from screens.call import CallScreen
from screens.customer_360 import Customer360Screen
from screens.search import SearchScreen
from tests.call_driver import a_caller, focus, open_360
from tests.screen import settled, wait_for, wait_for_screen

pytestmark = pytest.mark.xdist_group("snapshots")
both_languages = pytest.mark.parametrize("language", ["en", "zh-CN"])
UNKNOWN = "13900000000"


def event(kind: str, caller: str = "", number: int = 1) -> CtiEvent:
    return CtiEvent(number, f"ev-{kind}-{number}", kind, caller, "95588", "", "")


async def ready(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.store is not None and isinstance(app.screen, SearchScreen))


def _snap(snap_compare, app, run_before, size=(80, 24)) -> None:
    async def run_then_settle(pilot) -> None:
        await run_before(pilot)
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_then_settle)


@pytest.mark.parametrize("language, size", [("en", (80, 24)), ("zh-CN", (80, 24)),
                                            ("en", (120, 40))],
                         ids=["en-80x24", "zh-CN-80x24", "en-120x40"])
def test_pop_known_caller(snap_compare, writable_store, make_app, language, size):
    caller = a_caller(writable_store)

    async def run_before(pilot) -> None:
        await ready(pilot)
        pilot.app.cti.received(event("ringing", f"+86{caller.mobile}"))
        screen = await wait_for_screen(pilot, Customer360Screen)
        await wait_for(pilot, lambda: screen.view is not None)

    _snap(snap_compare, make_app(writable_store, language), run_before, size)


@both_languages
def test_pop_unknown_caller(snap_compare, writable_store, make_app, language):
    async def run_before(pilot) -> None:
        await ready(pilot)
        pilot.app.cti.received(event("ringing", UNKNOWN))
        search = pilot.app.screen
        await wait_for(pilot, lambda: search._hits_for == UNKNOWN)

    _snap(snap_compare, make_app(writable_store, language), run_before)


@both_languages
def test_pop_waits_while_the_agent_types(snap_compare, writable_store, make_app, language):
    caller, on_the_line = a_caller(writable_store, offset=23), a_caller(writable_store)

    async def run_before(pilot) -> None:
        app = pilot.app
        await ready(pilot)
        await open_360(pilot, on_the_line.id)
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, CallScreen)
        await focus(pilot, "notes")
        await pilot.press(*"card fee")
        app.cti.received(event("ringing", caller.mobile))
        await wait_for(pilot, lambda: app.cti.waiting is not None)
        assert isinstance(app.screen, CallScreen) and app.call.notes == "card fee"

    _snap(snap_compare, make_app(writable_store, language), run_before)


@both_languages
def test_pop_line_ended_puts_the_call_in_wrap_up(snap_compare, writable_store, make_app,
                                                  language):
    caller = a_caller(writable_store, offset=29)

    async def run_before(pilot) -> None:
        app = pilot.app
        await ready(pilot)
        app.cti.received(event("ringing", caller.mobile))
        await wait_for_screen(pilot, Customer360Screen)
        app.cti.received(event("answered", number=2))
        await wait_for_screen(pilot, CallScreen)
        await focus(pilot, "notes")
        await pilot.press(*"asked about the fee")
        app.cti.received(event("ended", number=3))
        await wait_for(pilot, lambda: app.call.flow.stage == "closing")
        assert app.call.customer_id == caller.id and app.call.notes == "asked about the fee"

    _snap(snap_compare, make_app(writable_store, language), run_before)
