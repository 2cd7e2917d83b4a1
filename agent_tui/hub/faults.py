"""Faults the sync tests inject into a real hub process, by environment variable only.

``AGENT_TUI_HUB_FAULTS="before_commit:case.add_note:1,fail:case.open"`` makes the hub exit
abruptly (``os._exit``, like a power cut: no response, no cleanup) at a named point the given
number of times, or raise on every attempt at a mutation (``fail``). Unset, every check is a
dictionary lookup that finds nothing. A hub in production never has the variable set.
"""

from __future__ import annotations

import os

_ENVIRONMENT = "AGENT_TUI_HUB_FAULTS"


class InjectedFault(RuntimeError):
    pass


def _parse(spec: str) -> dict[tuple[str, str], int]:
    plan: dict[tuple[str, str], int] = {}
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        point, _, rest = part.partition(":")
        name, _, count = rest.partition(":")
        plan[(point, name)] = int(count) if count else -1
    return plan


_PLAN = _parse(os.environ.get(_ENVIRONMENT, ""))
_SEEN: dict[tuple[str, str], int] = {}


def maybe(point: str, name: str = "") -> None:
    """Exit the process at ``point`` (when planned); ``fail`` raises instead, every time."""
    if not _PLAN:
        return
    if (("fail", name) in _PLAN) and point == "before_apply":
        raise InjectedFault(f"injected failure for {name}")
    key = (point, name) if (point, name) in _PLAN else (point, "*")
    if key not in _PLAN:
        return
    seen = _SEEN.get(key, 0) + 1
    _SEEN[key] = seen
    if seen == _PLAN[key] or _PLAN[key] == -1:
        os._exit(70)
