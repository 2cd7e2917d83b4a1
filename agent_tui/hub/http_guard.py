"""What the hub refuses before any handler sees it, each as a 4xx with its ``{error, detail}`` body,
never a 500:

- a body over the limit: 413 ``body_too_large`` (``BodyLimit``: a Content-Length above it is
  refused unread, and a chunked or lying body is counted as it arrives and no longer read once
  past it; uvicorn drops what still comes, so memory stays bounded whatever is sent);
- text no database can store: a lone UTF-16 surrogate (``"\\ud800"`` escaped in JSON, or its raw
  bytes) or a NUL, anywhere in a JSON body, a path or a query: 400 ``bad_text``;
- a body or parameter that does not fit the API's structs: 400 ``bad_request`` (FastAPI's 422,
  whose body echoed the input and had another shape);
- a body that is not JSON: 400 ``bad_request``.

Bodies are read and checked by ``wire.decode`` (through ``http.body``); paths and queries here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1_000_000  # the default limit of `agent-tui hub serve --max-body`
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_CODES = {400: "bad_request", 413: "body_too_large"}


class BadInput(StarletteHTTPException):
    """A refusal with its own error code. A Starlette HTTPException, so that FastAPI passes it on
    from reading the body instead of turning it into its own generic 400."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(400, detail)
        self.code = code


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request body of more than ``max_bytes`` is answered 413 without being
    read. Starlette's own limiter answers in plain text; every refusal here is ``{error,
    detail}``. The 413 replaces whatever the app made of the body it never got whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal received, over
            if over:
                raise _TooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over or started:
                raise
        if over and not started:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = msgspec.json.encode({"error": "body_too_large", "detail": f"the limit is "
                                    f"{self.max_bytes} bytes"})
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def unstorable(value: Any) -> bool:
    """Does a decoded JSON value hold a string (key or value) with a NUL or a lone surrogate?"""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class StrictRoute(APIRoute):
    """A route whose path and query are refused when they hold unstorable text (its body is
    checked as it is decoded: ``wire.decode``)."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            if any(_UNSTORABLE.search(value) for value in (
                    *request.path_params.values(), *request.query_params.values())
                   if isinstance(value, str)):
                raise BadInput("bad_text", "a NUL or a lone surrogate in the path or query")
            return await handler(request)

        return strict


def safe_text(text: str) -> str:
    """``text`` fit for an error's detail: storable, and short."""
    return _UNSTORABLE.sub("\ufffd", text)[:300]


def _first_problem(error: RequestValidationError) -> str:
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ()))
        return safe_text(f"{where}: {problem.get('msg', '')}")
    return ""


def _error(status: int, error: str, detail: str,
           headers: dict[str, str] | None = None) -> Response:
    return Response(msgspec.json.encode({"error": error, "detail": detail}), status, headers,
                    media_type="application/json")


def install(app: FastAPI, max_body: int) -> None:
    """The body limit, strict routes, one error shape for every refusal, and an OpenAPI
    document that says so. Call before the routes are declared."""
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.router.route_class = StrictRoute

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> Response:
        return _error(400, "bad_request", _first_problem(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> Response:
        code = getattr(error, "code", None) or _CODES.get(error.status_code,
                                                          f"http_{error.status_code}")
        return _error(error.status_code, code, safe_text(str(error.detail)), error.headers)

    default_openapi = app.openapi

    def openapi() -> dict:
        # A validation error is a 400 here, never FastAPI's 422.
        if app.openapi_schema is None:
            schema = default_openapi()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
