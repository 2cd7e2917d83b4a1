"""Loading and validating the whole scripts library at start: a fresh interpreter each time.

Timed from before importing the loader to a validated library, as the workstation pays it at
start (the imports of the loader and the phrase guard included).
"""

from __future__ import annotations

import subprocess
import sys

_CHILD = (
    "import time; started = time.perf_counter()\n"
    "from agent_tui.library import load_library\n"
    "from scripts_library import LIBRARY_DIR\n"
    "library = load_library(LIBRARY_DIR)\n"
    "print((time.perf_counter() - started) * 1000, len(library.phrases), len(library.forbidden))\n"
)


def time_library_loads(runs: int) -> tuple[list[float], dict[str, int]]:
    timings: list[float] = []
    info: dict[str, int] = {}
    for _ in range(runs):
        completed = subprocess.run([sys.executable, "-I", "-c", _CHILD], capture_output=True,
                                   text=True, check=True, timeout=60)
        milliseconds, phrases, rules = completed.stdout.split()
        timings.append(float(milliseconds))
        info = {"phrases": int(phrases), "rules": int(rules)}
    return timings, info
