"""The processes the bench starts: ``python -I bench/child.py MODE [ARGS]``.

Run by path with ``-I``, so neither the bench package nor the working directory is importable here:
each child imports only what the app it stands for imports. A child prints one line
``BENCH-RESULT {json}`` and exits.

Modes:
  start-bare                   the bare Textual app; exits as soon as its input has focus
  start-agent STORE LANG       AgentApp's own start-up (on_mount -> open_store -> SearchScreen);
                               exits as soon as the search screen's #query input has focus
  start-training STORE LANG    a training session beside STORE (``agent-tui train``: the training
                               store opened and checked, then TrainingApp's start-up); exits as
                               soon as the search screen's #query input has focus
  memory-bare                  the bare app in run_test, one keystroke; reports RSS
  memory-agent STORE LANG JSON AgentApp in run_test: search each mobile in JSON, open its 360, back;
                               reports RSS after the tenth 360 is on screen
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

POLL_S = 0.002
TIMEOUT_S = 60.0


def report(**values: object) -> None:
    print("BENCH-RESULT " + json.dumps(values), flush=True)


def bare_app():
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(placeholder="search", id="query")
            table: DataTable[object] = DataTable(id="results", cursor_type="row")
            for column in ("name", "mobile", "id", "segment", "risk", "card"):
                table.add_column(column, key=column)
            yield table
            yield Footer()

        def on_mount(self) -> None:
            self.query_one("#query", Input).focus()

    return BareApp()


def agent_app(store: str, language: str):
    from datetime import datetime

    from agent_tui.app import AgentApp
    from agent_tui.config import AgentSection, Config, StoreSection, UISection

    config = Config(
        agent=AgentSection(id="A1024", name="李娜", staff_number="1024"),
        store=StoreSection(path=store),
        ui=UISection(mouse=False),
    )
    return AgentApp(config, language, clock=lambda: datetime(2026, 11, 23, 10, 0))


def training_app(store: str, language: str):
    from datetime import datetime
    from pathlib import Path

    from agent_tui.app.training_app import TrainingApp
    from agent_tui.config import AgentSection, Config, StoreSection, UISection
    from agent_tui.training.training_store import open_training_store, training_store_path

    real = Path(store)
    path = training_store_path(real)
    open_training_store(path, real).close()  # as `agent-tui train` does before the app starts
    config = Config(
        agent=AgentSection(id="T0001", name="王芳", staff_number="0001"),
        store=StoreSection(path=str(path)),
        ui=UISection(mouse=False),
    )
    return TrainingApp(config, language, real_store=real,
                       clock=lambda: datetime(2026, 11, 23, 10, 0))


async def until(condition, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(POLL_S)


def query_focused(app, screen_type=None) -> bool:
    screen = app.screen
    if screen_type is not None and not isinstance(screen, screen_type):
        return False
    focused = screen.focused
    return focused is not None and focused.id == "query"


def start(app, screen_type=None) -> None:
    ready_at: list[float] = []

    async def pilot(_pilot) -> None:
        await until(lambda: query_focused(app, screen_type), "the search input to have focus")
        ready_at.append(time.perf_counter())
        app.exit()

    app.run(headless=True, auto_pilot=pilot)
    report(ready_ms=(ready_at[0] - STARTED) * 1000 if ready_at else None,
           total_ms=(time.perf_counter() - STARTED) * 1000)


def rss_mb() -> tuple[float, float]:
    """Resident MB now, and the high-water mark of this process's own memory map.

    Not ``getrusage().ru_maxrss``: Linux carries the spawning process's peak across exec into it.
    """
    import psutil

    rss = psutil.Process().memory_info().rss / 2**20
    peak = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return rss, peak


async def memory_bare() -> None:
    app = bare_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: query_focused(app), "the input to have focus")
        await pilot.press("1")
        await pilot.pause()
        rss, peak = rss_mb()
    report(rss_mb=rss, peak_mb=peak)


async def memory_agent(store: str, language: str, mobiles: list[str]) -> None:
    from textual.widgets import DataTable, Input

    from screens.customer_360 import Customer360Screen
    from screens.search import SearchScreen

    app = agent_app(store, language)
    opened = []
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: query_focused(app, SearchScreen), "the search screen")
        await pilot.pause()
        at_search, _ = rss_mb()
        search = app.screen
        box = search.query_one("#query", Input)
        results = search.query_one("#results", DataTable)
        rss = peak = 0.0
        for number, mobile in enumerate(mobiles, start=1):
            await pilot.press(*mobile)

            def found(mobile=mobile) -> bool:
                return box.value == mobile and results.row_count == 1 and len(search._hits) == 1

            await until(found, f"the search result for {mobile}")
            await pilot.press("enter")

            def shown() -> bool:
                screen = app.screen
                if not isinstance(screen, Customer360Screen) or not screen.is_mounted:
                    return False
                tables = screen.query("#table-transactions")  # built after the first frame
                return bool(tables) and tables.first(DataTable).row_count > 0

            await until(shown, f"the 360 of {mobile}")
            await pilot.pause()
            opened.append(app.screen.customer_id)
            if number == len(mobiles):
                rss, peak = rss_mb()
            await pilot.press("f3")  # back to search
            await until(lambda: app.screen is search, "the search screen again")
            await pilot.press("f3")  # and clear the box
            await until(lambda: box.value == "", "an empty search box")
        after_rss, _ = rss_mb()
    report(rss_mb=rss, peak_mb=peak, rss_at_search_mb=at_search, rss_back_on_search_mb=after_rss,
           opened=opened)


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "start-bare":
        start(bare_app())
    elif mode == "start-agent":
        from screens.search import SearchScreen

        start(agent_app(argv[1], argv[2]), SearchScreen)
    elif mode == "start-training":
        from screens.search import SearchScreen

        start(training_app(argv[1], argv[2]), SearchScreen)
    elif mode == "memory-bare":
        asyncio.run(memory_bare())
    elif mode == "memory-agent":
        asyncio.run(memory_agent(argv[1], argv[2], json.loads(argv[3])))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
