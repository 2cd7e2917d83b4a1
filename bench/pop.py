"""The screen pop's latency (issue 18): from a ringing event posted to the hub to the caller's 360
drawn in the workstation, against the same 360 opened by a key in the same run.

The hub is the real ``agent-tui hub serve`` subprocess; the workstation the real ``AgentApp``
in a Pilot (80x24), online with that hub, on a store of the hub's customers. Each ring is timed
from just before the telephony system's POST leaves to the 360's transactions table holding rows
(as ``bench.screen360`` times a 360); the baseline from Enter on the search's result for the same
customer's number to the same point.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import httpx
import msgspec

from bench.figures import Figure, p95, summary

POP_TARGET_MS = 1000.0  # DESIGN.md: screen pop from a telephony event to the 360 on screen
CUSTOMERS = 200
POLL_S = 0.001
TIMEOUT_S = 30.0


async def _until(condition, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(POLL_S)


def _drawn(app, customer_id: str):
    from textual.widgets import DataTable

    from screens.customer_360 import Customer360Screen

    def check() -> bool:
        screen = app.screen
        if not isinstance(screen, Customer360Screen) or screen.customer_id != customer_id \
                or not screen.is_mounted or screen.view is None:
            return False
        tables = screen.query("#table-transactions")  # built after the first frame
        return bool(tables) and tables.first(DataTable).row_count > 0
    return check


async def _measure(hub, store: Path, callers: list[tuple[str, str]], language: str
                   ) -> tuple[list[float], list[float]]:
    from agent_tui.app import AgentApp
    from agent_tui.config import HubSection
    from bench.screen360 import bench_config
    from screens.search import SearchScreen

    config = msgspec.structs.replace(bench_config(store), hub=HubSection(
        url=hub.url, token=hub.token("A1024")))
    telephony = {"Authorization": f"Bearer {hub.token('PBX01', 'telephony', '')}"}
    app = AgentApp(config, language)
    pops: list[float] = []
    keyed: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        # Online and past the first sync (its pull would be timed with the first rings).
        await _until(lambda: isinstance(app.screen, SearchScreen) and app.store is not None
                     and app.cti.listening and app.sync_status is not None
                     and not app.sync.running, "the search, online, synced")
        for number, (customer_id, mobile) in enumerate(callers):
            started = time.perf_counter()
            reply = await asyncio.to_thread(httpx.post, f"{hub.url}/v1/cti/events",
                                            headers=telephony, timeout=20, json={
                "event_id": f"bench-{number}", "kind": "ringing", "agent_id": "A1024",
                "caller": mobile})
            reply.raise_for_status()
            await _until(_drawn(app, customer_id), f"the pop of {customer_id}")
            pops.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
            # The same 360 by a key: back to the search, its number, Enter on the result.
            app.action_search()
            search = app.screen
            search.prefill(mobile)
            await _until(lambda search=search, mobile=mobile: search._hits_for == mobile
                         and bool(search._hits), "the search's result")
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("enter")
            await _until(_drawn(app, customer_id), f"the 360 of {customer_id} by a key")
            keyed.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
            app.action_search()
            search.prefill("")
            await pilot.pause()
    return pops, keyed


def pop_figures(quick: bool, language: str):
    pop = Figure("pop_p95_ms", "screen pop: ringing posted to the 360 drawn, p95", "ms",
                 POP_TARGET_MS)
    keyed = Figure("pop_keyed_p95_ms", "baseline: the same 360 opened by a key (Enter), p95",
                   "ms")

    def measure() -> None:
        from sqlalchemy import select

        from agent_tui.hub.schema import customers
        from data.generator import SeedPlan
        from data.seed import seed_store
        from tests.hub_process import AS_OF, HubProcess

        folder = Path(tempfile.mkdtemp(prefix="agent-tui-bench-pop-"))
        hub = HubProcess(f"sqlite:///{folder / 'hub.db'}", folder)
        try:
            hub.seed(CUSTOMERS)
            hub.start()
            store = folder / "store.db"
            seed_store(store, SeedPlan(CUSTOMERS, 1, AS_OF), workers=1)
            rings = 10 if quick else 40
            with hub.engine.connect() as connection:
                rows = connection.execute(select(customers.c.id, customers.c.mobile)
                                          .order_by(customers.c.id)).all()
            shared = {row.mobile for row in rows if sum(r.mobile == row.mobile for r in rows) > 1}
            callers = [(row.id, row.mobile) for row in rows if row.mobile not in shared][:rings]
            pops, opened = asyncio.run(_measure(hub, store, callers, language))
        finally:
            hub.close()
        pop.measured, keyed.measured = p95(pops), p95(opened)
        pop.detail, keyed.detail = {**summary(pops), "samples_ms": pops}, summary(opened)
        pop.note = (f"{len(pops)} rings through a real hub (long poll), Pilot 80x24; "
                    f"{p95(pops) / p95(opened):.1f}x the keyed open")
        keyed.note = f"{len(opened)} opens: Enter on the search's result, same customers"

    return [pop, keyed], measure
