"""Reassessments with a real hub (issue 18): the hub counts the limits on its own records, so a
reassessment this workstation allowed (it knew of none today) is refused there with the rule,
kept among the refusals (shift+F5) with the reason in the agent's language; and another agent's
reassessment reaches an open products screen with the next sync."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from agent_tui.hub.mutations import insert_if_absent
from agent_tui.hub.suitability_schema import risk_assessments
from agent_tui.store import reassessment
from screens.conflicts import ConflictsScreen
from tests.call_driver import a_caller
from tests.functional.test_products import open_products
from tests.functional.test_reassess import QUESTIONNAIRE, open_form
from tests.functional.test_sync_app import _config, station  # noqa: F401 (a fixture)
from tests.screen import wait_for, wait_for_screen
from tests.workstation import Workstation

pytestmark = pytest.mark.slow


def _conflicts(store) -> list[tuple[str, str]]:
    return sqlite3.connect(store).execute(
        "SELECT name, reason FROM sync_conflicts WHERE name = 'suitability.assess'").fetchall()


async def test_the_hub_refuses_a_third_today_the_workstation_did_not_know_of(
        hub, station, make_app):  # noqa: F811
    caller = a_caller(station, offset=3)
    with hub.engine.begin() as connection:  # two today, recorded on the hub only
        for number in range(2):
            insert_if_absent(connection, risk_assessments, {
                "id": f"ra-hub-{number}", "customer_id": caller.id, "level": "C2",
                "assessed_at": (datetime.now() - timedelta(minutes=number + 1)).isoformat(
                    timespec="seconds"), "answers_version": QUESTIONNAIRE.version})
    app = make_app(station, "zh-CN", config=_config(station, hub.url, hub.token("A1024")))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.sync_status and app.sync_status.last_sync, 20)
        await open_form(pilot, caller)
        await pilot.press(*"a" * len(QUESTIONNAIRE.questions), "ctrl+s")
        await wait_for(pilot, lambda: _conflicts(station), timeout=20)
        await pilot.press("shift+f5")
        conflicts = await wait_for_screen(pilot, ConflictsScreen)
        await wait_for(pilot, lambda: conflicts.conflicts)
        assert "客户今天的重新评估次数已用完" in conflicts.why(conflicts.conflicts[0])
    assert _conflicts(station) == [("suitability.assess", "suitability_reassess_per_day")]
    connection = sqlite3.connect(station)
    assert reassessment.pending(connection, caller.id) == []  # refused: no longer shown


async def test_another_agents_reassessment_reaches_the_open_products_screen(
        hub, station, make_app, tmp_path):  # noqa: F811
    other = Workstation(tmp_path / "other", "A2048", hub.token("A2048"))
    customer = other.customer(4)
    app = make_app(station, config=_config(station, hub.url, hub.token("A1024")))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.sync_status and app.sync_status.last_sync, 20)
        screen = await open_products(pilot, customer)
        before = screen.assessment
        reassessment.queue_assessment(
            other.connection, customer_id=customer, version=QUESTIONNAIRE.version, level="C5",
            answers={q.id: "ABCDEF"[len(q.options) - 1] for q in QUESTIONNAIRE.questions},
            agent_id="A2048", at=datetime.now())
        assert other.sync(hub.url).ok
        await pilot.press("f5")  # the next sync: the pull brings it, the screen reads again
        await wait_for(pilot, lambda: screen.assessment != before, timeout=20)
        assert (screen.assessment.level, screen.assessment.pending) == ("C5", False)
    other.close()
