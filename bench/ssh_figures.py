"""The SSH sessions' figures (bench/ssh_sessions.py holds and measures them): the sessions each in
their own Python (the baseline), then the same sessions with the account's session server, in
the same run."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

from bench.figures import Figure, summary
from bench.ssh_sessions import PER_SESSION_TARGET_MB, TOTAL_TARGET_MB, SessionsResult, run_sessions


def _variant(prefix: str, label: str, count: int, uss_target: float | None,
             total_target: float | None) -> list[Figure]:
    return [
        Figure(f"{prefix}_rss_mb", f"{label}: workstation RSS (median)", "MB"),
        Figure(f"{prefix}_uss_mb", f"{label}: workstation USS (median)", "MB", uss_target),
        Figure(f"{prefix}s_total_mb", f"{label}: {count} in all (USS + shared once)", "MB",
               total_target),
        Figure(f"{prefix.removesuffix('_session')}_first_screen_last_s",
               f"{label}: first screen of session {count}", "s"),
    ]


def _fill(figures: list[Figure], result: SessionsResult, count: int) -> None:
    per_rss, per_uss, total, first = figures
    per_rss.measured = statistics.median(result.app_rss_mb)
    per_rss.detail = summary(result.app_rss_mb)
    per_uss.measured = statistics.median(result.app_uss_mb)
    per_uss.detail = {**summary(result.app_uss_mb), "sshd_uss": summary(result.sshd_uss_mb)}
    waiting = ""
    if result.server_uss_mb:
        per_uss.detail["waiter_uss"] = summary(result.waiter_uss_mb)
        per_uss.detail["server_uss_mb"] = result.server_uss_mb
        waiting = (f", the forced command waiting {statistics.median(result.waiter_uss_mb):.2f}"
                   f" MB, the server {result.server_uss_mb:.1f} MB once")
    per_uss.note = (f"{count} sessions, each with a hub configured; sshd's own processes "
                    f"add {statistics.median(result.sshd_uss_mb):.1f} MB USS a session{waiting}")
    # Shared pages (the interpreter, Textual's compiled modules, libraries; with the server,
    # what its forks have not written) are in memory once: what the sessions cost together is
    # their USS, plus the largest shared part once. The PSS sum is the kernel's own split.
    shared = max(rss - uss for rss, uss in zip(result.app_rss_mb, result.app_uss_mb,
                                               strict=True))
    total.measured = result.total_uss_mb + shared
    total.detail = {"uss_sum_mb": result.total_uss_mb, "rss_sum_mb": result.total_rss_mb,
                    "pss_sum_mb": result.total_pss_mb, "shared_once_mb": shared,
                    "sessions": count}
    total.note = (f"USS of every process, {result.total_uss_mb:,.0f} MB, + {shared:.0f} MB "
                  f"shared (PSS sum {result.total_pss_mb:,.0f} MB); target scaled to {count}")
    first.measured = result.first_screen_s[-1]
    first.detail = summary(result.first_screen_s)
    first.note = (f"client spawn to search screen, with {count - 1} sessions open; "
                  f"median {statistics.median(result.first_screen_s):.1f} s")


def ssh_figures(count: int, folder: Path, log: Callable[[str], None]
                ) -> tuple[list[Figure], Callable[[], None]]:
    scaled = TOTAL_TARGET_MB * count / 100
    alone = _variant("ssh_session", "SSH sessions alone", count, PER_SESSION_TARGET_MB, scaled)
    served = _variant("ssh_server_session", "SSH sessions, session server", count,
                      PER_SESSION_TARGET_MB, scaled)

    def measure() -> None:
        _fill(alone, run_sessions(count, folder / "alone", log), count)
        _fill(served, run_sessions(count, folder / "server", log, server=True), count)

    return [*alone, *served], measure
