"""agent_tui.app.header: the header's line in the longest form that fits, never cut."""

from __future__ import annotations

from agent_tui.app.header import HEADER_SIDES, fitted_title
from agent_tui.domain.line_break import width_of

TITLE = "agent-tui · remote banking"
LINE = "李娜 · staff no. 1024 · on a call (ctrl+n) · ● online · 3 waiting · synced 09:58"
SHORT = "李娜 · 1024 · on call · ● online · 3 waiting"


def test_wide_enough_the_whole_line():
    assert fitted_title(200, TITLE, LINE, lambda: SHORT).plain == f"{TITLE} — {LINE}"


def test_at_120_during_a_call_the_agent_line_without_the_title():
    shown = fitted_title(120, TITLE, LINE, lambda: SHORT).plain
    assert shown == LINE
    assert width_of(shown) <= 120 - HEADER_SIDES  # beside the icon and the clock


def test_at_80_the_short_form():
    assert fitted_title(80, TITLE, LINE, lambda: SHORT).plain == SHORT


def test_no_agent_the_title_alone():
    assert fitted_title(80, TITLE, "", lambda: "").plain == TITLE
