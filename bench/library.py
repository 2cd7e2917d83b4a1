"""Loading and validating the whole scripts library at start: a fresh interpreter each time.

Two figures. "At start" is what ``agent-tui run`` pays: the CLI has parsed its flags and read the
config (so click, msgspec, tomli and the catalog are imported) when it loads the library, before
the UI is imported; timed from there to a validated library, the library's own imports included.
"Bare" is the same from an empty interpreter, every standard-library import included: an upper
bound no start pays, kept beside the first so an import creeping into the loader shows.
"""

from __future__ import annotations

import subprocess
import sys

_AT_START = "import agent_tui.cli\n"
_TIMED = (
    "import time; started = time.perf_counter()\n"
    "from agent_tui.library import load_library\n"
    "from scripts_library import LIBRARY_DIR\n"
    "library = load_library(LIBRARY_DIR)\n"
    "print((time.perf_counter() - started) * 1000, len(library.phrases), len(library.forbidden))\n"
)


def time_library_loads(runs: int, at_start: bool = True) -> tuple[list[float], dict[str, int]]:
    """Milliseconds per load, one fresh interpreter each; ``at_start`` after the CLI's imports."""
    child = (_AT_START if at_start else "") + _TIMED
    timings: list[float] = []
    info: dict[str, int] = {}
    for _ in range(runs):
        completed = subprocess.run([sys.executable, "-I", "-c", child], capture_output=True,
                                   text=True, check=True, timeout=60)
        milliseconds, phrases, rules = completed.stdout.split()
        timings.append(float(milliseconds))
        info = {"phrases": int(phrases), "rules": int(rules)}
    return timings, info
