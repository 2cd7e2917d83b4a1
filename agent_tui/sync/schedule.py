"""When the sync worker runs next (SYNC.md): every 5–15 s with jitter after a good sync, so a
thousand workstations do not pull in step; after a failure on a backoff that grows to a ceiling,
also jittered; and never only on the next local write (a queue drains with no new work)."""

from __future__ import annotations

import random

BACKOFF_FIRST = 5.0
BACKOFF_CEILING = 300.0


def next_delay(interval: float, failures: int, rng: random.Random | None = None) -> float:
    """Seconds until the next sync: ``interval`` ±50 % after a good one; after ``failures`` in a
    row, 5 s doubling to five minutes, from half to all of it ("full jitter" halved)."""
    draw = (rng or random).random()
    if failures <= 0:
        return interval * (0.5 + draw)
    ceiling = min(BACKOFF_CEILING, BACKOFF_FIRST * 2 ** (failures - 1))
    return ceiling * (0.5 + draw / 2)
