"""The hub's QA queries on SQLite and PostgreSQL alike (hub/qa.py on the KPI tests' hand-counted
hub): the week's sample, a review saved and read back (blind to a second reviewer until they
have scored), and the calibration of two reviewers."""

from __future__ import annotations

from datetime import datetime

import pytest

from agent_tui.domain.qa_review import Mark
from agent_tui.hub import qa
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import reading
from tests.functional.test_hub_kpi import WEEK, cluster, hub_engine  # noqa: F401 (fixtures)

FIRST, SECOND = Principal("S1", "supervisor", "T1"), Principal("S2", "supervisor", "T1")
AT = datetime(2026, 11, 10, 12, 0)


def _marks(engine, missed: str = "") -> dict[str, Mark]:
    with reading(engine) as connection:
        prefill = qa.call_record(connection, FIRST, "c3")["prefill"]
    return {item: Mark(0.0, "生硬") if item == missed else Mark(1.0)
            for item, fraction in prefill.items() if fraction is None}


def test_sample_review_and_calibration(hub_engine):  # noqa: F811
    with reading(hub_engine) as connection:
        sample = qa.sample(connection, "T1", WEEK[0])
    assert {call.call_id: call.reasons for call in sample} == {
        "c1": (), "c2": (), "c3": ("lockout",), "c4": ()}
    with hub_engine.begin() as connection:
        first = qa.save_review(connection, FIRST, "r1", "c3", _marks(hub_engine), True, AT)
    with reading(hub_engine) as connection:
        assert qa.call_record(connection, SECOND, "c3")["reviews"] == []  # blind
        with pytest.raises(qa.QaRefused):
            qa.calibration(connection, SECOND, "c3")
    with hub_engine.begin() as connection:
        qa.save_review(connection, SECOND, "r2", "c3", _marks(hub_engine, "courtesy.polite"),
                       True, AT)
    with reading(hub_engine) as connection:
        seen = qa.call_record(connection, SECOND, "c3")["reviews"]
        found = qa.calibration(connection, SECOND, "c3")
    assert [review.id for review in seen] == ["r1", "r2"]
    assert seen[0].score == first.score
    items = len(first.marks)
    assert [item for item, same in found["items"].items() if not same] == ["courtesy.polite"]
    assert found["overall"] == round(100 * (items - 1) / items, 1)
    with reading(hub_engine) as connection, pytest.raises(qa.QaRefused):
        qa.call_record(connection, Principal("S9", "supervisor", "T2"), "c3")
