"""The hub's HTTP API (FastAPI): devices, push, pull, customer search and fetch.

Every route but ``/v1/health`` needs a bearer token; push and pull also need a device registered
to the token's agent. Errors are JSON ``{error, detail}`` with a code the workstation translates:
400 for a request the hub cannot take (``bad_request``, ``bad_text``, ``bad_cursor``; see
``http_guard``); 401 for a token that is missing, unknown, revoked or expired; 403 for a device
that is not the caller's, or customer data asked for by a trainer (``training_only``); 409
``out_of_order`` with ``expected_seq``; 413 ``body_too_large``; 503 when the database cannot be
reached (the workstation keeps its queue and tries again later).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

import anyio.to_thread
import msgspec
from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from agent_tui.domain.ids import new_id
from agent_tui.domain.sla import SlaPolicy
from agent_tui.domain.times import iso
from agent_tui.hub import access, call_routes, customers, http_guard, pull, push
from agent_tui.hub.auth import TokenCache
from agent_tui.hub.http import ERRORS as _ERRORS
from agent_tui.hub.http import Caller, ErrorBody, HubError, Id, agents_only, own_device
from agent_tui.hub.schema import devices
from agent_tui.hub.settings import HubSettings

REQUEST_THREADS = 12


class DeviceRequest(BaseModel):
    first_seq: int = Field(1, ge=1, le=2**62, description="The seq of the device's first "
                           "mutation still to send (a store with history starts past 1).")


class DeviceResponse(BaseModel):
    device_id: str


class MutationIn(BaseModel):
    seq: int = Field(ge=1, le=2**62)
    mutation_id: Id
    name: Id
    args: dict[str, Any]
    base_version: int | None = None


class PushRequest(BaseModel):
    device_id: Id
    mutations: list[MutationIn] = Field(max_length=1000)
    sent_at: str | None = Field(None, max_length=40, description="The device's clock when it "
                                "sent this: the hub measures the device's skew from it.")


class MutationAnswer(BaseModel):
    mutation_id: str
    seq: int
    status: Literal["applied", "duplicate", "rejected", "conflict", "key_reuse"]
    reason: str = ""
    current: dict[str, Any] | None = None
    result: str = ""


class PushResponse(BaseModel):
    results: list[MutationAnswer]
    last_mutation_seq: int
    stopped: str = ""


class OutOfOrderBody(BaseModel):
    error: Literal["out_of_order"]
    expected_seq: int
    results: list[MutationAnswer]


class PullRequest(BaseModel):
    device_id: Id
    cursor: str = Field("", max_length=200)
    limit: int = Field(500, ge=1, le=pull.MAX_LIMIT)


class ChangeOut(BaseModel):
    entity: str
    id: str
    version: int
    op: str
    data: dict[str, Any]


class PullResponse(BaseModel):
    changes: list[ChangeOut]
    cursor: str
    has_more: bool
    last_mutation_seq: int
    reset: bool = False


class SearchResponse(BaseModel):
    customers: list[dict[str, Any]]


class CustomerRecord(BaseModel):
    """A customer's record, masked (a verification releases the rest, for one call)."""

    customer: dict[str, Any]
    products: list[dict[str, Any]]
    accounts: list[dict[str, Any]]
    transactions: list[dict[str, Any]]
    interactions: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    signals: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    sealed: dict[str, Any] | None = Field(None, description="The basic tier sealed under the "
                                          "verification answers, for verifying offline.")


class Health(BaseModel):
    status: str


def create_app(engine: Engine, policy: SlaPolicy,
               clock: Callable[[], datetime] = datetime.now,
               tokens: TokenCache | None = None,
               settings: HubSettings | None = None,
               max_body: int = http_guard.MAX_BODY_BYTES) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Request threads: each mostly waits on the database; anyio's default of 40 per process
        # only fought over the interpreter (bench, 1,000 agents: p95 66-122 ms with 12 threads,
        # 91-133 ms with 40, on a noisy two-core machine).
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        yield

    app = FastAPI(title="agent-tui hub", version="1", lifespan=lifespan,
                  description="Sync and customer data for agent-tui workstations (SYNC.md).")
    http_guard.install(app, max_body)

    @app.exception_handler(HubError)
    async def hub_error(_request: Request, error: HubError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else error.headers
        return JSONResponse({"error": error.error, "detail": error.detail}, error.status,
                            headers=headers)

    @app.exception_handler(SQLAlchemyError)
    async def database_down(_request: Request, error: SQLAlchemyError) -> JSONResponse:
        return JSONResponse({"error": "unavailable", "detail": type(error).__name__}, 503,
                            headers={"Retry-After": "5"})

    app.state.engine = engine
    app.state.clock = clock
    app.state.tokens = tokens or TokenCache()
    app.state.settings = settings or HubSettings()
    app.state.device_owners = {}
    app.include_router(call_routes.router)

    @app.get("/v1/health", response_model=Health, responses={400: {"model": ErrorBody}})
    def health() -> Health:
        return Health(status="ok")

    @app.post("/v1/devices", response_model=DeviceResponse, responses=_ERRORS)
    def register_device(body: DeviceRequest, caller: Caller) -> DeviceResponse:
        device_id = new_id()
        with engine.begin() as connection:
            connection.execute(devices.insert().values(
                device_id=device_id, agent_id=caller.agent_id, registered_at=iso(clock()),
                last_mutation_seq=body.first_seq - 1))
        return DeviceResponse(device_id=device_id)

    @app.post("/v1/sync/push", response_model=PushResponse,
              responses={**_ERRORS, 409: {"model": OutOfOrderBody}})
    def push_mutations(body: PushRequest, caller: Caller,
                       request: Request) -> PushResponse | JSONResponse:
        own_device(request, caller, body.device_id)
        items = [push.PushItem(m.seq, m.mutation_id, m.name,
                               {**m.args, **({"base_version": m.base_version}
                                             if m.base_version is not None else {})})
                 for m in body.mutations]
        try:
            outcome = push.push(engine, caller, body.device_id, items, body.sent_at, policy,
                                clock)
        except push.OutOfOrder as error:
            return JSONResponse({"error": "out_of_order", "expected_seq": error.expected_seq,
                                 "results": msgspec.to_builtins(error.answers)}, 409)
        return PushResponse(**msgspec.to_builtins(outcome))

    @app.post("/v1/sync/pull", response_model=PullResponse,
              responses=_ERRORS)
    def pull_changes(body: PullRequest, caller: Caller, request: Request) -> PullResponse:
        own_device(request, caller, body.device_id)
        try:
            outcome = pull.pull(engine, caller, body.device_id, body.cursor, body.limit)
        except (pull.BadCursor, ValueError):
            raise HubError(400, "bad_cursor", "pull again from an empty cursor") from None
        return PullResponse(**msgspec.to_builtins(outcome))

    limited = {**_ERRORS, 429: {"model": ErrorBody}}

    @app.get("/v1/customers", response_model=SearchResponse, responses=limited)
    def search_customers(caller: Caller,
                         q: Annotated[str, Query(min_length=1, max_length=200)]
                         ) -> SearchResponse:
        """Customers for a query, masked; audited and counted against the agent's limit."""
        agents_only(caller)
        try:
            found = customers.search(engine, caller, q, app.state.settings.limits, clock())
        except access.LimitReached as error:
            raise HubError(429, "rate_limited", error.limit,
                           headers={"Retry-After": str(error.retry_after)}) from None
        return SearchResponse(customers=found)

    @app.get("/v1/customers/{customer_id}", response_model=CustomerRecord,
             responses={**limited, 404: {"model": ErrorBody}})
    def fetch_customer(caller: Caller,
                       customer_id: Annotated[str, Path(min_length=1, max_length=64)]
                       ) -> CustomerRecord:
        """A customer's record, masked, with its sealed copy; audited and counted."""
        agents_only(caller)
        settings = app.state.settings
        try:
            record = customers.fetch(engine, caller, customer_id, settings.limits,
                                     settings.verification, clock())
        except access.LimitReached as error:
            raise HubError(429, "rate_limited", error.limit,
                           headers={"Retry-After": str(error.retry_after)}) from None
        if record is None:
            raise HubError(404, "unknown_customer")
        return CustomerRecord(**record)

    return app

