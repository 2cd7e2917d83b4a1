"""One measured figure, the statistics behind it, and the printed table."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(slots=True)
class Figure:
    name: str  # stable key, e.g. "exact_p95_ms.mobile" (the JSON and the smoke test use it)
    label: str  # what a person reads in the table
    unit: str  # "ms", "s", "MB", "KB", "x"
    target: float | None = None  # None: shown for comparison only
    measured: float | None = None  # None: not measured, ``note`` says why
    note: str = ""
    detail: dict | None = None  # extra numbers for the JSON (samples, medians, ...)

    @property
    def ok(self) -> bool | None:
        if self.target is None or self.measured is None:
            return None
        return self.measured <= self.target

    def target_text(self) -> str:
        return "-" if self.target is None else f"≤ {_number(self.target)} {self.unit}"

    def measured_text(self) -> str:
        if self.measured is None:
            return self.note or "not measured"
        return f"{_number(self.measured)} {self.unit}"

    def ok_text(self) -> str:
        return {None: "-", True: "yes", False: "NO"}[self.ok]

    def as_json(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        data["target_text"] = self.target_text()
        return data


def _number(value: float) -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with ``fraction`` of them at or below it."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def p95(values: Sequence[float]) -> float:
    return percentile(values, 0.95)


def summary(values: Sequence[float]) -> dict:
    """The spread of a sample, for the JSON detail."""
    return {
        "n": len(values),
        "min": min(values),
        "median": statistics.median(values),
        "p95": p95(values),
        "max": max(values),
    }


def render_table(figures: Sequence[Figure]) -> str:
    header = ("figure", "target", "measured", "ok?")
    rows = [(f.label, f.target_text(), f.measured_text(), f.ok_text()) for f in figures]
    widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(4)]

    def line(cells: Sequence[str]) -> str:
        return " | ".join(_pad(cell, width) for cell, width in zip(cells, widths)).rstrip()

    separator = "-+-".join("-" * width for width in widths)
    out = [line(header), separator, *(line(row) for row in rows)]
    notes = [f"  {f.label}: {f.note}" for f in figures if f.note and f.measured is not None]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def _width(text: str) -> int:
    """Terminal cells: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
