"""The reviewer's QA screens on a real hub, driven by keys (issue 17): a team supervisor opens the
week's sample (shift+F8), a call's record (Enter) and its scoring form (F7); a mark below 1 with no
comment is refused on the workstation with a message and loses nothing; with the comment the
review reaches the hub with the score the training scorer gives. Two reviewers calibrate (the
second with F8, blind) and the agreement shows on the record."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from agent_tui.config import AgentSection, Config, HubSection, StoreSection, UISection
from agent_tui.domain import qa_review, scoring
from agent_tui.hub.database import reading
from agent_tui.hub.qa import rubric
from agent_tui.hub.qa_schema import qa_reviews
from screens.qa_call import QaCallScreen
from screens.qa_sample import QaSampleScreen
from screens.qa_score import QaScoreScreen
from screens.widgets.textual_private import notifications
from tests.functional.test_hub_qa import LOCKED_CALL, _as, _record, _reviewer_marks
from tests.functional.test_sync_app import station  # noqa: F401 (a fixture)
from tests.screen import wait_for, wait_for_screen

pytestmark = pytest.mark.slow
MISSED = "courtesy.polite"


def _lead(store, hub, lead: str) -> Config:
    return Config(agent=AgentSection(id=lead, name="周组长", staff_number=lead[1:]),
                  store=StoreSection(path=str(store)),
                  ui=UISection(mouse=False, cursor_blink=False),
                  hub=HubSection(url=hub.url, token=hub.token(lead, "supervisor", "T1"),
                                 interval_seconds=3600))


def _reviews(hub, call_id: str) -> list:
    with reading(hub.engine) as connection:
        return connection.execute(select(qa_reviews).where(
            qa_reviews.c.call_id == call_id).order_by(qa_reviews.c.created_at)).all()


async def _open_the_form(pilot, call_id: str, key: str) -> QaScoreScreen:
    await pilot.press("shift+f8")
    sample = await wait_for_screen(pilot, QaSampleScreen)
    await wait_for(pilot, lambda: sample.sample is not None
                   and [call.call_id for call in sample.sample.calls] == [call_id], 20)
    await pilot.press("enter")
    record = await wait_for_screen(pilot, QaCallScreen)
    await wait_for(pilot, lambda: record.record is not None and record.rubric is not None, 20)
    await pilot.press(key)
    return await wait_for_screen(pilot, QaScoreScreen)


async def _mark(pilot, form: QaScoreScreen, missed: str, comment: str = "") -> None:
    """Every item of the reviewer's 1 (keys, row by row); ``missed`` 0 with ``comment``."""
    for item in form.form.items:
        if form.form.fractions[item] is None:
            await pilot.press("0" if item == missed else "1")
            if item == missed:
                assert form.focused.id == "qa-comment"  # a mark not earned asks why
                await pilot.press(*comment, "enter")  # then back to the list
        await pilot.press("down")


async def test_a_supervisor_scores_a_sampled_call_and_a_bad_entry_loses_nothing(
        hub, station, make_app):  # noqa: F811
    now = datetime.now().replace(microsecond=0)
    _record(hub, "A1024", "call-desk", now - timedelta(minutes=5), LOCKED_CALL)
    app = make_app(station, config=_lead(station, hub, "S1001"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        form = await _open_the_form(pilot, "call-desk", "f7")
        await _mark(pilot, form, MISSED)
        assert form.form.unmarked() == [] and form.form.uncommented() == [MISSED]

        await pilot.press("ctrl+s")  # a mark below 1 without a comment: refused here
        await wait_for(pilot, lambda: any("no comment" in str(note.message)
                                          for note in notifications(app)))
        assert _reviews(hub, "call-desk") == []
        assert isinstance(app.screen, QaScoreScreen) and form.form.fractions[MISSED] == 0.0
        assert form.highlighted() == MISSED  # the cursor on what is missing

        await pilot.click("#qa-comment")
        await pilot.press(*"语气生硬")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(_reviews(hub, "call-desk")) == 1, 20)
        await wait_for_screen(pilot, QaCallScreen)

    [saved] = _reviews(hub, "call-desk")
    record = _as(hub, "S1001", "GET", "/v1/qa/calls/call-desk").json()
    marks = _reviewer_marks(record["prefill"], missed=MISSED)
    events = [qa_review.QaEvent(**event) for event in record["events"]]
    trained = scoring.score(rubric(), events, (), qa_review.expected_for(record["request_type"], record["verification"]),
                            "en", given={item: mark["fraction"] for item, mark in marks.items()})
    assert (saved.score, saved.reviewer_id, saved.calibration) == (trained.score, "S1001", False)
    assert '"语气生硬"' in saved.marks
    assert form.form.score("en").score == trained.score  # the running score was the hub's


async def test_two_reviewers_calibrate_and_the_agreement_shows(hub, station, make_app):  # noqa: F811
    now = datetime.now().replace(microsecond=0)
    _record(hub, "A1025", "call-cal", now - timedelta(minutes=5), LOCKED_CALL)
    prefill = _as(hub, "S1001", "GET", "/v1/qa/calls/call-cal").json()["prefill"]
    assert _as(hub, "S1001", "POST", "/v1/qa/reviews", json={
        "id": "cal-1", "call_id": "call-cal", "marks": _reviewer_marks(prefill),
        "calibration": True}).status_code == 200
    app = make_app(station, config=_lead(station, hub, "S1002"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        form = await _open_the_form(pilot, "call-cal", "f8")
        assert form.calibration
        await _mark(pilot, form, MISSED, comment="not polite")
        await pilot.press("ctrl+s")
        record = await wait_for_screen(pilot, QaCallScreen)
        await wait_for(pilot, lambda: record.calibration is not None, 20)
        applying = len(prefill)
        assert record.calibration.overall == round(100 * (applying - 1) / applying, 1)
        assert [item for item, same in record.calibration.items.items() if not same] == [MISSED]
        shown = str(record.query_one("#qa-detail").render())
        assert "Calibration S1001 / S1002" in shown and "target 85 %" in shown
    assert [row.calibration for row in _reviews(hub, "call-cal")] == [True, True]


async def test_a_scoring_form_left_half_done_is_back_after_a_restart(hub, station, make_app):  # noqa: F811
    """Nothing a reviewer enters is lost: F3 away from a half-scored form, quit, start again,
    and the same call's form has the marks and the comment back; once the hub has the review,
    the draft is gone."""
    from agent_tui.store import Store, drafts

    now = datetime.now().replace(microsecond=0)
    _record(hub, "A1024", "call-kept", now - timedelta(minutes=5), LOCKED_CALL)
    config = _lead(station, hub, "S1001")
    app = make_app(station, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        form = await _open_the_form(pilot, "call-kept", "f7")
        mine = form.form.unmarked()[0]  # the first item the reviewer marks themselves
        while form.highlighted() != mine:
            await pilot.press("down")
        await pilot.press("0", *"没有问候", "enter")
        assert form.form.draft() == {"marks": {mine: 0.0}, "comments": {mine: "没有问候"}}
        await pilot.press("f3")
        await wait_for_screen(pilot, QaCallScreen)
        await wait_for(pilot, lambda: any("are kept" in str(note.message)
                                          for note in notifications(app)))

    app = make_app(station, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store is not None)
        form = await _open_the_form(pilot, "call-kept", "f7")
        await wait_for(pilot, lambda: form.form.fractions[mine] == 0.0)
        assert form.form.comments[mine] == "没有问候"
        assert any("they are back" in str(note.message) for note in notifications(app))
        await _mark(pilot, form, missed="")  # the rest, as the reviewer left them unmarked
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(_reviews(hub, "call-kept")) == 1, 20)
        await wait_for_screen(pilot, QaCallScreen)

    [saved] = _reviews(hub, "call-kept")
    assert '"没有问候"' in saved.marks
    connection = Store.open(station).connection()
    assert [draft.key for draft in drafts.pending(connection, "S1001")] == []
