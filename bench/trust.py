"""The hub as the authority (issue 13): what masking, sealing, auditing and verifying cost.

Measured in-process on a seeded SQLite hub, each against the bare record read in the same run:
a fetch that must seal the customer (a few scrypt derivations), a fetch that reuses the sealed
copy, a verification decided by the hub (with its release and audit), opening a sealed copy
offline with the right answers, and one guess at a sealed copy (what an attacker pays).
"""

from __future__ import annotations

import hashlib
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import msgspec

from bench.figures import Figure, summary

CUSTOMERS = 1_000


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def trust_figures(quick: bool):
    bare = Figure("trust_fetch_ms.bare", "hub: a customer's record read (no seal, no audit)",
                  "ms")
    first = Figure("trust_fetch_ms.sealing", "hub: fetch that seals the customer (median)", "ms")
    cached = Figure("trust_fetch_ms.cached", "hub: fetch reusing the sealed copy (median)", "ms")
    ratio = Figure("trust_fetch_ratio", "fetch with its sealed copy / bare record read", "x")
    verify = Figure("trust_verify_ms", "hub: a verification decided, released, audited", "ms")
    offline = Figure("trust_offline_verify_ms", "offline: the sealed copy opened (right answers)",
                     "ms")
    guess = Figure("trust_guess_ms", "an attacker's one guess at a sealed copy (scrypt)", "ms")

    def measure() -> None:
        from sqlalchemy import select

        from agent_tui.domain.scripts import VerificationPolicy
        from agent_tui.domain.sealed import SealedCopy, open_sealed
        from agent_tui.hub import customers, identity
        from agent_tui.hub.access import Limits
        from agent_tui.hub.auth import Principal
        from agent_tui.hub.database import connect, reading
        from agent_tui.hub.schema import customers as table
        from agent_tui.hub.seed import seed_hub
        from data.generator import SeedPlan

        folder = Path(tempfile.mkdtemp(prefix="agent-tui-bench-trust-"))
        engine = connect(f"sqlite:///{folder / 'hub.db'}")
        now = datetime(2026, 11, 20, 12)
        seed_hub(engine, SeedPlan(CUSTOMERS, 1, now.date()))
        rounds = 20 if quick else 100
        with reading(engine) as connection:
            rows = connection.execute(select(table).limit(rounds)).all()
        policy, limits = VerificationPolicy(), Limits(10 ** 9, 10 ** 9)
        agent = Principal("A1024", "agent", "T1")
        bare_s, first_s, cached_s, verify_s, open_s = [], [], [], [], []
        for index, row in enumerate(rows):
            started = time.perf_counter()
            with reading(engine) as connection:
                customers._record(connection, agent, row.id, now)
            bare_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            record = customers.fetch(engine, agent, row.id, limits, policy, now)
            first_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            customers.fetch(engine, agent, row.id, limits, policy, now)
            cached_s.append(time.perf_counter() - started)
            answers = {"name": row.name, "id_last6": row.id_number[-6:], "mobile": row.mobile}
            started = time.perf_counter()
            identity.verify(engine, agent, "D1", f"CALL-{index}", row.id, answers, policy,
                            limits, now)
            verify_s.append(time.perf_counter() - started)
            sealed = msgspec.convert(record["sealed"], SealedCopy)
            started = time.perf_counter()
            opened = open_sealed(sealed, answers)
            open_s.append(time.perf_counter() - started)
            if opened.payload is None:
                raise RuntimeError(f"the sealed copy of {row.id} did not open")
        guesses = []
        for index in range(rounds):
            started = time.perf_counter()
            hashlib.scrypt(f"guess {index}".encode(), salt=b"s" * 17, n=2 ** 13, r=8, p=1,
                           maxmem=64 * 1024 * 1024, dklen=16)
            guesses.append(time.perf_counter() - started)
        engine.dispose()
        bare.measured = _median_ms(bare_s)
        first.measured, cached.measured = _median_ms(first_s), _median_ms(cached_s)
        ratio.measured = cached.measured / bare.measured
        verify.measured, offline.measured = _median_ms(verify_s), _median_ms(open_s)
        guess.measured = _median_ms(guesses)
        for figure, samples in ((bare, bare_s), (first, first_s), (cached, cached_s),
                                (verify, verify_s), (offline, open_s), (guess, guesses)):
            figure.detail = summary([sample * 1000 for sample in samples])
        first.note = f"{len(rows)} customers of {CUSTOMERS:,}; one seal, then kept"
        cached.note = "masked record + audit row + limit check + the kept sealed copy"
        guess.note = (f"~310,000 guesses open one customer's copy: "
                      f"{310_000 * guess.measured / 3_600_000:.1f} CPU-hours here")

    return [bare, first, cached, ratio, verify, offline, guess], measure
