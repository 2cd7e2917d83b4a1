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
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from fastapi import FastAPI, Path, Query, Request, Response
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from agent_tui.domain.ids import new_id
from agent_tui.domain.sla import SlaPolicy
from agent_tui.domain.times import iso
from agent_tui.hub import (
    access,
    call_routes,
    cti,
    cti_routes,
    customers,
    http_guard,
    kb_routes,
    pull,
    push,
    qa_routes,
    team_routes,
    training_routes,
    wire,
)
from agent_tui.hub.auth import TokenCache
from agent_tui.hub.http import ERRORS as _ERRORS
from agent_tui.hub.http import Caller, HubError, agents_only, body, own_device
from agent_tui.hub.schema import devices
from agent_tui.hub.settings import HubSettings
from agent_tui.sync.protocol import (
    DeviceReply,
    DeviceRequest,
    Identity,
    OutOfOrderReply,
    PullPage,
    PullRequest,
    PushReply,
    PushRequest,
    SearchReply,
)

REQUEST_THREADS = 12


class CustomerRecord(msgspec.Struct, frozen=True):
    """A customer's record, masked (a verification releases the rest, for one call)."""

    customer: dict[str, Any]
    products: list[dict[str, Any]]
    accounts: list[dict[str, Any]]
    transactions: list[dict[str, Any]]
    interactions: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    signals: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    assessments: Annotated[list[dict[str, Any]], msgspec.Meta(
        description="The customer's risk-tolerance assessments, newest first (suitability).")] = []
    sealed: Annotated[dict[str, Any] | None, msgspec.Meta(
        description="The basic tier sealed under the verification answers, for verifying "
        "offline.")] = None


class Health(msgspec.Struct, frozen=True):
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
    wire.document(app)

    @app.exception_handler(HubError)
    async def hub_error(_request: Request, error: HubError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else error.headers
        return wire.error_reply(error.status, error.error, error.detail, headers)

    @app.exception_handler(SQLAlchemyError)
    async def database_down(_request: Request, error: SQLAlchemyError) -> Response:
        return wire.error_reply(503, "unavailable", type(error).__name__,
                                {"Retry-After": "5"})

    app.state.engine = engine
    app.state.clock = clock
    app.state.tokens = tokens or TokenCache()
    app.state.settings = settings or HubSettings()
    app.state.device_owners = {}
    app.state.cti_bell = cti.Bell()
    app.state.policy = policy
    app.include_router(call_routes.router)
    app.include_router(team_routes.router)
    app.include_router(qa_routes.router)
    app.include_router(training_routes.router)
    app.include_router(cti_routes.router)
    app.include_router(kb_routes.router)

    @app.get("/v1/health", responses={200: wire.content(Health), **wire.errors(400)})
    def health() -> Response:
        return wire.reply(Health(status="ok"))

    @app.get("/v1/me", responses={200: wire.content(Identity), **_ERRORS})
    def identity(caller: Caller) -> Response:
        """Whose token this is: the browser route's sign-in asks before it lets an agent in."""
        return wire.reply(Identity(caller.agent_id, caller.role, caller.team or ""))

    @app.post("/v1/devices", responses={200: wire.content(DeviceReply), **_ERRORS},
              openapi_extra=wire.request(DeviceRequest))
    def register_device(payload: Annotated[DeviceRequest, body(DeviceRequest)],
                        caller: Caller) -> Response:
        device_id = new_id()
        with engine.begin() as connection:
            connection.execute(devices.insert().values(
                device_id=device_id, agent_id=caller.agent_id, registered_at=iso(clock()),
                last_mutation_seq=payload.first_seq - 1))
        return wire.reply(DeviceReply(device_id=device_id))

    @app.post("/v1/sync/push", responses={200: wire.content(PushReply), **_ERRORS,
                                          409: wire.content(OutOfOrderReply)},
              openapi_extra=wire.request(PushRequest))
    def push_mutations(payload: Annotated[PushRequest, body(PushRequest)], caller: Caller,
                       request: Request) -> Response:
        own_device(request, caller, payload.device_id)
        items = [push.PushItem(m.seq, m.mutation_id, m.name,
                               {**m.args, **({"base_version": m.base_version}
                                             if m.base_version is not None else {})})
                 for m in payload.mutations]
        try:
            outcome = push.push(engine, caller, payload.device_id, items, payload.sent_at,
                                policy, clock)
        except push.OutOfOrder as error:
            return wire.reply(OutOfOrderReply("out_of_order", error.expected_seq,
                                              error.answers), 409)
        return wire.reply(outcome)

    @app.post("/v1/sync/pull", responses={200: wire.content(PullPage), **_ERRORS},
              openapi_extra=wire.request(PullRequest))
    def pull_changes(payload: Annotated[PullRequest, body(PullRequest)], caller: Caller,
                     request: Request) -> Response:
        own_device(request, caller, payload.device_id)
        try:
            outcome = pull.pull(engine, caller, payload.device_id, payload.cursor,
                                payload.limit)
        except (pull.BadCursor, ValueError):
            raise HubError(400, "bad_cursor", "pull again from an empty cursor") from None
        return wire.reply(outcome)

    limited = {**_ERRORS, **wire.errors(429)}

    @app.get("/v1/customers", responses={200: wire.content(SearchReply), **limited})
    def search_customers(caller: Caller,
                         q: Annotated[str, Query(min_length=1, max_length=200)]
                         ) -> Response:
        """Customers for a query, masked; audited and counted against the agent's limit."""
        agents_only(caller)
        try:
            found = customers.search(engine, caller, q, app.state.settings.limits, clock())
        except access.LimitReached as error:
            raise HubError(429, "rate_limited", error.limit,
                           headers={"Retry-After": str(error.retry_after)}) from None
        return wire.reply(SearchReply(customers=found))

    @app.get("/v1/customers/{customer_id}",
             responses={200: wire.content(CustomerRecord), **limited, **wire.errors(404)})
    def fetch_customer(caller: Caller,
                       customer_id: Annotated[str, Path(min_length=1, max_length=64)]
                       ) -> Response:
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
        return wire.reply(msgspec.convert(record, CustomerRecord))

    return app

