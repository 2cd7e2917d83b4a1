"""Cases (issue 5): "my queue" with 10,000 open cases on screen, saving a case and a note, and what
the autosave costs the event loop per keystroke.

The queue's cases are inserted once into the bench store for the bench agent (numbers CSB...),
and kept with the cached store. Saving is timed through ``CaseStore`` on the store's own
connection settings (WAL, synchronous=FULL): each save is its transactions committed to disk.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta
from pathlib import Path

from bench.lookups import NOW
from bench.screen360 import _until, bench_config

QUEUE_CASES = 10_000
AGENT = "A1024"  # bench_config's agent
OPEN = ("new", "in_progress", "pending_customer", "escalated")
CATEGORIES = ("complaint", "consultation", "business", "suggestion")


def ensure_open_cases(store_path: Path, count: int = QUEUE_CASES) -> int:
    """Give the bench agent ``count`` open cases (once); returns how many it has."""
    from agent_tui.domain.ids import new_id
    from agent_tui.domain.times import iso
    from agent_tui.store import Store

    connection = Store.open(store_path).connection()
    have = connection.execute("SELECT count(*) FROM cases WHERE number LIKE 'CSB%'").fetchone()[0]
    if have < count:
        rng = random.Random(5)
        customers = [row[0] for row in connection.execute(
            "SELECT id FROM customers ORDER BY id LIMIT ?", (count,))]
        rows = []
        for index in range(have, count):
            opened = NOW - timedelta(hours=rng.uniform(0, 72))
            due = opened + timedelta(hours=rng.choice((24, 48)))
            status = OPEN[index % len(OPEN)]
            rows.append((new_id(), f"CSB{index:07d}", customers[index % len(customers)], "phone",
                         CATEGORIES[index % len(CATEGORIES)], "normal", status,
                         f"bench case {index}", iso(opened), iso(due), iso(opened), AGENT, AGENT,
                         iso(opened) if status == "pending_customer" else None))
        with connection:
            connection.executemany(
                "INSERT INTO cases (id, number, customer_id, channel, category, priority, status,"
                " title, opened_at, due_at, updated_at, created_by, assigned_to, paused_since)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return connection.execute(
        "SELECT count(*) FROM cases WHERE assigned_to = ? AND status IN (?, ?, ?, ?)",
        (AGENT, *OPEN)).fetchone()[0]


async def _queue_on_screen(store_path: Path, rounds: int, language: str) -> list[float]:
    from textual.widgets import DataTable

    from agent_tui.app import AgentApp
    from agent_tui.library.loader import load_library
    from screens.queue import QueueScreen
    from screens.search import SearchScreen
    from scripts_library import LIBRARY_DIR

    app = AgentApp(bench_config(store_path), language, clock=lambda: NOW,
                   library=load_library(LIBRARY_DIR))
    timings = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(lambda: isinstance(app.screen, SearchScreen) and app.store is not None,
                     "the search screen")
        await pilot.pause()
        for _ in range(rounds):
            screen = QueueScreen()

            def filled(screen=screen) -> bool:
                return (app.screen is screen and screen.is_mounted
                        and screen.query_one(DataTable).row_count > 0)

            started = time.perf_counter()
            app.push_screen(screen)
            await _until(filled, "the queue's rows")
            timings.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    return timings


def time_queue_on_screen(store_path: Path, rounds: int, language: str) -> list[float]:
    """Milliseconds from F4 to a filled queue table, ``rounds`` times."""
    return asyncio.run(_queue_on_screen(store_path, rounds, language))


def time_saves(store_path: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds per case opened and per note added, committed, ``rounds`` of each."""
    from agent_tui.domain.sla import SlaPolicy
    from agent_tui.store import Store
    from agent_tui.store.cases import CaseDraft, CaseStore

    connection = Store.open(store_path).connection()
    cases = CaseStore(connection, SlaPolicy(), "B0001", "9001")
    customers = [row[0] for row in connection.execute(
        "SELECT id FROM customers ORDER BY id DESC LIMIT ?", (rounds,))]
    opened_ms, note_ms, opened = [], [], []
    for index, customer_id in enumerate(customers):
        draft = CaseDraft(customer_id=customer_id, category="complaint", title=f"bench {index}",
                          description="客户反映转账未到账，要求尽快处理。" * 4)
        started = time.perf_counter()
        opened.append(cases.open(draft, NOW + timedelta(seconds=index)))
        opened_ms.append((time.perf_counter() - started) * 1000)
    for index, case in enumerate(opened):
        started = time.perf_counter()
        cases.add_note(case, "已联系客户，核实中。" * 10, NOW + timedelta(minutes=1, seconds=index))
        note_ms.append((time.perf_counter() - started) * 1000)
    return opened_ms, note_ms


async def _autosave_ticks(store_path: Path, keystrokes: int, language: str) -> list[float]:
    from agent_tui.app import AgentApp
    from agent_tui.library.loader import load_library
    from scripts_library import LIBRARY_DIR

    app = AgentApp(bench_config(store_path), language, clock=lambda: NOW,
                   library=load_library(LIBRARY_DIR))
    timings = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(lambda: app.store is not None, "the store")
        app.start_call(None)
        call = app.call
        for step in range(200):  # a long call's record: the snapshot copies it all
            call.flow.phrase_used(f"phrase.{step}", NOW)
        notes = "客户来电咨询信用卡年费减免事宜。" * 125  # 2,000 characters
        for index in range(keystrokes):
            call.notes = notes + "x" * (index + 1)  # a keystroke changed the notes
            started = time.perf_counter()
            app.call_draft.tick()  # the worst case: a tick after every keystroke
            timings.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
        app.engine.finish()  # the call is over: nothing left to autosave
    return timings


def time_autosave(store_path: Path, keystrokes: int, language: str) -> list[float]:
    """Milliseconds the autosave takes on the event loop when the notes changed."""
    return asyncio.run(_autosave_ticks(store_path, keystrokes, language))


def case_figures(store_path: Path, language: str, quick: bool):
    """The figures of this group, and the function that measures them."""
    import statistics

    from bench.figures import Figure, p95, summary

    queue = Figure("queue_screen_p95_ms", "my queue, 10,000 open cases: on screen p95", "ms",
                   100.0)
    case_save = Figure("case_save_p95_ms", "saving a case (opened, audited) p95", "ms", 10.0)
    note_save = Figure("note_save_p95_ms", "saving a case note p95", "ms", 10.0)
    autosave = Figure("autosave_key_p95_ms", "autosave cost per keystroke on the event loop p95",
                      "ms", 1.0)

    def measure() -> None:
        have = ensure_open_cases(store_path)
        timings = time_queue_on_screen(store_path, 5 if quick else 20, language)
        queue.measured, queue.detail = p95(timings), summary(timings)
        queue.note = (f"{len(timings)} × F4 until the table has rows; {have:,} open cases, "
                      f"median {statistics.median(timings):.0f} ms")
        opened, notes = time_saves(store_path, 30 if quick else 200)
        for figure, values, what in ((case_save, opened, "cases opened"),
                                     (note_save, notes, "notes added")):
            figure.measured, figure.detail = p95(values), summary(values)
            figure.note = (f"{len(values)} {what}, each committed (WAL, synchronous=FULL), "
                           f"median {statistics.median(values):.2f} ms")
        ticks = time_autosave(store_path, 50 if quick else 300, language)
        autosave.measured, autosave.detail = p95(ticks), summary(ticks)
        autosave.note = (f"{len(ticks)} ticks, each after a change to a 2,000-character note on "
                         "a 200-event call (the write itself runs in a thread)")

    return [queue, case_save, note_save, autosave], measure
