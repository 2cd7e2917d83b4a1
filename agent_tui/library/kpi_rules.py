"""The scripts library's KPI targets (``[[kpi_target]]``, shipped in kpi.toml): DOMAIN.md's
targets as data, so a centre that sets CSAT at 90 % rather than 95 % edits a file, not code.
Each target names a known measure and exactly one bound; a measure has at most one target."""

from __future__ import annotations

from typing import Protocol

from agent_tui.domain.kpi import MEASURES, KpiTarget
from agent_tui.library.raw import RawKpiTarget


class _Where(Protocol):
    def line(self, key: str | None = None) -> int | None: ...


class _Checker(Protocol):
    def add(self, where: object, line: int | None, key: str, **values: object) -> None: ...


def kpi_targets(found: list[tuple[RawKpiTarget, _Where]], checker: _Checker
                ) -> tuple[KpiTarget, ...]:
    targets: dict[str, KpiTarget] = {}
    for raw, where in found:
        if raw.measure not in MEASURES:
            checker.add(where, where.line("measure"), "library.kpi.measure",
                        measure=raw.measure, known=", ".join(MEASURES))
            continue
        if (raw.at_least is None) == (raw.at_most is None):
            checker.add(where, where.line(), "library.kpi.bound", measure=raw.measure)
            continue
        if raw.measure in targets:
            checker.add(where, where.line("measure"), "library.kpi.twice", measure=raw.measure)
            continue
        direction, value = ("at_least", raw.at_least) if raw.at_least is not None \
            else ("at_most", raw.at_most)
        targets[raw.measure] = KpiTarget(raw.measure, direction, float(value))
    return tuple(targets.values())
