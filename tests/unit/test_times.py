"""Times and durations as the agent reads them: one function per use, in agent_tui/domain/times.py,
and no screen that formats a time itself."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from agent_tui.domain import times

AT = datetime(2026, 12, 3, 7, 31, 59)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("at", [AT, "2026-12-03T07:31:59"], ids=["datetime", "stored text"])
def test_a_moment_reads_the_same_from_either_form(at):
    assert times.stamp(at) == "2026-12-03 07:31"
    assert times.short_stamp(at) == "12-03 07:31"
    assert times.time_of_day(at) == "07:31"


def test_a_damaged_stored_time_is_shown_not_raised():
    assert times.stamp("not a time") == "not a time"
    assert times.short_stamp("") == ""


def test_what_the_agent_types_reads_back():
    assert times.parse_stamp(times.stamp(AT)) == AT.replace(second=0)
    with pytest.raises(ValueError):
        times.parse_stamp("tomorrow")


def test_file_stamp():
    assert times.file_stamp(AT) == "20261203-073159"


@pytest.mark.parametrize("delta, shown", [
    (timedelta(minutes=45), "0h45m"), (timedelta(days=1, hours=2, minutes=3), "1d 2h03m"),
    (-timedelta(hours=3, seconds=30), "3h00m"),
])
def test_time_left(delta, shown):
    assert times.time_left(delta) == shown


@pytest.mark.parametrize("delta, shown", [
    (timedelta(seconds=247), "04:07"), (timedelta(seconds=-5), "00:00"),
    (timedelta(minutes=125), "125:00"),
])
def test_call_timer(delta, shown):
    assert times.call_timer(delta) == shown


_FORMATTING = re.compile(r"strftime|strptime|\[(?:5|11)?:16\]|\.replace\(\s*[\"']T[\"']")


def test_screens_and_the_app_format_no_time_themselves():
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder in ("screens", "agent_tui/app")
             for path in sorted((ROOT / folder).rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if _FORMATTING.search(line)]
    assert found == [], "use a function of agent_tui/domain/times.py"
    assert _FORMATTING.search("note.at[5:16].replace('T', ' ')")  # it would see one
