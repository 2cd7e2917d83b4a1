"""The hub's routes for training data (issue 15): the trainer's report (trainees x scenarios) and
one attempt, for its replay. Read by a trainer's token only: agents and supervisors are refused
(``trainers_only``), as a trainer's token is refused every real customer (``training_only``).

A trainer reads the trainees of their own team(s) only, the ones their token names (``team``,
"T1,T2" for several): asking for another team is refused (``other_team``), an attempt of another
team is as unknown as one never sent, and a trainer's token that names no team reads nothing
(``no_team``: the administrator issues it again with ``--team``)."""

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


def _trainer(caller: Principal) -> frozenset[str]:
    """The teams whose training data ``caller`` reads (refused if none)."""
    if caller.role != "trainer":
        raise HubError(403, "trainers_only", "training reports are read with a trainer's token")
    if not caller.teams:
        raise HubError(403, "no_team", "this trainer's token names no team: issue it again "
                                       "with --team")
    return caller.teams


@router.get("/v1/training/report", responses={200: wire.content(TrainingReport), **ERRORS})
def training_report(caller: Caller, request: Request, team: Team = None) -> Response:
    """The trainees' attempts per scenario, of the trainer's teams (or of one of them, if
    asked): attempts, last and best score, passed ever, and the last attempt's id (for its
    replay)."""
    teams = _trainer(caller)
    if team is not None:
        if team not in teams:
            raise HubError(403, "other_team", "a trainer reads the trainees of their own teams")
        teams = frozenset({team})
    return wire.reply(TrainingReport(rows=training.report(request.app.state.engine, teams),
                                     teams=sorted(teams)))


@router.get("/v1/training/attempts/{attempt_id}",
            responses={200: wire.content(TrainingAttemptReply), **ERRORS, **wire.errors(404)})
def training_attempt(attempt_id: AttemptId, caller: Caller, request: Request) -> Response:
    """One attempt's whole record (transcript, events, scores), for the trainer's replay."""
    teams = _trainer(caller)
    found = training.attempt(request.app.state.engine, attempt_id)
    if found is None or found[1] not in teams:  # another team's: not the trainer's to know of
        raise HubError(404, "unknown_attempt")
    trainee, team, record = found
    return wire.reply(TrainingAttemptReply(trainee=trainee, team=team, record=record))
