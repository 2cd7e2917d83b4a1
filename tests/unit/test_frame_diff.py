"""Only what changed goes to the terminal (agent_tui/app/frame_diff.py): whatever frames Textual
writes, a terminal fed the diffed stream ends up showing exactly what one fed the whole stream
shows, and an unchanged frame costs nothing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_tui.app.frame_diff import ScreenMemory, cells_of

_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
WIDTH, HEIGHT = 12, 4


def terminal(stream: str) -> dict[tuple[int, int], tuple[str, str]]:
    """A small terminal: the cells each addressed piece paints (wide characters take two)."""
    screen: dict[tuple[int, int], tuple[str, str]] = {}
    pieces = _MOVE.split(re.sub(r"\x1b\[\?2026[hl]", "", stream))
    for index in range(1, len(pieces), 3):
        row, column, text = int(pieces[index]), int(pieces[index + 1]), pieces[index + 2]
        cells = cells_of(text.rstrip("\n"))
        assert cells is not None, repr(text)
        for offset, cell in enumerate(cells):
            screen[(row, column + offset)] = cell
    return screen


def piece(row: int, column: int, runs: list[tuple[str, str]]) -> str:
    return f"\x1b[{row};{column}H" + "".join(
        (f"\x1b[{style}m{text}\x1b[0m" if style else text) for style, text in runs)


_runs = st.lists(st.tuples(st.sampled_from(["", "1", "38;5;32", "48;5;233", "1;38;5;214"]),
                           st.text(alphabet="ab 李▔x", min_size=1, max_size=4)),
                 min_size=1, max_size=3)
_frame = st.lists(st.tuples(st.integers(1, HEIGHT), st.integers(1, WIDTH), _runs), max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(_frame, min_size=1, max_size=8))
def test_the_diffed_stream_leaves_the_terminal_as_the_whole_stream_does(frames):
    memory = ScreenMemory()
    whole = diffed = ""
    for frame in frames:
        data = "\x1b[?2026h" + "\n".join(piece(*part) for part in frame) + "\x1b[2;3H"
        whole += data
        diffed += memory.filter(data, (80, 24))
    assert terminal(diffed) == terminal(whole)
    assert len(diffed) <= len(whole) + 16 * len(frames)


def test_an_unchanged_frame_costs_only_the_cursor_and_a_changed_cell_only_itself():
    memory = ScreenMemory()
    frame = (piece(2, 1, [("38;5;32", "▔" * 20)]) + "\n"
             + piece(3, 1, [("", "  13"), ("48;5;233", " " * 16)]) + "\x1b[3;5H")
    assert memory.filter(frame, (80, 24)) == frame.replace("\n", "")
    assert memory.filter(frame, (80, 24)) == "\x1b[3;5H"
    typed = frame.replace("  13", "  138").replace(" " * 16, " " * 15)
    assert memory.filter(typed, (80, 24)) == "\x1b[3;5H8\x1b[3;5H"


def test_what_it_cannot_follow_makes_it_forget():
    memory = ScreenMemory()
    frame = piece(1, 1, [("1", "agent-tui")])
    memory.filter(frame, (80, 24))
    assert memory.filter("\x1b[?1049h", (80, 24)) == "\x1b[?1049h"  # the alternate screen
    assert memory.filter(frame, (80, 24)) == frame  # written again, whole
    assert memory.filter(frame, (100, 30)) == frame  # resized: written again
    title = "\x1b[1;1H\x1b]0;title\x07"
    assert memory.filter(title, (100, 30)) == title
    assert memory.filter(frame, (100, 30)) == frame  # that row was forgotten


def test_a_new_row_is_written_in_one_style_run_per_style_and_moves_to_nowhere_are_dropped():
    memory = ScreenMemory()
    zebra = "38;5;253;48;5;233"
    row = piece(7, 1, [(zebra, " 张*   "), (zebra, " 186****5140 "), ("1;38;5;197;48;5;233", "R4"),
                       (zebra, " •••• 1861 ")])
    frame = row + "\x1b[7;79H\n\x1b[8;79H\x1b[3;17H\x1b[3;17H"
    written = memory.filter(frame, (80, 24))
    assert written == (f"\x1b[7;1H\x1b[{zebra}m 张*    186****5140 \x1b[0;1;38;5;197;48;5;233mR4"
                       f"\x1b[0;{zebra}m •••• 1861 \x1b[0m\x1b[3;17H")
    assert terminal(written) == terminal(frame)
    assert len(written) < len(frame) - 30
