"""msgspec on FastAPI: the hub's requests are decoded into the structs of ``sync.protocol`` and its
answers encoded from them, and its OpenAPI document is generated from the same structs
(``msgspec.json.schema_components``), so ``/openapi.json`` and ``/docs`` describe every request
and answer. FastAPI keeps what it does well: routing, path and query parameters, dependencies.

A body is refused in the order it always was: not JSON, or text no database can store
(``bad_text``), before the caller's token is checked; a body that does not fit its struct
(``bad_request``) after it (``http.body`` depends on the caller for that).
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from fastapi import FastAPI, Response

from agent_tui.hub.http_guard import BadInput, safe_text, unstorable

_REF = "#/components/schemas/{name}"
_documented: set[type] = set()


class ErrorBody(msgspec.Struct, frozen=True):
    error: str
    detail: str = ""


def reply(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """An answer, encoded by msgspec (a struct, or builtins)."""
    return Response(msgspec.json.encode(value), status, headers, media_type="application/json")


def error_reply(status: int, error: str, detail: str = "",
                headers: dict[str, str] | None = None) -> Response:
    return reply(ErrorBody(error, detail), status, headers)


def ref(kind: type) -> dict:
    """A JSON-schema reference to ``kind``, which the OpenAPI document will hold."""
    _documented.add(kind)
    return {"$ref": _REF.format(name=kind.__name__)}


def content(kind: type, description: str = "") -> dict:
    """One entry of a route's ``responses``: JSON shaped like ``kind``."""
    entry: dict = {"content": {"application/json": {"schema": ref(kind)}}}
    if description:
        entry["description"] = description
    return entry


def errors(*statuses: int) -> dict[int, dict]:
    """The ``{error, detail}`` refusals a route may answer."""
    return {status: content(ErrorBody) for status in statuses}


def components() -> dict[str, dict]:
    """The schemas of every struct a route referred to, for ``components.schemas``."""
    return msgspec.json.schema_components(sorted(_documented, key=lambda kind: kind.__name__),
                                          ref_template=_REF)[1]


class Problem:
    """A body that is JSON but does not fit its struct: refused once the caller is known."""

    def __init__(self, detail: str) -> None:
        self.detail = detail


def decode(raw: bytes, decoder: msgspec.json.Decoder, kind: type) -> Any:
    """``raw`` decoded into ``kind``, or a ``Problem``; raises ``BadInput`` for a body that is
    not JSON (``bad_request``) or holds text no database can store (``bad_text``)."""
    try:
        value: Any = decoder.decode(raw)
    except msgspec.ValidationError as error:
        value = Problem(safe_text(str(error)))
    except (msgspec.DecodeError, RecursionError):
        # Not JSON; or JSON msgspec will not take (a lone surrogate escaped): told apart by the
        # standard library, as before (which also finds a NUL or a surrogate anywhere in it).
        try:
            loaded = json.loads(raw)
        except (ValueError, RecursionError):
            raise BadInput("bad_request", "the body is not JSON") from None
        if unstorable(loaded):
            raise BadInput("bad_text", "a NUL or a lone surrogate in the body") from None
        try:
            return msgspec.convert(loaded, kind)
        except msgspec.ValidationError as error:
            return Problem(safe_text(str(error)))
    if b"\\u" in raw and unstorable(json.loads(raw)):
        # An escaped NUL decodes, and would pass unseen in a key no struct names: look at all.
        raise BadInput("bad_text", "a NUL or a lone surrogate in the body")
    return value


def request(kind: type) -> dict:
    """``openapi_extra`` for a route whose body is ``kind``."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": ref(kind)}}}}


def document(app: FastAPI) -> None:
    """The app's OpenAPI document, with the schemas of the structs its routes refer to."""
    built = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = built()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(components())
            if "HTTPValidationError" not in json.dumps(schema["paths"]):
                # FastAPI's 422 (a 400 here, ``http_guard``): nothing refers to its shapes
                schemas.pop("HTTPValidationError", None)
                schemas.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
