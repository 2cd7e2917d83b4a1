"""``python -m bench``: measure, print the table, write ``latest.json``.

Over 400 lines: it is the list of every group of figures, in the order they run (each group's
measuring lives in its own module); one place to see what a bench run measures and skips."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench.figures import Figure, p95, render_table, summary
from bench.store import ensure_store, seed_target

RESULTS_DIR = Path(__file__).with_name("results")
EXACT_TARGET_MS = 5.0
NAME_TARGET_MS = 30.0
C360_TARGET_MS = 100.0
COLD_START_TARGET_RATIO = 1.2
RSS_TARGET_MB = 60.0
PHRASE_CHECK_TARGET_MS = 1.0
LIBRARY_LOAD_TARGET_MS = 50.0
CALL_SCREEN_TARGET_MS = 16.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure the figures of DESIGN.md on a demo store and print them as a table.",
    )
    parser.add_argument("--customers", type=int, default=1_000_000,
                        help="customers in the store to seed (default: 1,000,000)")
    parser.add_argument("--store", type=Path, default=None,
                        help="store to use; seeded there if missing (default: "
                             "RESULTS_DIR/store-N.db, reused across runs)")
    parser.add_argument("--reseed", action="store_true",
                        help="seed the store again even if it exists (measures seeding)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR,
                        help="where latest.json (and the cached store) go (default: bench/results)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke runs)")
    parser.add_argument("--workers", type=int, default=None,
                        help="seeding worker processes (default: seed_store's own default)")
    parser.add_argument("--lang", choices=("zh-CN", "en"), default="zh-CN",
                        help="interface language of the app under test (default: zh-CN)")
    parser.add_argument("--skip", action="append", default=[],
                        choices=("search", "c360", "screen", "cold-start", "memory", "terminal",
                                 "phrasing", "library", "call", "cases", "sync", "trust",
                                 "training", "ssh", "pop", "kb", "kpi"),
                        help="leave a group of figures out (repeatable)")
    parser.add_argument("--ssh-sessions", type=int, default=100,
                        help="SSH sessions to hold open at once through the real sshd "
                             "(default: 100, DESIGN's figure)")
    parser.add_argument("--kpi-agents", type=int, default=1_000,
                        help="agents in the KPI bench's centre (default: 1,000)")
    parser.add_argument("--kpi-days", type=int, default=90,
                        help="days of calls in the KPI bench's past (default: 90)")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Run:
    """Collects figures; a group that fails leaves its figures unmeasured with the reason."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.errors: dict[str, str] = {}

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def group(
        self, name: str, figures: list[Figure], measure: Callable[[], None], *, skip: bool = False
    ) -> None:
        for figure in figures:
            self.add(figure)
        if skip:
            for figure in figures:
                figure.note = "skipped (--skip)"
            return
        started = time.perf_counter()
        log(f"{name} ...")
        try:
            measure()
        except Exception as error:  # one broken group must not cost the others
            self.errors[name] = traceback.format_exc()
            log(f"{name} FAILED: {error!r}")
            for figure in figures:
                if figure.measured is None and not figure.note:
                    figure.note = f"failed: {type(error).__name__}: {error}"[:200]
        else:
            log(f"{name} done in {time.perf_counter() - started:.1f} s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    quick = args.quick
    results_dir: Path = args.results_dir
    results_dir.mkdir(parents=True, exist_ok=True)
    store_path = args.store or results_dir / f"store-{args.customers}.db"
    run = Run()

    # 1. seeding ---------------------------------------------------------------------------
    bench_store = ensure_store(store_path, args.customers, reseed=args.reseed, workers=args.workers,
                               log=log)
    customers = bench_store.customers
    scaled = "" if customers == 1_000_000 else "; target scaled linearly from 120 s per 1,000,000"
    run.add(Figure(
        "seed_s", f"seed {customers:,} customers", "s", seed_target(customers),
        bench_store.seed_seconds,
        (bench_store.seed_note or f"workers={args.workers or 'default'}") + scaled,
    ))

    per_kind = 50 if quick else 200
    sample = None

    # 2, 3. search -------------------------------------------------------------------------
    from bench import lookups

    exact = {kind: Figure(f"exact_p95_ms.{kind}", f"exact lookup p95: {label}", "ms",
                          EXACT_TARGET_MS) for kind, (label, _) in lookups.EXACT_KINDS.items()}
    exact_all = Figure("exact_p95_ms.all", "exact lookup p95: all kinds", "ms", EXACT_TARGET_MS)
    top = lookups.most_common_surname()
    names = {kind: Figure(f"name_p95_ms.{kind}", f"name lookup p95: {label.format(surname=top)}",
                          "ms", NAME_TARGET_MS) for kind, (label, _) in lookups.NAME_KINDS.items()}
    names_all = Figure("name_p95_ms.all", "name lookup p95: all kinds", "ms", NAME_TARGET_MS)

    def measure_search() -> None:
        nonlocal sample
        sample = lookups.draw_sample(bench_store.path, per_kind)
        timings, info = lookups.time_searches(bench_store.path, sample)
        for group, overall in ((exact, exact_all), (names, names_all)):
            pooled = []
            for kind, figure in group.items():
                values = timings.get(kind, [])
                if not values:
                    figure.note = "no sample values"
                    continue
                pooled += values
                figure.measured = p95(values)
                figure.detail = {**summary(values), **info[kind]}
                misparsed = info[kind]["parsed_as_other_kind"]
                figure.note = (f"{len(values)} queries, mean {info[kind]['mean_hits']:.1f} hits"
                               + (f", {misparsed} parsed as another kind" if misparsed else ""))
            if pooled:
                overall.measured = p95(pooled)
                overall.detail = summary(pooled)
                overall.note = f"{len(pooled)} queries"

    run.group("search", [*exact.values(), exact_all, *names.values(), names_all],
              measure_search, skip="search" in args.skip)

    if sample is None:
        try:
            sample = lookups.draw_sample(bench_store.path, per_kind)
        except Exception:
            run.errors["sample"] = traceback.format_exc()
    heavy = sample.heavy if sample else []

    # 4. the 360 ---------------------------------------------------------------------------
    repo_cold = Figure("c360_cold_ms", "open 360, 10k txns: query, fresh connection (max)", "ms",
                       C360_TARGET_MS)
    repo_warm = Figure("c360_p95_ms", "open 360, 10k txns: query p95 (warm)", "ms", C360_TARGET_MS)
    on_screen = Figure("c360_screen_p95_ms", "open 360, 10k txns: table filled (Pilot) p95",
                       "ms")
    key_to_screen = Figure("c360_key_to_screen_p95_ms",
                           "open 360, 10k txns: Enter to profile on terminal p95", "ms",
                           C360_TARGET_MS)

    def measure_360() -> None:
        if not heavy:
            raise RuntimeError("the store's meta has no heavy_customers")
        times = lookups.time_customer_360(bench_store.path, heavy, 15 if quick else 50)
        repo_cold.measured = max(times["cold"])
        repo_cold.detail = {"samples_ms": times["cold"], "customers": heavy}
        repo_cold.note = f"first call on a new connection, {len(heavy)} heavy customers"
        repo_warm.measured = p95(times["warm"])
        repo_warm.detail = summary(times["warm"])
        repo_warm.note = f"{len(times['warm'])} calls on one connection"

    guard_ratio = Figure("c360_screen_guard_ratio",
                         "open 360 on screen: with / without the terminal guard (p95)", "x")

    def measure_screen() -> None:
        if not heavy:
            raise RuntimeError("the store's meta has no heavy_customers")
        from bench.screen360 import time_360_key_to_screen, time_360_on_screen

        opens = 4 if quick else 10
        ids = [heavy[index % len(heavy)] for index in range(opens)]
        timings: list[float] = []
        unguarded: list[float] = []
        for _ in range(1 if quick else 3):  # interleaved: the machine's drift hits both alike
            timings += time_360_on_screen(bench_store.path, ids, args.lang)
            unguarded += time_360_on_screen(bench_store.path, ids, args.lang, guarded=False)
        on_screen.measured = p95(timings)
        on_screen.detail = {**summary(timings), "samples_ms": timings}
        on_screen.note = (f"{len(timings)} opens in a Pilot (80x24): open_360 (reused) "
                          "until its transactions table has rows")
        guard_ratio.measured = p95(timings) / p95(unguarded)
        guard_ratio.detail = {"unguarded": summary(unguarded), "samples_ms": unguarded}
        guard_ratio.note = (f"p95 {p95(timings):.1f} ms with the line filter, "
                            f"{p95(unguarded):.1f} ms without (agent_tui.app.terminal)")
        drawn = time_360_key_to_screen(bench_store.path, ids * (1 if quick else 3), args.lang,
                                       Path(tempfile.mkdtemp(prefix="agent-tui-bench-360-")))
        key_to_screen.measured = p95(drawn)
        key_to_screen.detail = {**summary(drawn), "samples_ms": drawn}
        key_to_screen.note = (f"{len(drawn)} opens in a pseudo-terminal (80x24, low-bandwidth "
                              "profile): Enter on a found mobile until the 360's profile is "
                              "in the bytes written")

    run.group("customer 360 query", [repo_cold, repo_warm], measure_360, skip="c360" in args.skip)
    run.group("customer 360 on screen", [on_screen, guard_ratio, key_to_screen], measure_screen,
              skip="screen" in args.skip)

    from bench import processes

    scratch = Path(tempfile.mkdtemp(prefix="agent-tui-bench-"))  # HOME of the child processes

    # 5. cold start ------------------------------------------------------------------------
    cold_agent = Figure("cold_start_agent_s", "cold start to search: agent-tui (median)", "s")
    cold_bare = Figure("cold_start_bare_s", "cold start: bare Textual app (median)", "s")
    cold_ratio = Figure("cold_start_ratio", "cold start ratio agent-tui / bare", "x",
                        COLD_START_TARGET_RATIO)

    def measure_cold_start() -> None:
        rounds = 3 if quick else 10
        result = processes.cold_start(bench_store.path, args.lang, rounds, scratch / "cold")
        cold_agent.measured = statistics.median(result.agent_s)
        cold_agent.detail = {**summary(result.agent_s),
                             "ready_ms_in_child": summary(result.agent_ready_ms)}
        cold_agent.note = (f"spawn to exit, {rounds} runs; ready after "
                           f"{statistics.median(result.agent_ready_ms):.0f} ms in the child")
        cold_bare.measured = statistics.median(result.bare_s)
        cold_bare.detail = {**summary(result.bare_s),
                            "ready_ms_in_child": summary(result.bare_ready_ms)}
        cold_bare.note = (f"spawn to exit, {rounds} runs; ready after "
                          f"{statistics.median(result.bare_ready_ms):.0f} ms in the child")
        cold_ratio.measured = result.ratio
        cold_ratio.note = "interleaved A B A B, medians"

    run.group("cold start", [cold_agent, cold_bare, cold_ratio], measure_cold_start,
              skip="cold-start" in args.skip)

    # 6. memory ----------------------------------------------------------------------------
    rss_agent = Figure("rss_agent_mb", "resident memory after ten 360s", "MB", RSS_TARGET_MB)
    rss_bare = Figure("rss_bare_mb", "resident memory: bare Textual app", "MB")

    def measure_memory() -> None:
        if sample is None:
            raise RuntimeError("no sample of customers")
        mobiles = lookups.memory_mobiles(bench_store.path, sample, 10)
        agent, bare = processes.memory(bench_store.path, args.lang, mobiles, scratch / "memory")
        rss_agent.measured = agent["rss_mb"]
        rss_agent.detail = agent
        rss_agent.note = (f"{len(agent['opened'])} customers searched by mobile and opened "
                          f"({len(heavy)} with 10k txns); {agent['rss_at_search_mb']:.1f} MB "
                          f"when search first showed, peak {agent['peak_mb']:.1f} MB, "
                          f"{agent['rss_back_on_search_mb']:.1f} MB back on search")
        rss_bare.measured = bare["rss_mb"]
        rss_bare.detail = bare
        rss_bare.note = "Header, Input, DataTable, Footer in run_test, one keystroke"

    run.group("memory", [rss_agent, rss_bare], measure_memory, skip="memory" in args.skip)

    # 7. bytes to the terminal ---------------------------------------------------------------
    from bench.terminal import terminal_figures

    mobile = sample.customers[0]["mobile"] if sample else "13800138000"
    figures, measure_terminal = terminal_figures(bench_store.path, args.lang, mobile,
                                                 scratch / "pty")
    run.group("terminal bytes", figures, measure_terminal, skip="terminal" in args.skip)

    shutil.rmtree(scratch, ignore_errors=True)

    # 8. the forbidden-phrase guard ----------------------------------------------------------
    phrase_check = Figure("phrase_check_p95_ms",
                          "forbidden-phrase check, 2,000-char note, per keystroke p95", "ms",
                          PHRASE_CHECK_TARGET_MS)

    def measure_phrasing() -> None:
        from bench.phrasing import time_keystrokes

        timings, info = time_keystrokes(200 if quick else 1_000)
        phrase_check.measured = p95(timings)
        phrase_check.detail = {**summary(timings), **info}
        phrase_check.note = (f"{len(timings)} keystrokes typed after the note, whole text checked "
                             f"each time ({info['rules']} rules, {info['words']} words, "
                             f"{info['allowed_words']} allowed); guard built in "
                             f"{info['build_ms']:.1f} ms")

    run.group("forbidden phrases", [phrase_check], measure_phrasing,
              skip="phrasing" in args.skip)

    # 9. the scripts library at start ----------------------------------------------------
    library_load = Figure("library_load_ms",
                          "load + validate the scripts library at start (median)", "ms",
                          LIBRARY_LOAD_TARGET_MS)
    library_bare = Figure("library_load_bare_ms",
                          "the same from an empty interpreter (median)", "ms")

    def measure_library() -> None:
        from bench.library import time_library_loads

        for figure, at_start in ((library_load, True), (library_bare, False)):
            timings, info = time_library_loads(3 if quick else 10, at_start)
            figure.measured = statistics.median(timings)
            figure.detail = {**summary(timings), **info}
        library_load.note = (f"fresh interpreters, after the CLI's own imports as `agent-tui run` "
                             f"loads it; {info['phrases']} phrases, {info['rules']} forbidden rules")
        library_bare.note = "every import included, the standard library's too: no start pays it"

    run.group("scripts library", [library_load, library_bare], measure_library, skip="library" in args.skip)

    # 10. the call workspace ----------------------------------------------------------------
    call_stage = Figure("call_stage_p95_ms", "call: stage change on screen p95", "ms",
                        CALL_SCREEN_TARGET_MS)
    call_refresh = Figure("call_refresh_p95_ms", "call: suggestion refresh on screen p95", "ms",
                          CALL_SCREEN_TARGET_MS)

    def measure_call() -> None:
        from bench.call import time_call_workspace

        drawn = sample or lookups.draw_sample(bench_store.path, per_kind)
        ids = [row["id"] for row in drawn.customers][: 5 if quick else 20]
        stages, refreshes = time_call_workspace(bench_store.path, ids, args.lang)
        for figure, timings, what in ((call_stage, stages, "stage advanced"),
                                      (call_refresh, refreshes, "step highlighted")):
            figure.measured = p95(timings)
            figure.detail = summary(timings)
            figure.note = f"{len(timings)} × {what}: work + a full 80x24 frame drawn"

    run.group("call workspace", [call_stage, call_refresh], measure_call,
              skip="call" in args.skip)

    # 11. cases ----------------------------------------------------------------------------
    from bench.cases import case_figures

    figures, measure_cases = case_figures(bench_store.path, args.lang, quick)
    run.group("cases", figures, measure_cases, skip="cases" in args.skip)

    # 12. sync ------------------------------------------------------------------------------
    from bench.sync import sync_figures

    figures, measure_sync = sync_figures(quick)
    run.group("sync", figures, measure_sync, skip="sync" in args.skip)

    from bench.trust import trust_figures

    figures, measure_trust = trust_figures(quick)
    run.group("trust", figures, measure_trust, skip="trust" in args.skip)

    # 13. training ----------------------------------------------------------------------------
    from bench.training import training_figures

    figures, measure_training = training_figures(quick)
    run.group("training", figures, measure_training, skip="training" in args.skip)
    from bench.training_start import training_start_figures

    figures, measure_start = training_start_figures(quick, bench_store.path, args.lang,
                                                    scratch / "training-start")
    run.group("training start", figures, measure_start, skip="training" in args.skip)

    # 14. the screen pop (issue 18) -------------------------------------------------------------
    from bench.pop import pop_figures

    figures, measure_pop = pop_figures(quick, args.lang)
    run.group("screen pop", figures, measure_pop, skip="pop" in args.skip)

    from bench.ssh_figures import ssh_figures

    figures, measure_ssh = ssh_figures(args.ssh_sessions, results_dir / "ssh-sessions", log)
    run.group("ssh sessions", figures, measure_ssh, skip="ssh" in args.skip)
    shutil.rmtree(results_dir / "ssh-sessions", ignore_errors=True)

    from bench.kb import kb_figures

    figures, measure_kb = kb_figures(quick)
    run.group("knowledge base", figures, measure_kb, skip="kb" in args.skip)

    # 14. KPIs on PostgreSQL (issue 17) ---------------------------------------------------------
    from bench.kpi import kpi_figures

    figures, measure_kpi = kpi_figures(args.kpi_agents, args.kpi_days, quick)
    run.group("kpi", figures, measure_kpi, skip="kpi" in args.skip)

    # -- report ---------------------------------------------------------------------------
    elapsed = time.perf_counter() - began
    table = render_table(run.figures)
    print()
    print(f"agent-tui bench: {customers:,} customers, store {bench_store.path}, "
          f"{'quick, ' if quick else ''}language {args.lang}, {elapsed:.0f} s")
    print(table)
    missed = [f for f in run.figures if f.ok is False]
    unmeasured = [f for f in run.figures if f.measured is None]
    if missed:
        print(f"\n{len(missed)} target(s) missed: " + ", ".join(
            f"{f.name} ({f.measured / f.target:.2f}x the target)" for f in missed))
    if unmeasured:
        print(f"{len(unmeasured)} figure(s) not measured: "
              + ", ".join(f.name for f in unmeasured))
    document = {
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "elapsed_s": elapsed,
        "customers": customers,
        "store": str(bench_store.path),
        "store_seeded_this_run": bench_store.seeded_now,
        "quick": quick,
        "language": args.lang,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpu_count": os.cpu_count()},
        "figures": [figure.as_json() for figure in run.figures],
        "errors": run.errors,
        "table": table,
    }
    output = results_dir / "latest.json"
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten to {output}")
    for name, error in run.errors.items():
        print(f"\n--- {name} failed ---\n{error}", file=sys.stderr)
    return 1 if run.errors else 0

