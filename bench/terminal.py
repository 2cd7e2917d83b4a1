"""Bytes written to an 80x24 terminal (DESIGN: ≤ 40 KB to start, ≤ 1 KB per keystroke, nothing
while idle): what a thin terminal or an SSH link pays, with the low-bandwidth profile SSH
sessions run with (``[ui] low_bandwidth``: only changed cells sent, no blink, no mouse). Two
sessions of the real workstation in a pseudo-terminal: typing a mobile into the search, and
typing a note in a call's workspace, where every keystroke is also checked by the
forbidden-phrase guard and a forbidden word gets highlighted."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

from bench import processes
from bench.figures import Figure

START_BYTES_TARGET_KB = 40.0
KEYSTROKE_BYTES_TARGET_KB = 1.0
# A note as agents write one, ending in a forbidden word: the last keys also redraw the guard line.
NOTE = {"zh-CN": "客户咨询年费减免，已解释。您必须", "en": "Asked about the fee. you must"}


def terminal_figures(store: Path, language: str, mobile: str, home: Path
                     ) -> tuple[list[Figure], Callable[[], None]]:
    """The figures, and the function that measures them."""
    start = Figure("term_start_kb", "bytes to 80x24 terminal: start", "KB", START_BYTES_TARGET_KB)
    first_key = Figure("term_key_kb", "bytes per keystroke: first char in search", "KB",
                       KEYSTROKE_BYTES_TARGET_KB)
    typing = Figure("term_typing_kb", "bytes per keystroke: typing a mobile (mean)", "KB",
                    KEYSTROKE_BYTES_TARGET_KB)
    typing_max = Figure("term_typing_max_kb", "bytes per keystroke: typing a mobile (max)", "KB",
                        KEYSTROKE_BYTES_TARGET_KB)
    idle = Figure("term_idle_kb_s", "bytes per second, idle search screen", "KB/s", 0.0)
    note = Figure("term_note_kb", "bytes per keystroke: typing a call's notes (mean)", "KB",
                  KEYSTROKE_BYTES_TARGET_KB)
    note_idle = Figure("term_note_idle_kb_s", "bytes per second, idle call workspace", "KB/s")

    def measure() -> None:
        from agent_tui.i18n import Catalog

        catalog = Catalog.load(language)
        marker = catalog.text("search.placeholder")[2:8]  # past the cursor, in one style run
        result = processes.terminal_bytes(store, language, marker, mobile, home / "search")
        start.measured = result.start / 1024
        start.detail = {"bytes": result.start, "seconds": result.start_seconds,
                        "search_screen_seen": result.marker_seen}
        start.note = (f"{result.start:,} bytes in {result.start_seconds:.1f} s until the search "
                      "screen settled" + ("" if result.marker_seen else
                                          " (search screen NOT recognised)"))
        first_key.measured = result.first_key / 1024
        first_key.detail = {"bytes": result.first_key, "typed": result.typed[:1]}
        first_key.note = f"{result.first_key:,} bytes for {result.typed[:1]!r} in the empty box"
        _typing(typing, result, "results table repainted")
        typing_max.measured = max(result.typing) / 1024
        typing_max.note = ("the key whose results change the table most: its new rows are "
                           "drawn, the cells that stay are not")
        _idle(idle, result, "low-bandwidth profile: no cursor blink")

        typed = NOTE[language]
        result = processes.note_bytes(store, language, marker, catalog.text("call.notes"), typed,
                                      home / "notes")
        if not result.marker_seen:
            raise RuntimeError("a key typed into the notes did not show: not in the notes?")
        _typing(note, result, "the forbidden word highlighted, the guard line redrawn")
        _idle(note_idle, result, "the call timer ticks: its changed digits only")

    return [start, first_key, typing, typing_max, idle, note, note_idle], measure


def _typing(figure: Figure, result: processes.TerminalBytes, at_most: str) -> None:
    figure.measured = statistics.mean(result.typing) / 1024
    figure.detail = {"bytes_per_key": result.typing, "typed": result.typed}
    figure.note = (f"{len(result.typing)} keys of {result.typed!r}: max "
                   f"{max(result.typing):,} bytes ({at_most}), min {min(result.typing):,}")


def _idle(figure: Figure, result: processes.TerminalBytes, why: str) -> None:
    figure.measured = result.idle / 1024 / result.idle_seconds
    figure.detail = {"bytes": result.idle, "seconds": result.idle_seconds}
    figure.note = f"{result.idle:,} bytes in {result.idle_seconds:.0f} s with nothing typed ({why})"
