"""The hub's routes for telephony (issue 18): the telephony system posts call events with its
own token (role ``telephony``, which can do nothing else); an agent's workstation long-polls for
its own, and only its own: the feed is the token's agent's, whatever the request says.

Long poll, not server-sent events: the workstation already speaks plain request and answer
through one HTTP client, proxies pass it untouched, and a dropped poll is simply made again. The
poll is an async route: waiting costs no request thread (``api.REQUEST_THREADS``).
"""

from __future__ import annotations

import time
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request, Response

from agent_tui.hub import cti, wire
from agent_tui.hub.http import ERRORS, Caller, HubError, TelephonyCaller, agents_only, body
from agent_tui.hub.http_guard import StrictRoute
from agent_tui.sync.protocol import CtiAccepted, CtiEventIn, CtiFeed

router = APIRouter(route_class=StrictRoute)
MAX_WAIT_S = 25  # under the workstation's read timeout and a proxy's idle one


@router.post("/v1/cti/events", responses={200: wire.content(CtiAccepted), **ERRORS,
                                          **wire.errors(404, 409)},
             openapi_extra=wire.request(CtiEventIn))
async def post_event(payload: Annotated[CtiEventIn, body(CtiEventIn)],
                     caller: TelephonyCaller, request: Request) -> Response:
    """One call event from the telephony system: ringing, answered or ended, for one agent.
    A resend (the same event id) is answered ``duplicate`` and delivered once; the same id with
    other content, 409 ``key_reuse``; an agent the hub issued no token to, 404."""
    state = request.app.state
    if not await anyio.to_thread.run_sync(cti.knows_agent, state.engine, payload.agent_id):
        raise HubError(404, "unknown_agent", "no agent of this id has a token on the hub")
    try:
        stored = await anyio.to_thread.run_sync(cti.record, state.engine, payload,
                                                state.clock())
    except cti.KeyReuse:
        raise HubError(409, "key_reuse", "this event id was sent before with other content"
                       ) from None
    if stored:
        state.cti_bell.ring()
    return wire.reply(CtiAccepted(payload.event_id, "accepted" if stored else "duplicate"))


@router.get("/v1/cti/events", responses={200: wire.content(CtiFeed), **ERRORS})
async def agent_feed(caller: Caller, request: Request,
                     after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
                     wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0) -> Response:
    """The calling agent's own call events past ``after``; with ``wait``, held up to that
    many seconds until one comes. Without ``after``: what rang in the last 30 seconds."""
    agents_only(caller)
    state = request.app.state
    deadline = time.monotonic() + wait
    while True:
        ticket = state.cti_bell.ticket()
        events, cursor = await anyio.to_thread.run_sync(
            cti.feed, state.engine, caller.agent_id, after, state.clock())
        left = deadline - time.monotonic()
        if events or left <= 0:
            return wire.reply(CtiFeed(events, cursor))
        after = cursor
        await cti.Bell.wait(ticket, min(left, cti.LOOK_S))
