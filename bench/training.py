"""Training (issue 15): how long the simulated customer takes to answer a line the trainee said.

Every golden transcript is replayed through the call engine and the simulator, and each line the
trainee says is timed whole (intent recognition, the phrase guard, the persona's answer). The
baseline, in the same run, is the same lines through the phrase guard alone: what a typed line
costs a live call already.
"""

from __future__ import annotations

import time

from bench.figures import Figure, p95, summary

REPLY_TARGET_MS = 20.0


def training_figures(quick: bool):
    reply = Figure("sim_reply_p95_ms", "training: simulated customer's reply p95", "ms",
                   REPLY_TARGET_MS)
    baseline = Figure("sim_reply_baseline_p95_ms",
                      "training: the same lines, phrase guard only (p95)", "ms")

    def measure() -> None:
        from agent_tui.library import load_library
        from agent_tui.training.catalog import find_scenario, load_scenarios
        from agent_tui.training.golden import play, read_golden, start
        from scripts_library import LIBRARY_DIR

        library = load_library(LIBRARY_DIR)
        scenarios = load_scenarios(LIBRARY_DIR)
        goldens = [read_golden(path)
                   for path in sorted((LIBRARY_DIR / "training" / "golden").glob("*.txt"))]
        replies: list[float] = []
        guarded: list[float] = []
        lines: list[str] = []
        for round_ in range(2 if quick else 6):
            for golden in goldens:
                run, clock = start(golden, find_scenario(scenarios, golden.scenario), library)
                say = run.say

                def timed(text, now, say=say):
                    started = time.perf_counter()
                    answer = say(text, now)
                    if round_:  # the first round warms the caches (rjieba, rapidfuzz)
                        replies.append((time.perf_counter() - started) * 1000)
                        lines.append(text)
                    return answer

                run.say = timed  # type: ignore[method-assign]
                play(golden, run, clock)
        guard = _guard(library)
        for text in lines:
            started = time.perf_counter()
            guard.check(text)
            guarded.append((time.perf_counter() - started) * 1000)
        reply.measured = p95(replies)
        reply.detail = summary(replies)
        reply.note = (f"{len(replies)} lines of {len(goldens)} golden transcripts: recognise, "
                      f"guard, the persona's answer")
        baseline.measured = p95(guarded)
        baseline.detail = summary(guarded)
        baseline.note = f"{len(guarded)} lines, PhraseGuard.check only"

    return [reply, baseline], measure


def _guard(library):
    from agent_tui.domain.phrasing import PhraseGuard

    return PhraseGuard(library.forbidden, library.allowed)
