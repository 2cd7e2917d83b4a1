"""The store the figures are measured on: seeded once per size and kept in the results dir.

A sidecar ``<store>.json`` remembers how long the seeding took, so a run that reuses the store can
still report it (marked as from an earlier run).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from data.generator import SeedPlan
from data.seed import seed_store

SEED = 1
AS_OF = date(2026, 11, 23)
SEED_TARGET_S_PER_MILLION = 120.0


@dataclass(slots=True)
class BenchStore:
    path: Path
    customers: int
    seeded_now: bool  # this run made it
    seed_seconds: float | None  # this run's, or the sidecar's, or None
    seed_note: str


def sidecar_path(store: Path) -> Path:
    return store.with_name(store.name + ".json")


def stored_customers(path: Path) -> int | None:
    """The number of customers the store at ``path`` was seeded with, or None if unusable."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'customers'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    return int(row[0]) if row else None


def _read_sidecar(store: Path, customers: int) -> dict | None:
    try:
        data = json.loads(sidecar_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("customers") != customers or not isinstance(data.get("seed_seconds"), float | int):
        return None
    # Only trust it for the very file it was written beside: a reseed replaces the file (new inode);
    # the app's own writes (audit log) change size and mtime but not the inode.
    if data.get("inode") != store.stat().st_ino:
        return None
    return data


def ensure_store(
    path: Path, customers: int, *, reseed: bool, workers: int | None, log
) -> BenchStore:
    """Reuse the store at ``path`` if it holds ``customers`` customers, else (re)seed it there."""
    path = Path(path)
    if path.exists() and not reseed:
        found = stored_customers(path)
        if found is not None:
            sidecar = _read_sidecar(path, found)
            if found != customers:
                log(f"store {path} holds {found:,} customers (not {customers:,}); using it as is")
            if sidecar:
                return BenchStore(
                    path, found, False, float(sidecar["seed_seconds"]),
                    f"from the run that seeded it ({sidecar.get('seeded_at', '?')}); "
                    "store reused",
                )
            return BenchStore(path, found, False, None, "not measured (store reused)")
        log(f"store {path} is not a usable bench store; reseeding it")
    log(f"seeding {customers:,} customers into {path} ...")
    plan = SeedPlan(customers, seed=SEED, as_of=AS_OF)
    started = time.perf_counter()
    seed_store(path, plan, force=True, workers=workers)
    seconds = time.perf_counter() - started
    stat = path.stat()
    sidecar = {
        "customers": customers,
        "seed_seconds": seconds,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "seeded_at": datetime.now().isoformat(timespec="seconds"),
        "size": stat.st_size,
        "inode": stat.st_ino,
    }
    sidecar_path(path).write_text(json.dumps(sidecar, indent=2), encoding="utf-8")
    log(f"seeded in {seconds:.1f} s ({stat.st_size / 1e6:,.0f} MB)")
    return BenchStore(path, customers, True, seconds, "")


def seed_target(customers: int) -> float:
    return SEED_TARGET_S_PER_MILLION * customers / 1_000_000
