"""QA review on a real hub (issue 17): the week's sample (every lockout, the rest drawn), a call's
record with the rubric prefilled from its events, a review scored by the training scorer from the
reviewer's marks, synced to the agent, who disputes it with a reason (synced back, audited), and
two reviewers' blind calibration with their agreement per item and overall."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from agent_tui.domain import qa_review, scoring
from agent_tui.domain.qa_review import QaEvent
from agent_tui.hub.database import reading
from agent_tui.hub.qa import rubric
from agent_tui.hub.qa_schema import qa_reviews
from agent_tui.hub.schema import audit_log
from agent_tui.store import qa as local_qa
from agent_tui.store.cases import CaseError
from tests.hub_process import raw_push, register_device
from tests.workstation import Workstation

pytestmark = pytest.mark.slow


def _record(hub, agent: str, call_id: str, started: datetime, events: list) -> None:
    token = hub.token(agent)
    rows = [[(started + timedelta(seconds=second)).isoformat(timespec="seconds"), kind, stage,
             step, detail] for second, kind, stage, step, detail in events]
    reply = raw_push(hub, token, register_device(hub, token), [{
        "seq": 1, "mutation_id": f"rec-{call_id}", "name": "call.record", "args": {
            "call_id": call_id, "started_at": started.isoformat(timespec="seconds"),
            "first_event": 0, "events": rows, "request_type": "consultation",
            "ended_at": (started + timedelta(seconds=300)).isoformat(timespec="seconds")}}])
    assert reply.json()["results"][0]["status"] == "applied", reply.text


LOCKED_CALL = [(0, "stage_entered", "greeting", "", {}),
               (5, "step_ticked", "greeting", "greeting.greet", {}),
               (40, "verification", "verification", "", {"status": "locked"}),
               (60, "forbidden_caught", "handling", "", {"rule": "r1", "word": "保证"}),
               (290, "call_ended", "closing", "", {})]


def _as(hub, who: str, method: str, path: str, **kwargs) -> httpx.Response:
    token = hub.token(who, "supervisor", "T1") if who.startswith("S") else hub.token(who)
    return httpx.request(method, f"{hub.url}{path}", headers={
        "Authorization": f"Bearer {token}"}, timeout=20, **kwargs)


def _reviewer_marks(prefill: dict, missed: str = "") -> dict[str, dict]:
    return {item: ({"fraction": 0.0, "comment": "语气生硬"} if item == missed
                   else {"fraction": 1.0}) for item, fraction in prefill.items()
            if fraction is None}


def test_a_call_is_sampled_reviewed_with_the_training_scorer_and_disputed(hub, tmp_path):
    now = datetime.now().replace(microsecond=0)
    _record(hub, "A1024", "call-locked", now - timedelta(minutes=30), LOCKED_CALL)
    _record(hub, "A1024", "call-plain", now - timedelta(minutes=20), LOCKED_CALL[:2])
    station = Workstation(tmp_path / "a1024", "A1024", hub.token("A1024"))
    try:
        station.sync(hub.url)  # in service: its feed's cursor stands before the review
        sample = _as(hub, "S1001", "GET", "/v1/qa/sample").json()
        reasons = {call["call_id"]: call["reasons"] for call in sample["calls"]}
        assert reasons == {"call-locked": ["lockout"], "call-plain": []}

        record = _as(hub, "S1001", "GET", "/v1/qa/calls/call-locked").json()
        assert [event["kind"] for event in record["events"]] == [e[1] for e in LOCKED_CALL]
        prefill = record["prefill"]
        assert prefill["opening.greet"] == 1.0 and prefill["verification.result"] == 0.0
        assert prefill["compliance.no_forbidden"] == 0.5  # one catch: half its points
        assert prefill["compliance.disclosure"] is None  # what was said: the reviewer's

        marks = _reviewer_marks(prefill, missed="courtesy.polite")
        no_comment = {**marks, "courtesy.polite": {"fraction": 0.0}}
        refused = _as(hub, "S1001", "POST", "/v1/qa/reviews", json={
            "id": "qa-1", "call_id": "call-locked", "marks": no_comment})
        assert (refused.status_code, refused.json()["error"]) == (400, "marks_missing")
        saved = _as(hub, "S1001", "POST", "/v1/qa/reviews", json={
            "id": "qa-1", "call_id": "call-locked", "marks": marks})
        assert saved.status_code == 200, saved.text

        # The same scorer as training, on the same events, with the reviewer's marks given.
        events = [QaEvent(**event) for event in record["events"]]
        expected = qa_review.expected_for("consultation", "locked")
        trained = scoring.score(rubric(), events, (), expected, "en", given={
            item: mark["fraction"] for item, mark in marks.items()})
        review = saved.json()
        assert (review["score"], review["compliance"], review["fatal"]) == (
            trained.score, trained.compliance, list(trained.fatal))
        assert review["marks"]["courtesy.polite"] == {"fraction": 0.0, "comment": "语气生硬"}
        assert review["marks"]["verification.result"]["fraction"] == 0.0  # prefilled, kept

        station.sync(hub.url)
        [held] = local_qa.reviews(station.connection, "A1024")
        assert (held.id, held.score, held.status) == ("qa-1", trained.score, "open")
        fresh = Workstation(tmp_path / "a1024-new", "A1024", hub.token("A1024"))
        try:  # set up after the review (an empty cursor): it comes with the snapshot
            fresh.sync(hub.url)
            assert [review.id for review in local_qa.reviews(fresh.connection, "A1024")] == ["qa-1"]
        finally:
            fresh.close()
        with pytest.raises(CaseError) as no_reason:
            local_qa.answer(station.connection, "qa-1", "disputed", "  ", "A1024", now)
        assert no_reason.value.key == "qa.dispute_needs_reason"
        local_qa.answer(station.connection, "qa-1", "disputed", "客户已核实身份", "A1024", now)
        station.sync(hub.url)
        assert station.waiting() == 0
        with reading(hub.engine) as connection:
            answered = connection.execute(select(qa_reviews.c.status, qa_reviews.c.reason).where(
                qa_reviews.c.id == "qa-1")).one()
            audited = connection.execute(select(audit_log.c.agent_id, audit_log.c.action).where(
                audit_log.c.action.like("qa.%"))).all()
        assert tuple(answered) == ("disputed", "客户已核实身份")
        assert sorted(map(tuple, audited)) == [  # the hub's lines, and the agent's own
            ("A1024", "qa.answered"), ("A1024", "qa.disputed"), ("S1001", "qa.review")]
    finally:
        station.close()


def test_two_reviewers_calibrate_blind(hub, tmp_path):
    now = datetime.now().replace(microsecond=0)
    _record(hub, "A1025", "call-cal", now - timedelta(minutes=10), LOCKED_CALL)
    prefill = _as(hub, "S1001", "GET", "/v1/qa/calls/call-cal").json()["prefill"]
    first = _reviewer_marks(prefill)
    second = _reviewer_marks(prefill, missed="courtesy.polite")
    assert _as(hub, "S1001", "POST", "/v1/qa/reviews", json={
        "id": "cal-1", "call_id": "call-cal", "marks": first, "calibration": True}
        ).status_code == 200
    # Blind: the second reviewer sees neither the first's score nor the agreement yet.
    assert _as(hub, "S1002", "GET", "/v1/qa/calls/call-cal").json()["reviews"] == []
    early = _as(hub, "S1002", "GET", "/v1/qa/calibration/call-cal")
    assert (early.status_code, early.json()["error"]) == (409, "not_calibrated")
    assert _as(hub, "S1002", "POST", "/v1/qa/reviews", json={
        "id": "cal-2", "call_id": "call-cal", "marks": second, "calibration": True}
        ).status_code == 200
    found = _as(hub, "S1002", "GET", "/v1/qa/calibration/call-cal").json()
    applying = len(prefill)
    assert found["reviewers"] == ["S1001", "S1002"]
    assert [item for item, same in found["items"].items() if not same] == ["courtesy.polite"]
    assert found["overall"] == round(100 * (applying - 1) / applying, 1)
    assert found["target"] == 85.0
    # A calibration score is the reviewers': the agent's own reading shows none.
    assert _as(hub, "A1025", "GET", "/v1/qa/calls/call-cal").json()["reviews"] == []
