"""The bench runs end to end on a small store and reports every figure (values are not judged here:
timings belong in the bench's table, never in a test)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

# Run by `make bench-smoke` (a CI step of its own), not by `make test`.
pytestmark = pytest.mark.bench_smoke
ROOT = Path(__file__).resolve().parents[2]
FIGURES = (
    "seed_s",
    *(f"exact_p95_ms.{kind}" for kind in
      ("mobile", "resident_id", "id_last6", "card", "account", "all")),
    *(f"name_p95_ms.{kind}" for kind in
      ("full_name", "surname_top", "surname", "surname_plus1", "pinyin_full", "pinyin_initials",
       "last4_name", "all")),
    "c360_cold_ms",
    "c360_p95_ms",
    "c360_screen_p95_ms",
    "c360_screen_guard_ratio",
    "c360_key_to_screen_p95_ms",
    "cold_start_agent_s",
    "cold_start_bare_s",
    "cold_start_ratio",
    "phrase_check_p95_ms",
    "library_load_ms",
    "library_load_bare_ms",
    "rss_agent_mb",
    "rss_bare_mb",
    "term_start_kb",
    "term_key_kb",
    "term_typing_kb",
    "term_typing_max_kb",
    "term_idle_kb_s",
    "term_note_kb",
    "term_note_idle_kb_s",
    "call_stage_p95_ms",
    "call_refresh_p95_ms",
    "queue_screen_p95_ms",
    "case_save_p95_ms",
    "note_save_p95_ms",
    "autosave_key_p95_ms",
    *(f"trust_fetch_ms.{kind}" for kind in ("bare", "sealing", "cached")),
    "trust_fetch_ratio",
    "trust_verify_ms",
    "trust_offline_verify_ms",
    "trust_guess_ms",
    "kb_search_p95_ms",
    "kb_search_like_p95_ms",
    "kb_index_build_s",
    "kb_pull_apply_s",
    "sim_reply_p95_ms",
    "sim_reply_baseline_p95_ms",
    "start_normal_s",
    "start_training_s",
    "start_training_ratio",
    "pop_p95_ms",
    "pop_keyed_p95_ms",
)
SSH_FIGURES = ("ssh_session_rss_mb", "ssh_session_uss_mb", "ssh_sessions_total_mb",
               "ssh_first_screen_last_s", "ssh_server_session_rss_mb",
               "ssh_server_session_uss_mb", "ssh_server_sessions_total_mb",
               "ssh_server_first_screen_last_s")


@pytest.mark.slow
def test_bench_reports_every_figure(tmp_path):
    from tests.ssh_host import unavailable_reason

    no_sshd = unavailable_reason() is not None  # then the SSH sessions are left out, loudly
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--customers", "3000", "--quick", "--skip", "sync",
         "--skip", "kpi",
         *(["--skip", "ssh"] if no_sshd else ["--ssh-sessions", "2"]),
         "--store", str(tmp_path / "store.db"), "--results-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,  # two SSH sessions and their hub too
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-5000:]
    report = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert report["customers"] == 3000
    assert report["store_seeded_this_run"] is True
    measured = {figure["name"]: figure["measured"] for figure in report["figures"]}
    for name in FIGURES + (() if no_sshd else SSH_FIGURES):
        assert name in measured, f"{name} missing from the report"
        value = measured[name]
        assert isinstance(value, int | float) and not isinstance(value, bool), (name, value)
        assert math.isfinite(value), (name, value)
    assert (tmp_path / "store.db.json").exists()  # the seeding time is kept for later runs


SYNC_FIGURES = ("sync_drain_s.sqlite", "sync_drain_s.postgres", "hub_pg_agents_p95_ms",
                "sync_cycle_loop_ms", "sync_refused_ratio")


@pytest.mark.slow
def test_bench_sync_group_reports_its_figures(tmp_path):
    from tests.postgres_cluster import unavailable_reason

    others = ("search", "c360", "screen", "cold-start", "memory", "terminal", "phrasing",
              "library", "call", "cases", "trust", "training", "ssh", "pop",
              "kb", "kpi")
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--customers", "3000", "--quick",
         *(argument for group in others for argument in ("--skip", group)),
         "--store", str(tmp_path / "store.db"), "--results-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=400,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-5000:]
    report = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    measured = {figure["name"]: figure["measured"] for figure in report["figures"]}
    postgres_missing = unavailable_reason() is not None
    for name in SYNC_FIGURES:
        if postgres_missing and name in ("sync_drain_s.postgres", "hub_pg_agents_p95_ms"):
            continue
        value = measured[name]
        assert isinstance(value, int | float) and math.isfinite(value), (name, value)


KPI_FIGURES = ("kpi_seed_s", "kpi_team_p95_ms", "kpi_team_all_p95_ms")


@pytest.mark.slow
def test_bench_kpi_group_reports_its_figures(tmp_path):
    """The KPI bench on a small centre (20 agents, 5 days): its three figures, on PostgreSQL."""
    from tests.postgres_cluster import unavailable_reason

    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    others = ("search", "c360", "screen", "cold-start", "memory", "terminal", "phrasing",
              "library", "call", "cases", "sync", "trust")
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--customers", "3000", "--quick",
         *(argument for group in others for argument in ("--skip", group)),
         "--kpi-agents", "20", "--kpi-days", "5",
         "--store", str(tmp_path / "store.db"), "--results-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-5000:]
    report = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    measured = {figure["name"]: figure["measured"] for figure in report["figures"]}
    for name in KPI_FIGURES:
        value = measured[name]
        assert isinstance(value, int | float) and math.isfinite(value), (name, value)
