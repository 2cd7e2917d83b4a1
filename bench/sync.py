"""Over 400 lines: every sync figure shares one hub harness and one table of results; split, each
part would repeat the harness.

Sync (issue 6): draining 10,000 queued changes to a real hub on loopback (SQLite and
PostgreSQL), 1,000 simulated agents against a PostgreSQL hub, what one sync cycle costs the
workstation's event loop, and what a push of 1,000 refused mutations costs against 1,000 applied
ones (and another device's push meanwhile).

The hub is the real ``agent-tui hub serve`` subprocess, and PostgreSQL a throwaway cluster,
both started as the test suite starts them (``tests.hub_process``, ``tests.postgres_cluster``).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.figures import Figure, p95, summary

DRAIN_CHANGES = 10_000
AGENTS = 1_000
PULL_EVERY_S, PUSH_EVERY_S = 10.0, 30.0


def _queue_changes(station, count: int) -> int:
    """Real work through the real store: cases opened (with their audit rows), then notes."""
    cases = [station.open_case(f"bench case {index}", index % 30) for index in range(50)]
    while station.waiting() < count:
        case = cases[station.waiting() % len(cases)]
        station.cases.add_note(case, f"note {station.waiting()}", datetime.now())
    return station.waiting()


def time_drain(db_url: str, folder: Path, count: int) -> tuple[float, int, dict]:
    from tests.hub_process import HubProcess
    from tests.workstation import Workstation

    hub = HubProcess(db_url, folder)
    hub.seed()
    hub.start()
    try:
        station = Workstation(folder / "ws", "A1024", hub.token("A1024"))
        queued = _queue_changes(station, count)
        started = time.perf_counter()
        report = station.sync(hub.url)
        elapsed = time.perf_counter() - started
        if not report.ok or station.waiting():
            raise RuntimeError(f"drain incomplete: {report.error}, {station.waiting()} left")
        station.close()
        return elapsed, queued, {"applied": report.applied, "pushed": report.pushed}
    finally:
        hub.close()


def _notes(case_id: str, first_seq: int, count: int, tag: str) -> list[dict]:
    return [{"seq": first_seq + index, "mutation_id": f"{tag}-{first_seq + index}",
             "name": "case.add_note", "args": {"id": f"{tag}-note-{first_seq + index}",
                                               "case_id": case_id, "text": "跟进中",
                                               "at": "2026-11-23T10:00:00"}}
            for index in range(count)]


def time_refusals(db_url: str, folder: Path, count: int = 1_000) -> dict:
    """One push of ``count`` notes the hub applies, then one of ``count`` it refuses (notes on a
    case it does not hold), from the same device, timed on the wire; meanwhile another agent's
    device pushes one note at a time, and the slowest of those is kept (what a refused batch
    costs everyone else)."""
    import threading

    from tests.hub_process import HubProcess, raw_push, register_device

    hub = HubProcess(db_url, folder)
    hub.seed()
    hub.start()
    try:
        token, other = hub.token("A1024"), hub.token("A2048")
        device, other_device = register_device(hub, token), register_device(hub, other)
        with hub.engine.connect() as connection:
            from sqlalchemy import select

            from agent_tui.hub.schema import customers
            customer = connection.execute(select(customers.c.id).limit(1)).scalar()
        opened = {"seq": 1, "mutation_id": "bench-open", "name": "case.open", "args": {
            "id": "bench-case", "number": "CS-bench", "title": "bench", "customer_id": customer,
            "channel": "phone", "category": "consultation", "priority": "normal"}}
        other_open = {**opened, "mutation_id": "bench-open-2", "args": {
            **opened["args"], "id": "bench-case-2", "number": "CS-bench-2"}}
        for who, where, first in ((token, device, opened), (other, other_device, other_open)):
            if raw_push(hub, who, where, [first]).json()["results"][0]["status"] != "applied":
                raise RuntimeError("the bench case was not opened")

        def timed_push(mutations: list[dict]) -> tuple[float, list[str]]:
            started = time.perf_counter()
            reply = raw_push(hub, token, device, mutations)
            elapsed = time.perf_counter() - started
            return elapsed, [answer["status"] for answer in reply.json()["results"]]

        applied_s, statuses = timed_push(_notes("bench-case", 2, count, "ok"))
        if set(statuses) != {"applied"}:
            raise RuntimeError(f"expected applied notes, got {set(statuses)}")
        others: list[float] = []
        done = threading.Event()

        def other_device_pushes() -> None:
            seq = 2
            while not done.is_set():
                started = time.perf_counter()
                raw_push(hub, other, other_device, _notes("bench-case-2", seq, 1, "other"))
                others.append((time.perf_counter() - started) * 1000)
                seq += 1

        neighbour = threading.Thread(target=other_device_pushes)
        neighbour.start()
        try:
            refused_s, statuses = timed_push(_notes("no-such-case", 2 + count, count, "no"))
        finally:
            done.set()
            neighbour.join(60)
        if set(statuses) != {"rejected"}:
            raise RuntimeError(f"expected refused notes, got {set(statuses)}")
        return {"applied_s": applied_s, "refused_s": refused_s,
                "ratio": refused_s / applied_s, "other_push_max_ms": max(others, default=0.0),
                "other_pushes": len(others)}
    finally:
        hub.close()


class _Connection:
    """One workstation's keep-alive HTTP/1.1 connection, written by hand: httpx's async client
    spent more CPU generating the load than the hub spent serving it (94 % against 50 % of a
    core), so the figure measured the load generator, not the hub."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.headers = (f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                        "Content-Type: application/json\r\n").encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict) -> tuple[int, dict]:
        import json

        payload = json.dumps(body).encode()
        request = b"POST %s HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s" % (
            path.encode(), self.headers, len(payload), payload)
        for _attempt in range(2):  # the server may have closed an idle connection: reopen
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                self.writer.write(request)
                await self.writer.drain()
                status_line = await self.reader.readline()
            except ConnectionError:
                status_line = b""
            if status_line:
                break
            self.writer.close()
            self.writer = None
        else:
            raise ConnectionError("the hub closed the connection twice")
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        content = await self.reader.readexactly(length)
        return int(status_line.split()[1]), json.loads(content)


async def _simulate(urls: list[str], agents: list[tuple[str, str, str]], seconds: float,
                    head: str, warm_up: float) -> tuple[list[float], list[float], int, float]:
    """Each agent, already synced (its cursor at the feed's head), pulls every 10 s and
    pushes every 30 s (three changes: a case opened, then notes), from a random phase, on its
    own keep-alive connection, to one of the hub processes (as a load balancer would spread
    them). Latencies are kept after ``warm_up`` (every agent has pulled once: its token and
    device are known to the hub, as for a workstation that has been running)."""
    pulls: list[float] = []
    pushes: list[float] = []
    errors = 0
    loop = asyncio.get_running_loop()
    measure_from = loop.time() + warm_up
    deadline = measure_from + seconds

    async def agent(agent_id: str, token: str, device: str, rng: random.Random,
                    url: str) -> None:
        nonlocal errors
        host, port = url.split("://", 1)[1].split(":")
        connection = _Connection(host, int(port), token)
        seq, cursor, case_id = 0, head, ""
        next_pull = loop.time() + rng.uniform(0, PULL_EVERY_S)
        next_push = loop.time() + rng.uniform(0, PUSH_EVERY_S)
        while True:
            wake = min(next_pull, next_push)
            if wake >= deadline:
                if connection.writer is not None:
                    connection.writer.close()
                return
            await asyncio.sleep(max(0.0, wake - loop.time()))
            started = time.perf_counter()
            if next_push <= next_pull:
                mutations = []
                for _ in range(3):
                    seq += 1
                    if not case_id:
                        case_id = f"{agent_id}-case"
                        mutations.append({"seq": seq, "mutation_id": f"{agent_id}-{seq}",
                                          "name": "case.open", "args": {
                            "id": case_id, "number": f"CS-{agent_id}", "title": "load",
                            "customer_id": f"C{rng.randint(1, 40):011d}", "channel": "phone",
                            "category": "consultation", "priority": "normal",
                            "opened_at": "2026-11-23T10:00:00"}})
                    else:
                        mutations.append({"seq": seq, "mutation_id": f"{agent_id}-{seq}",
                                          "name": "case.add_note", "args": {
                            "id": f"{agent_id}-note-{seq}", "case_id": case_id,
                            "text": "跟进中", "at": "2026-11-23T10:00:00"}})
                status, _ = await connection.post("/v1/sync/push", {
                    "device_id": device, "mutations": mutations})
                if loop.time() >= measure_from:
                    pushes.append((time.perf_counter() - started) * 1000)
                next_push += PUSH_EVERY_S
            else:
                status, reply = await connection.post("/v1/sync/pull", {
                    "device_id": device, "cursor": cursor, "limit": 500})
                if status == 200:
                    cursor = reply["cursor"]
                if loop.time() >= measure_from:
                    pulls.append((time.perf_counter() - started) * 1000)
                next_pull += PULL_EVERY_S
            if status != 200:
                errors += 1

    await asyncio.gather(*(agent(agent_id, token, device, random.Random(index),
                                 urls[index % len(urls)])
                           for index, (agent_id, token, device) in enumerate(agents)))
    return pulls, pushes, errors, seconds


def time_agents(cluster, folder: Path, seconds: float, processes: int = 2) -> dict:
    from sqlalchemy import insert

    from agent_tui.domain.ids import new_id
    from agent_tui.hub.schema import devices
    from tests.hub_process import HubProcess

    hub = HubProcess(cluster.new_database(), folder)
    hub.seed()
    agents = []
    for index in range(AGENTS):
        agent_id = f"L{index:04d}"
        agents.append((agent_id, hub.token(agent_id, team=f"T{index % 50}"), new_id()))
    with hub.engine.begin() as connection:
        connection.execute(insert(devices), [
            {"device_id": device, "agent_id": agent_id, "registered_at": "2026-11-23T09:00:00",
             "last_mutation_seq": 0} for agent_id, _token, device in agents])
    from agent_tui.hub.database import reading
    from agent_tui.hub.pull import feed_head

    with reading(hub.engine) as connection:
        head = feed_head(connection)
    hub.start()
    others = [HubProcess(hub.db_url, folder / f"hub-{number}") for number in range(1, processes)]
    try:
        for other in others:
            other.start()
        pulls, pushes, errors, elapsed = asyncio.run(_simulate(
            [hub.url, *(other.url for other in others)], agents, seconds, head, PULL_EVERY_S))
    finally:
        for other in others:
            other.close()
        hub.close()
    every = pulls + pushes
    return {"p95": p95(every), "pull_p95": p95(pulls), "push_p95": p95(pushes),
            "median": statistics.median(every), "requests": len(every), "errors": errors,
            "throughput": len(every) / elapsed, "seconds": elapsed, "processes": processes,
            "detail": {"pull": summary(pulls), "push": summary(pushes)}}


def time_loop_share(rounds: int, folder: Path) -> tuple[list[float], list[float]]:
    """Run the workstation with a hub and time, per sync cycle, the work the event loop does
    (starting the cycle, then showing its result), and the longest stall of a 2 ms heartbeat
    while the cycle's thread pushes and pulls."""
    from agent_tui.app import AgentApp
    from agent_tui.config import AgentSection, Config, HubSection, StoreSection, UISection
    from tests.conftest import shipped_library
    from tests.hub_process import HubProcess
    from tests.workstation import Workstation

    hub = HubProcess(f"sqlite:///{folder / 'loop-hub.db'}", folder)
    hub.seed()
    hub.start()
    station = Workstation(folder / "loop", "A1024", hub.token("A1024"))
    case = station.open_case()
    station.close()
    config = Config(agent=AgentSection(id="A1024", name="李娜", staff_number="1024"),
                    store=StoreSection(path=str(station.path)),
                    ui=UISection(mouse=False, cursor_blink=False),
                    hub=HubSection(url=hub.url, token=station.token, interval_seconds=3600))
    app = AgentApp(config, "zh-CN", library=shipped_library())
    on_loop: list[float] = []
    stalls: list[float] = []

    def timed(method):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                if on_loop:  # the first sync, at start, is not one of the measured rounds
                    on_loop[-1] += (time.perf_counter() - started) * 1000
        return wrapper

    app.action_sync_now = timed(app.action_sync_now)
    app.sync_finished = timed(app.sync_finished)

    async def drive() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            while app.sync_status is None:
                await pilot.pause(0.05)
            for round_number in range(rounds):
                station_writes(station.path, case.id, round_number)
                on_loop.append(0.0)
                heartbeat_max = 0.0
                app.action_sync_now()  # marks the cycle running before it returns
                while app.sync.running:
                    before = time.perf_counter()
                    await asyncio.sleep(0.002)
                    heartbeat_max = max(heartbeat_max,
                                        (time.perf_counter() - before) * 1000 - 2)
                stalls.append(heartbeat_max)

    try:
        asyncio.run(drive())
    finally:
        hub.close()
    return on_loop, stalls


def station_writes(path: Path, case_id: str, round_number: int) -> None:
    """Between two syncs, the agent adds a note (a change to push, and one to pull back)."""
    from agent_tui.domain.sla import SlaPolicy
    from agent_tui.store import Store
    from agent_tui.store.cases import CaseStore

    store = Store.open(path)
    cases = CaseStore(store.connection(), SlaPolicy(), "A1024", "1024")
    cases.add_note(cases.get(case_id), f"round {round_number}", datetime.now())
    store.close()


def sync_figures(quick: bool):
    drain_sqlite = Figure("sync_drain_s.sqlite",
                          "drain 10,000 queued changes to the hub (SQLite, loopback)", "s", 5.0)
    drain_pg = Figure("sync_drain_s.postgres",
                      "drain 10,000 queued changes to the hub (PostgreSQL, loopback)", "s", 8.0)
    agents = Figure("hub_pg_agents_p95_ms",
                    "hub on PostgreSQL, 1,000 simulated agents: request p95", "ms", 100.0)
    loop = Figure("sync_cycle_loop_ms", "one sync cycle's cost on the event loop p95", "ms",
                  5.0)
    refused = Figure("sync_refused_ratio",
                     "push of 1,000 refused mutations / 1,000 applied, same run (SQLite)", "x",
                     2.0)

    def measure() -> None:
        from tests.postgres_cluster import PostgresCluster, unavailable_reason

        folder = Path(tempfile.mkdtemp(prefix="agent-tui-bench-sync-"))
        count = 2_000 if quick else DRAIN_CHANGES
        elapsed, queued, detail = time_drain(f"sqlite:///{folder / 'hub.db'}", folder / "s",
                                             count)
        drain_sqlite.measured = elapsed * DRAIN_CHANGES / queued
        drain_sqlite.detail = detail
        drain_sqlite.note = (f"{queued:,} changes in {elapsed:.2f} s "
                             f"({queued / elapsed:,.0f}/s; batches of 500, one commit each)")
        refusals = time_refusals(f"sqlite:///{folder / 'refused.db'}", folder / "r")
        refused.measured, refused.detail = refusals["ratio"], refusals
        refused.note = (f"refused {refusals['refused_s']:.2f} s, applied "
                        f"{refusals['applied_s']:.2f} s; another device's push meanwhile: "
                        f"slowest {refusals['other_push_max_ms']:.0f} ms of "
                        f"{refusals['other_pushes']}")
        on_loop, stalls = time_loop_share(10 if quick else 40, folder)
        loop.measured, loop.detail = p95(on_loop), {"loop": summary(on_loop),
                                                    "heartbeat_stall_ms": summary(stalls)}
        loop.note = (f"{len(on_loop)} cycles (a note pushed, one pulled); on the loop median "
                     f"{statistics.median(on_loop):.2f} ms; longest 2 ms-heartbeat stall during "
                     f"a cycle p95 {p95(stalls):.1f} ms")
        reason = unavailable_reason()
        if reason:
            drain_pg.note = agents.note = f"not measured: {reason}"
            return
        cluster = PostgresCluster()
        try:
            elapsed, queued, detail = time_drain(cluster.new_database(), folder / "p", count)
            drain_pg.measured = elapsed * DRAIN_CHANGES / queued
            drain_pg.detail = detail
            drain_pg.note = f"{queued:,} changes in {elapsed:.2f} s ({queued / elapsed:,.0f}/s)"
            load = time_agents(cluster, folder / "agents", 15.0 if quick else 60.0)
            agents.measured, agents.detail = load["p95"], load["detail"]
            agents.note = (f"{load['requests']:,} requests in {load['seconds']:.0f} s, "
                           f"{load['throughput']:.0f}/s, {load['errors']} errors; pull p95 "
                           f"{load['pull_p95']:.1f} ms, push p95 {load['push_p95']:.1f} ms "
                           f"({load['processes']} hub processes on one database, measured "
                           "after every agent had pulled once)")
            if load["errors"]:
                agents.measured = float("inf")
        finally:
            cluster.close()

    return [drain_sqlite, drain_pg, agents, loop, refused], measure
