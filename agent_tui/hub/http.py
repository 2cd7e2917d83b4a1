"""What every route of the hub shares: the error shape, the caller from the bearer token, and
the check that a device is the caller's. Routes live in ``api`` (devices, sync, customers) and
``call_routes`` (verification, one-time codes, the audit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import select

from agent_tui.hub.auth import AuthFailure, Principal, authenticate
from agent_tui.hub.database import reading
from agent_tui.hub.schema import devices

Id = Annotated[str, Field(min_length=1, max_length=64)]
_MAX_CACHED_DEVICES = 200_000


class ErrorBody(BaseModel):
    error: str
    detail: str = ""


class HubError(Exception):
    def __init__(self, status: int, error: str, detail: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers


ERRORS = {400: {"model": ErrorBody}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody},
          413: {"model": ErrorBody}, 503: {"model": ErrorBody}}
_bearer = HTTPBearer(auto_error=False)


def _principal(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    header = f"Bearer {credentials.credentials}" if credentials else None
    try:
        return authenticate(request.app.state.engine, header, request.app.state.clock(),
                            request.app.state.tokens)
    except AuthFailure as failure:
        raise HubError(401, f"token_{failure.code}") from None


# Module level: with postponed annotations, FastAPI resolves these names in the module.
Caller = Annotated[Principal, Depends(_principal)]


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
