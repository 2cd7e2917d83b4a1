"""What every route of the hub shares: the error shape, the caller from the bearer token, a JSON
body decoded into its struct (``body``; see ``wire``), and the check that a device is the caller's.
Routes live in ``api`` (devices, sync, customers) and ``call_routes`` (verification, one-time
codes, the audit)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from agent_tui.hub import wire
from agent_tui.hub.auth import TELEPHONY, AuthFailure, Principal, authenticate
from agent_tui.hub.database import reading
from agent_tui.hub.http_guard import BadInput
from agent_tui.hub.schema import devices

_MAX_CACHED_DEVICES = 200_000


class HubError(Exception):
    def __init__(self, status: int, error: str, detail: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers


ERRORS = wire.errors(400, 401, 403, 413, 503)
_bearer = HTTPBearer(auto_error=False)


def _token(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    header = f"Bearer {credentials.credentials}" if credentials else None
    try:
        return authenticate(request.app.state.engine, header, request.app.state.clock(),
                            request.app.state.tokens)
    except AuthFailure as failure:
        raise HubError(401, f"token_{failure.code}") from None


def _principal(principal: Principal = Depends(_token)) -> Principal:
    """The caller of every route but the telephony system's: a telephony token can do nothing
    but post call events (issue 18), so it is refused here, once for every route."""
    if principal.role == TELEPHONY:
        raise HubError(403, "telephony_only", "a telephony token posts call events only")
    return principal


def _telephony(principal: Principal = Depends(_token)) -> Principal:
    if principal.role != TELEPHONY:
        raise HubError(403, "not_telephony", "call events are posted with a telephony token")
    return principal


# Module level: with postponed annotations, FastAPI resolves these names in the module.
Caller = Annotated[Principal, Depends(_principal)]
TelephonyCaller = Annotated[Principal, Depends(_telephony)]


def body(kind: type) -> Any:
    """A route's parameter for a JSON body decoded into ``kind`` (a struct of
    ``sync.protocol``), as ``payload: Annotated[PushRequest, body(PushRequest)]`` with
    ``openapi_extra=wire.request(PushRequest)`` on the route. Declared before the caller: a
    body that is not JSON, or holds unstorable text, is refused before the token is checked, and
    one that does not fit its struct after it, as when FastAPI read bodies itself."""
    decoder = msgspec.json.Decoder(kind)

    async def read(request: Request) -> Any:
        return wire.decode(await request.body(), decoder, kind)

    # Defaults, not Annotated: with postponed annotations FastAPI would look ``read`` up in the
    # module. The caller is the route's own (FastAPI resolves a dependency once a request).
    async def checked(decoded: Any = Depends(read),
                      _caller: Principal = Depends(_token)) -> Any:
        if isinstance(decoded, wire.Problem):
            raise BadInput("bad_request", decoded.detail)
        return decoded

    return Depends(checked)


def own_device(request: Request, caller: Principal, device_id: str) -> None:
    """The device must be registered to the caller (a device's agent never changes: its owner
    is read once per hub process)."""
    owners: dict[str, str] = request.app.state.device_owners
    owner = owners.get(device_id)
    if owner is None:
        with reading(request.app.state.engine) as connection:
            owner = connection.execute(select(devices.c.agent_id).where(
                devices.c.device_id == device_id)).scalar()
        if owner is not None and len(owners) < _MAX_CACHED_DEVICES:
            owners[device_id] = owner
    if owner is None:
        raise HubError(403, "unknown_device", "register the device with POST /v1/devices")
    if owner != caller.agent_id:
        raise HubError(403, "device_not_yours")


def agents_only(caller: Principal) -> None:
    """Customer data is for agents and supervisors at work; a trainer's token never reads a
    real customer (training runs on synthetic data of its own)."""
    if not caller.real_data:
        raise HubError(403, "training_only", "a trainer's token reads no real customer")
