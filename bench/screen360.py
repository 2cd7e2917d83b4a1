"""Opening the 360 on screen: ``open_360`` in a Pilot (the session's one 360, reused as the
workstation does), wait for its transactions."""

from __future__ import annotations

import asyncio
import os
import select
import time
from pathlib import Path

from agent_tui.config import AgentSection, Config, StoreSection, UISection
from bench.lookups import NOW

POLL_S = 0.001
TIMEOUT_S = 30.0


def bench_config(store_path: Path) -> Config:
    """A signed-in agent on the bench store, mouse off (as tests/conftest.py builds it)."""
    return Config(
        agent=AgentSection(id="A1024", name="李娜", staff_number="1024"),
        store=StoreSection(path=str(store_path)),
        ui=UISection(mouse=False),
    )


async def _until(condition, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(POLL_S)


def _app_class(guarded: bool):
    """The workstation, or (to price it) the same without the line filter that makes every
    rendered line safe for the terminal (agent_tui.app.terminal)."""
    from textual.app import App

    from agent_tui.app import AgentApp

    if guarded:
        return AgentApp

    class Unguarded(AgentApp):
        def get_line_filters(self):
            return App.get_line_filters(self)

    return Unguarded


async def _open_360s(store_path: Path, customer_ids: list[str], language: str,
                     guarded: bool = True) -> list[float]:
    from textual.widgets import DataTable

    from screens.customer_360 import open_360
    from screens.search import SearchScreen

    app = _app_class(guarded)(bench_config(store_path), language, clock=lambda: NOW)
    timings = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(lambda: isinstance(app.screen, SearchScreen), "the search screen")
        await pilot.pause()
        for customer_id in customer_ids:
            started = time.perf_counter()
            open_360(app, customer_id)
            screen = app.screen  # pushed: the session's 360, built ahead and reused

            def has_rows(screen=screen, customer_id=customer_id) -> bool:
                if app.screen is not screen or not screen.is_mounted \
                        or screen.customer_id != customer_id:
                    return False
                tables = screen.query("#table-transactions")  # built after the first frame
                return bool(tables) and tables.first(DataTable).row_count > 0

            await _until(has_rows, f"the transactions of {customer_id}")
            timings.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    return timings


def time_360_on_screen(store_path: Path, customer_ids: list[str], language: str,
                       guarded: bool = True) -> list[float]:
    """Milliseconds from push to a filled transactions table, one per entry of ``customer_ids``
    (``guarded``: with the terminal guard's line filter, as the workstation runs)."""
    return asyncio.run(_open_360s(store_path, customer_ids, language, guarded))


# -- key to screen, through a terminal -------------------------------------------------------


def time_360_key_to_screen(store_path: Path, customer_ids: list[str], language: str,
                           home: Path) -> list[float]:
    """Milliseconds from the Enter that opens a customer's 360 to its profile on the terminal,
    one per entry of ``customer_ids``: the real workstation in an 80x24 pseudo-terminal (the
    low-bandwidth profile SSH sessions run), each customer found by typing their mobile, Enter
    written, and the bytes read until the 360's filled profile shows in them (the mobile on
    its label's line, drawn only once the customer is read); then F3 back and ctrl+u to empty the box."""
    import sqlite3

    from agent_tui.i18n import Catalog
    from bench.processes import PTY_TIMEOUT_S, QUIET_S, _start_workstation, visible_text

    catalog = Catalog.load(language)
    search_marker = catalog.text("search.placeholder")[2:8]
    connection = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    mobiles = [connection.execute("SELECT mobile FROM customers WHERE id = ?",
                                  (customer_id,)).fetchone()[0] for customer_id in customer_ids]
    connection.close()
    terminal, _ = _start_workstation(store_path, language, home, search_marker)
    timings = []
    try:
        for mobile in mobiles:
            terminal.write(mobile)
            listed = f"{mobile[:3]}****{mobile[-4:]}"
            found = terminal.read_burst(QUIET_S, PTY_TIMEOUT_S,
                                        until=lambda data, listed=listed: listed in
                                        visible_text(data))
            if listed not in visible_text(found):
                raise RuntimeError(f"{mobile} not found: {visible_text(found)[-500:]!r}")
            # The profile's own line: the mobile after its label, drawn once the customer is read.
            shown_marker = f"{catalog.text('c360.mobile')} {listed}"
            started = time.perf_counter()
            terminal.write("\r")
            seen = bytearray()
            while shown_marker not in visible_text(bytes(seen)):
                # Blocking on the terminal: the time is the chunk's arrival, no polling interval.
                if not select.select([terminal.master], [], [], PTY_TIMEOUT_S)[0]:
                    raise RuntimeError(f"no 360 for {mobile}: {visible_text(bytes(seen))[-500:]!r}")
                seen += os.read(terminal.master, 65536)
            timings.append((time.perf_counter() - started) * 1000)
            terminal.read_burst(QUIET_S, PTY_TIMEOUT_S)  # the rest of the 360, then back
            terminal.write("\x1bOR")  # F3
            terminal.read_burst(QUIET_S, PTY_TIMEOUT_S)
            terminal.write("\x15")  # ctrl+u: the box emptied for the next mobile
            terminal.read_burst(QUIET_S, PTY_TIMEOUT_S)
    finally:
        terminal.close()
    return timings
