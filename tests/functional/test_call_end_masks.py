"""When a call ends, by any path, every screen already drawn is masked again: the 360 and the
search list behind the workspace, whatever the call had unmasked (a step-up's full ID and card
numbers included). Each path is checked on every screen of the stack, then screen by screen as
F3 brings each back to the front."""

from __future__ import annotations

from agent_tui.domain.masking import Tier
from screens.call import CallScreen
from screens.closing import ClosingScreen
from screens.customer_360 import Customer360Screen
from screens.override import OverrideScreen
from screens.quit_call import QuitCallScreen
from screens.restore_call import RestoreCallScreen
from screens.search import SearchScreen
from tests.call_driver import (
    a_caller,
    assert_stack_masked,
    call_draft,
    freeze_a_card,
    search_and_open,
    verify,
    walk_back_masked,
)
from tests.screen import screen_text, wait_for, wait_for_screen, widget_text


def _behind(app, screen_type: type):
    return next(screen for screen in app.screen_stack if isinstance(screen, screen_type))


async def _verified_call(pilot, caller) -> None:
    """The caller found by the last six of their ID, a call started from their 360, verified;
    then F2 to their 360 again (now drawn unmasked) and ctrl+n back to the call."""
    app = pilot.app
    await search_and_open(pilot, caller)
    await pilot.press("ctrl+n")
    await wait_for_screen(pilot, CallScreen)
    await wait_for(pilot, lambda: app.call.verification is not None)
    await verify(pilot, caller)
    await search_and_open(pilot, caller)
    assert caller.mobile in screen_text(app).replace(" ", "")
    await pilot.press("ctrl+n")
    await wait_for_screen(pilot, CallScreen)


async def _end_with_the_closing_form(pilot) -> None:
    app = pilot.app
    app.call.flow.skip_to_closing(app.now(), "test: straight to the closing")
    await pilot.press("f7")
    closing = await wait_for_screen(pilot, ClosingScreen)
    closing.query_one("#wrap-up").value = "resolved"
    closing.query_one("#end-reason").value = "test"
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: app.call is None)


async def test_the_closing_form_masks_every_screen_after_a_step_up(writable_store, make_app):
    caller = a_caller(writable_store, offset=91)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _verified_call(pilot, caller)
        await freeze_a_card(pilot, writable_store)
        # While the call allows it, the screens behind show it (they were told at once).
        assert caller.id_number in widget_text(_behind(app, Customer360Screen))
        assert caller.mobile in widget_text(_behind(app, SearchScreen))
        await _end_with_the_closing_form(pilot)
        assert app.disclosure_for(caller.id).tier is Tier.MASKED
        assert_stack_masked(app, caller)
        await walk_back_masked(pilot, caller)


async def test_a_caller_who_hung_up_leaves_every_screen_masked(writable_store, make_app):
    caller = a_caller(writable_store, offset=93)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _verified_call(pilot, caller)
        await pilot.press("f6")  # the greeting's steps are open: the way out for a hang-up
        await wait_for_screen(pilot, OverrideScreen)
        await pilot.press("tab", "enter")
        await wait_for_screen(pilot, ClosingScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.call is None)
        assert_stack_masked(app, caller)
        await walk_back_masked(pilot, caller)


async def test_quitting_with_the_call_saved_masks_every_screen_on_the_way_out(writable_store,
                                                                              make_app):
    caller = a_caller(writable_store, offset=97)
    app = make_app(writable_store)
    at_exit: list[list[str]] = []
    real_exit = app.exit

    def exit_and_look(*args, **kwargs):
        at_exit.append([widget_text(screen) for screen in app.screen_stack])
        real_exit(*args, **kwargs)

    app.exit = exit_and_look
    async with app.run_test(size=(80, 24)) as pilot:
        await _verified_call(pilot, caller)
        assert caller.mobile in widget_text(app.screen)  # the caller line, unmasked
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, QuitCallScreen)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: app.return_code is not None)
    [screens] = at_exit
    assert len(screens) >= 3  # the search, the 360, the workspace (and the dialog)
    for text in screens:
        for secret in (caller.name, caller.mobile, caller.id_number, *caller.cards):
            assert secret not in text.replace(" ", "")


def _draft_verified(store) -> bool:
    draft = call_draft(store)
    return draft is not None and any(event["kind"] == "verification"
                                     for event in draft["events"])


async def test_a_resumed_call_ended_leaves_every_screen_masked(writable_store, make_app):
    caller = a_caller(writable_store, offset=101)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:  # the workstation ends mid-call
        await _verified_call(pilot, caller)
        await wait_for(pilot, lambda: _draft_verified(writable_store))
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RestoreCallScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, CallScreen)
        await wait_for(pilot, lambda: app.disclosure_for(caller.id).tier is Tier.BASIC)
        await search_and_open(pilot, caller)  # F2: the caller's 360, unmasked by the call
        await wait_for(pilot, lambda: caller.mobile in screen_text(app).replace(" ", ""))
        await pilot.press("ctrl+n")  # back to the call
        await wait_for_screen(pilot, CallScreen)
        await _end_with_the_closing_form(pilot)
        assert_stack_masked(app, caller)
        await walk_back_masked(pilot, caller)
