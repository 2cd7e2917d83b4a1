"""Failed sign-ins, limited: after ``limit`` failures within ``window_s`` for one agent id or
from one address, further attempts (right or wrong) are refused until the oldest failure is
older than the window. Kept in the server's memory: a restart forgets, which is fine for a
limit meant to make guessing slow, not to lock anyone out for good."""

from __future__ import annotations

import time
from collections import deque

_MAX_KEYS = 100_000


class FailedSignIns:
    def __init__(self, limit: int = 5, window_s: float = 900.0, clock=time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        cutoff = self._clock() - self.window_s
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def wait_s(self, *keys: str) -> float:
        """Seconds before another attempt is let through for any of ``keys``; 0 when it is."""
        wait = 0.0
        for key in keys:
            failures = self._recent(key)
            if len(failures) >= self.limit:
                wait = max(wait, failures[0] + self.window_s - self._clock())
        return wait

    def failed(self, *keys: str) -> None:
        now = self._clock()
        if len(self._failures) > _MAX_KEYS:  # a flood of addresses: never unbounded memory
            self._failures.clear()
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
