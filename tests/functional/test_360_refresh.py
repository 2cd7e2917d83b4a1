"""The 360 tells the truth while it stays open: unmasked once the caller is verified, its open-case
count after a case is opened and after it is resolved, and the call that just ended in its
history, without the agent opening it again."""

from __future__ import annotations

from screens.call import CallScreen
from screens.case import CaseScreen
from screens.case_action import CaseActionScreen
from screens.case_form import CaseFormScreen
from screens.closing import ClosingScreen
from screens.customer_360 import Customer360Screen
from screens.queue import QueueScreen
from tests.call_driver import a_caller, focus, open_360, verify
from tests.screen import screen_text, wait_for, wait_for_screen, widget_text


async def _pick(pilot, option_id: str) -> None:
    """Highlight the option ``option_id`` of the dialog's list with the arrows, then Enter."""
    actions = pilot.app.screen.query_one("#actions")
    for _ in range(actions.option_count):
        if actions.get_option_at_index(actions.highlighted).id == option_id:
            break
        await pilot.press("down")
    assert actions.get_option_at_index(actions.highlighted).id == option_id
    await pilot.press("enter")


async def test_the_360_shows_what_changed_while_it_was_open(writable_store, make_app):
    caller = a_caller(writable_store, offset=103)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_360(pilot, caller.id)
        c360 = app.screen
        open_before, history_before = len(c360.view.open_cases), c360.view.interactions.total
        assert caller.mobile not in screen_text(app).replace(" ", "")
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, CallScreen)
        await wait_for(pilot, lambda: app.call.verification is not None)
        await verify(pilot, caller)
        call_id = app.call.id
        await pilot.press("f3")  # the workspace steps aside: the 360 behind it, verified
        await wait_for_screen(pilot, Customer360Screen)
        await pilot.pause()
        assert caller.mobile in screen_text(app).replace(" ", "")
        assert "verified" in screen_text(app)

        await pilot.press("f11")  # a case for the caller, from the 360
        await wait_for_screen(pilot, CaseFormScreen)
        await focus(pilot, "case-title")
        await pilot.press(*"挂失后补卡进度", "ctrl+s")
        await wait_for_screen(pilot, Customer360Screen)
        await wait_for(pilot, lambda: len(c360.view.open_cases) == open_before + 1)
        await pilot.pause()
        assert f"Open cases ({open_before + 1})" in screen_text(app)

        await pilot.press("f4")  # resolved from the queue: the 360 behind counts it again
        queue = await wait_for_screen(pilot, QueueScreen)
        await wait_for(pilot, lambda: queue.page is not None and any(
            item.title == "挂失后补卡进度" for item in queue.page.items))
        item = next(item for item in queue.page.items if item.title == "挂失后补卡进度")
        table = queue.query_one("#queue-table")
        table.move_cursor(row=table.get_row_index(f"case:{item.id}"))
        await pilot.press("enter")
        case_screen = await wait_for_screen(pilot, CaseScreen)
        await wait_for(pilot, lambda: case_screen.view is not None)
        await pilot.press("f7")
        await wait_for_screen(pilot, CaseActionScreen)
        await _pick(pilot, "status:resolved")
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_screen.view.case.status == "resolved")
        await wait_for(pilot, lambda: len(c360.view.open_cases) == open_before)
        await pilot.press("f3", "f3")
        await wait_for_screen(pilot, Customer360Screen)
        await pilot.pause()
        assert f"Open cases ({open_before})" in screen_text(app)

        await pilot.press("ctrl+n")  # back to the call, and end it
        await wait_for_screen(pilot, CallScreen)
        app.call.flow.skip_to_closing(app.now(), "test: straight to the closing")
        await pilot.press("f7")
        closing = await wait_for_screen(pilot, ClosingScreen)
        closing.query_one("#wrap-up").value = "information_given"
        closing.query_one("#end-reason").value = "test"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.call is None)
        await wait_for(pilot, lambda: c360.view.interactions.total == history_before + 1)
        assert c360.view.interactions.rows[0].id == call_id
        c360.query_one("#tabs").active = "tab-history"
        c360.set_focus(c360.query_one("#table-history"))
        await wait_for(pilot, lambda: "2026-11-23 10:00  Phone" in screen_text(app))
        assert "Information given" in widget_text(c360)  # the wrap-up, as its outcome
