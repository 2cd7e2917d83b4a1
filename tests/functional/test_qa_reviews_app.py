"""The agent's QA reviews on a real hub, driven by keys: a review of their call reaches the
screen at the next sync (shift+F4), a dispute without a reason is refused and loses nothing, and
one with its reason reaches the hub at once."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from agent_tui.hub.database import reading
from agent_tui.hub.qa_schema import qa_reviews
from screens.qa_reviews import QaReviewsScreen
from screens.widgets.textual_private import notifications
from tests.functional.test_hub_qa import LOCKED_CALL, _as, _record, _reviewer_marks
from tests.functional.test_sync_app import _config, station  # noqa: F401 (a fixture)
from tests.screen import wait_for, wait_for_screen

pytestmark = pytest.mark.slow


def _held(store) -> int:
    with sqlite3.connect(store) as connection:
        return connection.execute("SELECT count(*) FROM qa_reviews").fetchone()[0]


def _status(hub) -> tuple[str, str] | None:
    with reading(hub.engine) as connection:
        found = connection.execute(select(qa_reviews.c.status, qa_reviews.c.reason).where(
            qa_reviews.c.id == "qa-app")).first()
    return tuple(found) if found else None


async def test_the_agent_reads_a_review_and_disputes_it_with_a_reason(hub, station, make_app):  # noqa: F811
    app = make_app(station, config=_config(station, hub.url, hub.token("A1024")))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.sync_status and app.sync_status.last_sync, 20)
        now = datetime.now().replace(microsecond=0)
        _record(hub, "A1024", "call-app", now - timedelta(minutes=5), LOCKED_CALL)
        prefill = _as(hub, "S1001", "GET", "/v1/qa/calls/call-app").json()["prefill"]
        assert _as(hub, "S1001", "POST", "/v1/qa/reviews", json={
            "id": "qa-app", "call_id": "call-app",
            "marks": _reviewer_marks(prefill, missed="courtesy.polite")}).status_code == 200

        await pilot.press("f5")
        await wait_for(pilot, lambda: _held(station) == 1, 20)
        await pilot.press("shift+f4")
        screen = await wait_for_screen(pilot, QaReviewsScreen)
        await wait_for(pilot, lambda: [review.id for review in screen.reviews] == ["qa-app"])

        await pilot.press("f8")  # no reason typed: refused, nothing sent
        await wait_for(pilot, lambda: any("Say why" in str(note.message)
                                          for note in notifications(app)))
        assert _status(hub) == ("open", "")

        await pilot.click("#qa-reason")
        await pilot.press(*"客户已核实")
        await pilot.press("f8")
        await wait_for(pilot, lambda: _status(hub) == ("disputed", "客户已核实"), timeout=20)
