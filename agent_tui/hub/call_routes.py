"""The hub's routes for a call's verification, its one-time codes, and the audit supervisors
read. The decisions are in ``identity`` and ``access``; this only speaks HTTP."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Path, Query, Request, Response

from agent_tui.hub import access, identity, wire
from agent_tui.hub.auth import Principal
from agent_tui.hub.http import ERRORS, Caller, HubError, agents_only, body, own_device
from agent_tui.hub.http_guard import StrictRoute
from agent_tui.sync.protocol import (
    CodeChecked,
    CodeRequest,
    CodeSent,
    StepUpRequest,
    Verdict,
    VerifyRequest,
)

router = APIRouter(route_class=StrictRoute)  # bodies, paths and queries checked (http_guard)
CallId = Annotated[str, Path(min_length=1, max_length=64)]
_REFUSALS = {**ERRORS, **wire.errors(404, 409, 429)}


class AuditRows(msgspec.Struct, frozen=True):
    rows: list[dict[str, Any]]


def _worker(request: Request, caller: Principal, device_id: str) -> None:
    agents_only(caller)
    own_device(request, caller, device_id)


def _reply(answer: dict, kind: type) -> Response:
    """The decision, in its struct (the struct is the promise the OpenAPI document makes)."""
    return wire.reply(msgspec.convert(answer, kind))


def _refused(error: identity.CallRefused) -> HubError:
    return HubError(error.status, error.reason)


def _limited(error: access.LimitReached) -> HubError:
    return HubError(429, "rate_limited", error.limit,
                    headers={"Retry-After": str(error.retry_after)})


@router.post("/v1/calls/{call_id}/verification", responses={200: wire.content(Verdict),
                                                            **_REFUSALS},
             openapi_extra=wire.request(VerifyRequest))
def verify(call_id: CallId, payload: Annotated[VerifyRequest, body(VerifyRequest)],
           caller: Caller, request: Request) -> Response:
    """One attempt at this call's identity verification: the hub compares the caller's
    answers; a pass releases the basic tier's values for this call (audited)."""
    _worker(request, caller, payload.device_id)
    state = request.app.state
    try:
        return _reply(identity.verify(state.engine, caller, payload.device_id, call_id,
                                      payload.customer_id, payload.answers,
                                      state.settings.verification, state.settings.limits,
                                      state.clock()), Verdict)
    except identity.CallRefused as error:
        raise _refused(error) from None
    except access.LimitReached as error:
        raise _limited(error) from None


@router.get("/v1/calls/{call_id}/verification",
            responses={200: wire.content(Verdict), **_REFUSALS})
def verification_state(call_id: CallId, caller: Caller, request: Request,
                       device_id: Annotated[str, Query(min_length=1, max_length=64)]
                       ) -> Response:
    """What this call's verification proved, for a call resumed after a restart: a pass is
    released again to the agent and device that earned it (audited as restored)."""
    _worker(request, caller, device_id)
    try:
        return _reply(identity.verification_state(request.app.state.engine, caller, device_id,
                                                  call_id, request.app.state.clock()), Verdict)
    except identity.CallRefused as error:
        raise _refused(error) from None


@router.post("/v1/calls/{call_id}/step-ups", responses={200: wire.content(CodeSent),
                                                        **_REFUSALS},
             openapi_extra=wire.request(StepUpRequest))
def send_code(call_id: CallId, payload: Annotated[StepUpRequest, body(StepUpRequest)],
              caller: Caller, request: Request) -> Response:
    """A one-time code for a sensitive operation on this verified call, sent by the hub to the
    customer's registered mobile."""
    _worker(request, caller, payload.device_id)
    state = request.app.state
    try:
        return _reply(identity.send_code(state.engine, caller, payload.device_id, call_id,
                                         payload.operation, payload.account_id,
                                         state.settings.sms_outbox, state.clock()), CodeSent)
    except identity.CallRefused as error:
        raise _refused(error) from None


@router.post("/v1/step-ups/{step_up_id}/check", responses={200: wire.content(CodeChecked),
                                                           **_REFUSALS},
             openapi_extra=wire.request(CodeRequest))
def check_code(step_up_id: CallId, payload: Annotated[CodeRequest, body(CodeRequest)],
               caller: Caller, request: Request) -> Response:
    """The code the caller read back; a pass releases the full tier and authorises the one
    operation the code was issued for."""
    _worker(request, caller, payload.device_id)
    try:
        return _reply(identity.check_code(request.app.state.engine, caller, payload.device_id,
                                          step_up_id, payload.code, request.app.state.clock()),
                      CodeChecked)
    except identity.CallRefused as error:
        raise _refused(error) from None


def _supervisor(caller: Principal) -> str:
    if caller.role != "supervisor" or not caller.team:
        raise HubError(403, "supervisors_only", "the audit is read by a team's supervisor")
    return caller.team


Since = Annotated[str | None, Query(max_length=32)]
AgentFilter = Annotated[str | None, Query(max_length=64)]
Limit = Annotated[int, Query(ge=1, le=access.AUDIT_LIMIT)]


@router.get("/v1/audit/disclosures", responses={200: wire.content(AuditRows), **ERRORS})
def audit_disclosures(caller: Caller, request: Request, agent_id: AgentFilter = None,
                      customer_id: AgentFilter = None, since: Since = None,
                      limit: Limit = 200) -> Response:
    """Every release of a customer's full values to this supervisor's team: who, device,
    customer, call, tier, fields and when; newest first."""
    team = _supervisor(caller)
    return wire.reply(AuditRows(rows=access.read_disclosures(
        request.app.state.engine, team, agent_id=agent_id, customer_id=customer_id,
        since=since, limit=limit)))


@router.get("/v1/audit/reads", responses={200: wire.content(AuditRows), **ERRORS})
def audit_reads(caller: Caller, request: Request, agent_id: AgentFilter = None,
                since: Since = None, limit: Limit = 200) -> Response:
    """Every search and fetch of customer data by this supervisor's team, and every refusal
    at a read limit; newest first."""
    team = _supervisor(caller)
    return wire.reply(AuditRows(rows=access.read_access(
        request.app.state.engine, team, agent_id=agent_id, since=since, limit=limit)))
