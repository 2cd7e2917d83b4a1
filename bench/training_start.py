"""Training (issue 15): the start of a training session against a normal start, in the same run.

Both are separate processes started alternately (A B A B, after one untimed run of each, which
also makes the training store), timed from spawn to exit once the search box has focus: the
normal one on the bench's store, the training one as ``agent-tui train`` starts (the training
store beside a real store's path opened and checked for its mark, then TrainingApp). The ratio
is training / normal, medians; no target is set (the issue asks for the comparison)."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.figures import Figure, summary


def training_start_figures(quick: bool, store: Path, language: str, home: Path):
    normal = Figure("start_normal_s", "start to search: a normal session (median)", "s")
    training = Figure("start_training_s", "start to search: a training session (median)", "s")
    ratio = Figure("start_training_ratio", "start ratio training / normal", "x")

    def measure() -> None:
        from bench.processes import clean_env, run_child

        env = clean_env(home, language)
        beside = home / "training-beside" / "store.db"  # never the bench store itself
        beside.parent.mkdir(parents=True, exist_ok=True)
        agent = ["start-agent", str(store), language]
        trainee = ["start-training", str(beside), language]
        run_child(agent, env)
        run_child(trainee, env)
        normal_s: list[float] = []
        training_s: list[float] = []
        for _ in range(3 if quick else 10):
            normal_s.append(run_child(agent, env)[0])
            training_s.append(run_child(trainee, env)[0])
        normal.measured = statistics.median(normal_s)
        normal.detail = summary(normal_s)
        training.measured = statistics.median(training_s)
        training.detail = summary(training_s)
        ratio.measured = training.measured / normal.measured
        ratio.note = f"interleaved A B A B, {len(normal_s)} runs each, medians"

    return [normal, training, ratio], measure
