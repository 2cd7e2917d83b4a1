"""Small truths of the call workspace: F6 into the closing opens its form as every stage's form
opens; the wrap-up list opens on a code, not on its blank line; the caller line says "verified +
step-up" once; the closing form never shows an empty "Read out:"."""

from __future__ import annotations

from screens.call import CallScreen
from screens.closing import ClosingScreen
from screens.override import OverrideScreen
from screens.request_type import RequestTypeScreen
from screens.verify import VerifyScreen
from screens.widgets.textual_private import SelectOverlay
from tests.call_driver import a_caller, freeze_a_card, start_call, verify
from tests.screen import screen_text, wait_for, wait_for_screen


async def _move_on(pilot, reason: str = "test") -> None:
    """F6 refused for the open steps: a reason, and on."""
    await pilot.press("f6")
    await wait_for_screen(pilot, OverrideScreen)
    await pilot.press(*reason, "enter")


async def test_f6_into_the_closing_opens_its_form_and_the_list_opens_on_a_code(
        writable_store, make_app):
    caller = a_caller(writable_store, offset=163)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)
        await _move_on(pilot)
        await wait_for_screen(pilot, VerifyScreen)  # verification's form opens on entering
        await pilot.press("f3")
        await wait_for_screen(pilot, CallScreen)
        await _move_on(pilot)
        await wait_for_screen(pilot, RequestTypeScreen)  # so does the request type
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.call.flow.request_type is not None)
        await wait_for_screen(pilot, CallScreen)
        await _move_on(pilot)
        closing = await wait_for_screen(pilot, ClosingScreen)  # and so does the closing
        assert app.call.flow.stage == "closing"
        wrap_up = closing.query_one("#wrap-up")
        closing.set_focus(wrap_up)
        await pilot.press("enter")
        await wait_for(pilot, lambda: wrap_up.expanded)
        overlay = wrap_up.query_one(SelectOverlay)
        assert overlay.get_option_at_index(overlay.highlighted).prompt == "Resolved"
        await pilot.press("enter")
        await wait_for(pilot, lambda: wrap_up.value == "resolved")


async def test_the_caller_line_says_verified_and_stepped_up_once(writable_store, make_app):
    caller = a_caller(writable_store, offset=167)
    app = make_app(writable_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await start_call(pilot, caller.id)
        await verify(pilot, caller)
        await freeze_a_card(pilot, writable_store)
        await pilot.pause()
        caller_line = str(app.screen.query_one("#caller").content)
        assert caller_line.count("verified") == 1 and "verified + step-up" in caller_line
        assert caller_line in screen_text(app)


async def test_the_closing_form_never_shows_an_empty_read_out(writable_store, make_app):
    caller = a_caller(writable_store, offset=173)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, caller.id)  # nothing asked, nothing noted
        app.call.flow.skip_to_closing(app.now(), "test: straight to the closing")
        await pilot.press("f7")
        await wait_for_screen(pilot, ClosingScreen)
        text = screen_text(app)
        assert "Read out:" not in text and "Nothing to read out yet" in text
        await pilot.press("f3")
        await wait_for_screen(pilot, CallScreen)


async def test_a_hung_up_calls_closing_form_says_so(writable_store, make_app):
    # A store of its own: a call left open by another app would be offered for restoring first.
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, a_caller(writable_store, offset=179).id)
        await pilot.press("f6")  # the caller hung up
        await wait_for_screen(pilot, OverrideScreen)
        await pilot.press("tab", "enter")
        await wait_for_screen(pilot, ClosingScreen)
        text = screen_text(app)
        assert "Read out:" not in text and "The caller hung up" in text
