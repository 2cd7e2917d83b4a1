"""The hub's routes for QA review (issue 17): the week's sample, a call's record with the rubric
prefilled, a review, and two reviewers' agreement. A team's supervisor reviews; the reviewed agent
reads the call's record and their reviews (and answers them through sync, ``qa.reply``). The
decisions are in ``qa``; this only speaks HTTP."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path, Query, Request, Response

from agent_tui.hub import qa, wire
from agent_tui.hub.database import reading
from agent_tui.hub.http import ERRORS, Caller, HubError, body
from agent_tui.hub.http_guard import StrictRoute
from agent_tui.sync.protocol import QaCalibration, QaCallRecord, QaReview, QaReviewRequest, QaSample

router = APIRouter(route_class=StrictRoute)
CallId = Annotated[str, Path(min_length=1, max_length=64)]
_REFUSALS = {**ERRORS, **wire.errors(404, 409)}


def _lead(caller) -> None:
    if caller.role != "supervisor" or not caller.team:
        raise HubError(403, "supervisors_only", "QA review is a team supervisor's")


def _refused(error: qa.QaRefused) -> HubError:
    return HubError(error.status, error.reason)


@router.get("/v1/qa/sample", responses={200: wire.content(QaSample), **_REFUSALS})
def sample(caller: Caller, request: Request,
           week: Annotated[date | None, Query()] = None) -> Response:
    """The team's calls to review in the week of ``week`` (this week by default)."""
    _lead(caller)
    day = week or request.app.state.clock().date()
    monday = day - timedelta(days=day.weekday())
    with reading(request.app.state.engine) as connection:
        calls = qa.sample(connection, caller.team, monday)
    return wire.reply(QaSample(monday.isoformat(), calls))


@router.get("/v1/qa/calls/{call_id}", responses={200: wire.content(QaCallRecord), **_REFUSALS})
def call_record(call_id: CallId, caller: Caller, request: Request) -> Response:
    """The call's record, the rubric prefilled from its events, the reviews one may see."""
    if not caller.real_data:
        raise HubError(403, "training_only", "training data only")
    try:
        with reading(request.app.state.engine) as connection:
            found = qa.call_record(connection, caller, call_id)
    except qa.QaRefused as error:
        raise _refused(error) from None
    return wire.reply(msgspec.convert(found, QaCallRecord))


@router.post("/v1/qa/reviews", responses={200: wire.content(QaReview), **_REFUSALS},
             openapi_extra=wire.request(QaReviewRequest))
def review(payload: Annotated[QaReviewRequest, body(QaReviewRequest)], caller: Caller,
           request: Request) -> Response:
    """A review of one of the team's calls, scored here with the training rubric and scorer
    from the reviewer's marks; audited, and sent to the agent at their next sync."""
    _lead(caller)
    state = request.app.state
    try:
        with state.engine.begin() as connection:
            saved = qa.save_review(connection, caller, payload.id, payload.call_id,
                                   payload.marks, payload.calibration, state.clock())
    except qa.QaRefused as error:
        raise _refused(error) from None
    return wire.reply(saved)


@router.get("/v1/qa/calibration/{call_id}",
            responses={200: wire.content(QaCalibration), **_REFUSALS})
def calibration(call_id: CallId, caller: Caller, request: Request) -> Response:
    """Two reviewers' agreement on the call, per item and overall (once the caller scored it)."""
    _lead(caller)
    try:
        with reading(request.app.state.engine) as connection:
            found = qa.calibration(connection, caller, call_id)
    except qa.QaRefused as error:
        raise _refused(error) from None
    return wire.reply(msgspec.convert(found, QaCalibration))
