"""The hub's routes for a call's verification, its one-time codes, and the audit supervisors
read. The decisions are in ``identity`` and ``access``; this only speaks HTTP."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from agent_tui.hub import access, identity
from agent_tui.hub.auth import Principal
from agent_tui.hub.http import ERRORS, Caller, HubError, Id, agents_only, own_device
from agent_tui.hub.http_guard import StrictRoute

router = APIRouter(route_class=StrictRoute)  # bodies, paths and queries checked (http_guard)
CallId = Annotated[str, Path(min_length=1, max_length=64)]
_REFUSALS = {**ERRORS, 404: {"model": ERRORS[400]["model"]}, 409: {"model": ERRORS[400]["model"]},
             429: {"model": ERRORS[400]["model"]}}


class VerifyRequest(BaseModel):
    device_id: Id
    customer_id: Id
    answers: dict[Annotated[str, Field(max_length=32)], Annotated[str, Field(max_length=200)]] = \
        Field(max_length=16)


class Verdict(BaseModel):
    status: Literal["open", "passed", "locked"]
    failed: list[str] = []
    missing: list[str] = []
    attempts_left: int = 0
    release: dict[str, Any] | None = None


class StepUpRequest(BaseModel):
    device_id: Id
    operation: Id
    account_id: Id | None = None


class StepUpSent(BaseModel):
    step_up_id: str
    expires_at: str
    mobile: str  # masked: where the code went


class CodeRequest(BaseModel):
    device_id: Id
    code: str = Field(min_length=1, max_length=12)


class CodeResult(BaseModel):
    result: Literal["passed", "wrong", "expired", "locked"]
    tries_left: int = 0
    release: dict[str, Any] | None = None


class AuditRows(BaseModel):
    rows: list[dict[str, Any]]


def _worker(request: Request, caller: Principal, device_id: str) -> None:
    agents_only(caller)
    own_device(request, caller, device_id)


def _refused(error: identity.CallRefused) -> HubError:
    return HubError(error.status, error.reason)


def _limited(error: access.LimitReached) -> HubError:
    return HubError(429, "rate_limited", error.limit,
                    headers={"Retry-After": str(error.retry_after)})


@router.post("/v1/calls/{call_id}/verification", response_model=Verdict,
             responses=_REFUSALS)
def verify(call_id: CallId, body: VerifyRequest, caller: Caller, request: Request) -> Verdict:
    """One attempt at this call's identity verification: the hub compares the caller's
    answers; a pass releases the basic tier's values for this call (audited)."""
    _worker(request, caller, body.device_id)
    state = request.app.state
    try:
        return Verdict(**identity.verify(state.engine, caller, body.device_id, call_id,
                                      body.customer_id, body.answers,
                                      state.settings.verification, state.settings.limits,
                                      state.clock()))
    except identity.CallRefused as error:
        raise _refused(error) from None
    except access.LimitReached as error:
        raise _limited(error) from None


@router.get("/v1/calls/{call_id}/verification", response_model=Verdict, responses=_REFUSALS)
def verification_state(call_id: CallId, caller: Caller, request: Request,
                       device_id: Annotated[str, Query(min_length=1, max_length=64)]
                       ) -> Verdict:
    """What this call's verification proved, for a call resumed after a restart: a pass is
    released again to the agent and device that earned it (audited as restored)."""
    _worker(request, caller, device_id)
    try:
        return Verdict(**identity.verification_state(request.app.state.engine, caller, device_id,
                                                  call_id, request.app.state.clock()))
    except identity.CallRefused as error:
        raise _refused(error) from None


@router.post("/v1/calls/{call_id}/step-ups", response_model=StepUpSent, responses=_REFUSALS)
def send_code(call_id: CallId, body: StepUpRequest, caller: Caller,
              request: Request) -> StepUpSent:
    """A one-time code for a sensitive operation on this verified call, sent by the hub to the
    customer's registered mobile."""
    _worker(request, caller, body.device_id)
    state = request.app.state
    try:
        return StepUpSent(**identity.send_code(state.engine, caller, body.device_id, call_id,
                                            body.operation, body.account_id,
                                            state.settings.sms_outbox, state.clock()))
    except identity.CallRefused as error:
        raise _refused(error) from None


@router.post("/v1/step-ups/{step_up_id}/check", response_model=CodeResult,
             responses=_REFUSALS)
def check_code(step_up_id: CallId, body: CodeRequest, caller: Caller,
               request: Request) -> CodeResult:
    """The code the caller read back; a pass releases the full tier and authorises the one
    operation the code was issued for."""
    _worker(request, caller, body.device_id)
    try:
        return CodeResult(**identity.check_code(request.app.state.engine, caller, body.device_id,
                                             step_up_id, body.code, request.app.state.clock()))
    except identity.CallRefused as error:
        raise _refused(error) from None


def _supervisor(caller: Principal) -> str:
    if caller.role != "supervisor" or not caller.team:
        raise HubError(403, "supervisors_only", "the audit is read by a team's supervisor")
    return caller.team


Since = Annotated[str | None, Query(max_length=32)]
AgentFilter = Annotated[str | None, Query(max_length=64)]
Limit = Annotated[int, Query(ge=1, le=access.AUDIT_LIMIT)]


@router.get("/v1/audit/disclosures", response_model=AuditRows, responses=ERRORS)
def audit_disclosures(caller: Caller, request: Request, agent_id: AgentFilter = None,
                      customer_id: AgentFilter = None, since: Since = None,
                      limit: Limit = 200) -> AuditRows:
    """Every release of a customer's full values to this supervisor's team: who, device,
    customer, call, tier, fields and when; newest first."""
    team = _supervisor(caller)
    return AuditRows(rows=access.read_disclosures(
        request.app.state.engine, team, agent_id=agent_id, customer_id=customer_id,
        since=since, limit=limit))


@router.get("/v1/audit/reads", response_model=AuditRows, responses=ERRORS)
def audit_reads(caller: Caller, request: Request, agent_id: AgentFilter = None,
                since: Since = None, limit: Limit = 200) -> AuditRows:
    """Every search and fetch of customer data by this supervisor's team, and every refusal
    at a read limit; newest first."""
    team = _supervisor(caller)
    return AuditRows(rows=access.read_access(request.app.state.engine, team, agent_id=agent_id,
                                             since=since, limit=limit))
