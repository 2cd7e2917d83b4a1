"""The screen pop's rules (agent_tui.domain.cti): what a ring shows, the number as searched and
as shown, which events belong to the ringing call."""

from __future__ import annotations

from datetime import datetime

import pytest

from agent_tui.domain.cti import PopKind, Ring, pop_kind, search_text, shown_number

AT = datetime(2026, 11, 23, 10, 0)


@pytest.mark.parametrize("matches, kind", [(0, PopKind.UNKNOWN), (1, PopKind.CUSTOMER),
                                           (2, PopKind.SEVERAL), (50, PopKind.SEVERAL)])
def test_what_a_ring_shows_depends_on_how_many_have_the_number(matches, kind):
    assert pop_kind(matches) is kind
    assert Ring("e1", "13812345678", AT, matches=[f"C{i}" for i in range(matches)]).kind is kind


@pytest.mark.parametrize("caller, searched", [
    ("13812345678", "13812345678"), ("+8613812345678", "13812345678"),
    ("008613812345678", "13812345678"), (" 13812345678 ", "13812345678"),
    ("01065432100", "01065432100"),  # a Beijing landline: as it came
    ("", ""),  # withheld
])
def test_the_number_is_searched_as_the_agent_would_type_it(caller, searched):
    assert search_text(caller) == searched


def test_the_number_on_a_banner_is_masked():
    assert shown_number("+8613812345678") == "138****5678"
    assert shown_number("") == ""


@pytest.mark.parametrize("ring_call, event_call, same", [
    ("", "", True), ("", "CALL-1", True), ("CALL-1", "", True), ("CALL-1", "CALL-1", True),
    ("CALL-1", "CALL-2", False)])
def test_an_event_belongs_to_the_ring_of_its_call(ring_call, event_call, same):
    assert Ring("e1", "13812345678", AT, ring_call).same_call(event_call) is same
