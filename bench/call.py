"""The call workspace on screen: a stage change (the flow advanced, the new checklist and phrases
built, the whole 80x24 frame drawn) and a suggestion refresh (another step highlighted, its
phrases rendered with their variables, the frame drawn). Timed around the work itself: a Pilot
key press adds its own idle-detection sleeps (tens of ms) that no agent waits for."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from bench.lookups import NOW
from bench.screen360 import bench_config

ROUNDS_PER_CALL = 8


async def _until(condition, what: str, timeout: float = 30.0) -> None:
    """Wait for ``condition``; a workspace that never comes fails the group instead of hanging
    the bench."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} within {timeout:.0f} s")
        await asyncio.sleep(0.005)


def _render(screen) -> None:
    """Draw every line of the screen, as a full repaint would: an upper bound of what the
    terminal update after the change costs (Textual redraws only the regions that changed)."""
    for _strip in screen._compositor.render_strips():
        pass


async def _time_calls(store_path: Path, customer_ids: list[str], language: str
                      ) -> tuple[list[float], list[float]]:
    from agent_tui.app import AgentApp
    from agent_tui.library.loader import load_library
    from screens.call import CallScreen
    from screens.customer_360 import Customer360Screen
    from screens.widgets.checklist import Checklist
    from scripts_library import LIBRARY_DIR

    # A call left open by an earlier group (the terminal session quits mid-call) would be offered
    # back first, over the screens this one drives.
    connection = sqlite3.connect(store_path)
    with connection:
        connection.execute("DELETE FROM drafts")
    connection.close()
    app = AgentApp(bench_config(store_path), language, clock=lambda: NOW,
                   library=load_library(LIBRARY_DIR))
    stage_ms: list[float] = []
    refresh_ms: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(lambda: app.store is not None, "store")
        for customer_id in customer_ids:
            app.push_screen(Customer360Screen(customer_id))
            await _until(lambda: isinstance(app.screen, Customer360Screen) and app.screen.view,
                         f"360 of {customer_id}")
            await pilot.press("ctrl+n")
            await _until(lambda: isinstance(app.screen, CallScreen), "call workspace")
            await pilot.pause()
            call, screen = app.call, app.screen
            checklist = screen.query_one(Checklist)
            for stage in range(3):  # greeting -> verification -> handling -> closing
                for step in call.flow.open_required():
                    call.flow.tick(step, NOW)
                started = time.perf_counter()
                call.flow.advance(NOW, override_reason="bench")
                screen.show_stage(new_list=True)
                _render(screen)
                stage_ms.append((time.perf_counter() - started) * 1000)
                if stage == 1:
                    call.flow.choose_request_type("complaint", NOW)
                    screen.show_stage(new_list=True)
                    await pilot.pause()
                    for index in range(ROUNDS_PER_CALL):
                        started = time.perf_counter()
                        checklist.highlighted = index % checklist.option_count
                        screen.refresh_suggestions()
                        _render(screen)
                        refresh_ms.append((time.perf_counter() - started) * 1000)
                await pilot.pause()
            call.flow.end(NOW, override_reason="bench")
            app.end_call(True)
            await pilot.pause()
    return stage_ms, refresh_ms


def time_call_workspace(store_path: Path, customer_ids: list[str], language: str
                        ) -> tuple[list[float], list[float]]:
    """Milliseconds per stage change and per suggestion refresh, on an 80x24 Pilot screen."""
    return asyncio.run(_time_calls(store_path, customer_ids, language))
