"""The hub's routes for training data (issue 15): the trainer's report (trainees x scenarios) and
one attempt, for its replay. Read by a trainer's token only: agents and supervisors are refused
(``trainers_only``), as a trainer's token is refused every real customer (``training_only``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from agent_tui.hub import training, wire
from agent_tui.hub.auth import Principal
from agent_tui.hub.http import ERRORS, Caller, HubError
from agent_tui.hub.http_guard import StrictRoute
from agent_tui.sync.protocol import TrainingAttemptReply, TrainingReport

router = APIRouter(route_class=StrictRoute)
AttemptId = Annotated[str, Path(min_length=1, max_length=64)]
Team = Annotated[str | None, Query(max_length=64)]


def _trainer(caller: Principal) -> None:
    if caller.role != "trainer":
        raise HubError(403, "trainers_only", "training reports are read with a trainer's token")


@router.get("/v1/training/report", responses={200: wire.content(TrainingReport), **ERRORS})
def training_report(caller: Caller, request: Request, team: Team = None) -> Response:
    """Every trainee's attempts per scenario (of one team if asked): attempts, last and best
    score, passed ever, and the last attempt's id (for its replay)."""
    _trainer(caller)
    return wire.reply(TrainingReport(rows=training.report(request.app.state.engine, team)))


@router.get("/v1/training/attempts/{attempt_id}",
            responses={200: wire.content(TrainingAttemptReply), **ERRORS, **wire.errors(404)})
def training_attempt(attempt_id: AttemptId, caller: Caller, request: Request) -> Response:
    """One attempt's whole record (transcript, events, scores), for the trainer's replay."""
    _trainer(caller)
    found = training.attempt(request.app.state.engine, attempt_id)
    if found is None:
        raise HubError(404, "unknown_attempt")
    trainee, team, record = found
    return wire.reply(TrainingAttemptReply(trainee=trainee, team=team, record=record))
