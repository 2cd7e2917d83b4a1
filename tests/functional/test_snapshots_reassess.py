"""Snapshots of the reassessment form (F6 on the products screen, issue 18): a verified caller
whose assessment has expired, three questions answered, the fourth highlighted with its options;
at 80x24 in both languages, and at 120x40 with every question answered (the score and the level).
Look at each SVG before accepting it (tests/functional/__snapshots__/test_snapshots_reassess/)."""

from __future__ import annotations

import pytest

from tests.functional.test_reassess import QUESTIONNAIRE, expired_caller, open_form
from tests.screen import settled

pytestmark = pytest.mark.xdist_group("snapshots")
SMALL, LARGE = (80, 24), (120, 40)


def _snap(snap_compare, app, size, run_before) -> None:
    async def run_then_settle(pilot) -> None:
        await run_before(pilot)
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_then_settle)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_reassess_in_progress(snap_compare, writable_store, make_app, language):
    caller = expired_caller(writable_store)

    async def run_before(pilot) -> None:
        await open_form(pilot, caller)
        await pilot.press("b", "c", "b")

    _snap(snap_compare, make_app(writable_store, language), SMALL, run_before)


def test_reassess_answered_120x40(snap_compare, writable_store, make_app):
    caller = expired_caller(writable_store)
    answers = "bcbcdcbcbc"[:len(QUESTIONNAIRE.questions)]

    async def run_before(pilot) -> None:
        await open_form(pilot, caller)
        await pilot.press(*answers)

    _snap(snap_compare, make_app(writable_store, "en"), LARGE, run_before)
