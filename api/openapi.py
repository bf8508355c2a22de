"""The OpenAPI description at ``/openapi.json``: one rule for operation ids, the error
answers routes share, and what the generated description gets right by construction.

- **Operation ids** are the route functions' names (``list_entities``,
  ``sparql_query_get``, ``put_graph``): a handler is named for what it does, so its
  operation is too. ``tests/api/test_openapi.py`` holds the list.
- **Errors** are ``{"detail": ...}`` (:class:`api.schemas.ErrorPublic`); :func:`error`
  documents one with an example.
- **422** is documented where a request can fail validation: FastAPI adds it to every
  operation with a parameter, and :func:`install` takes it off operations whose every
  parameter is an optional or path string without constraints and whose body (if any)
  FastAPI does not read itself (nothing there can fail).
- **Writes** name the bearer token (``KG_UPDATE_TOKEN``) as the ``updateToken`` scheme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.schemas import ErrorPublic

UPDATE_TOKEN = "updateToken"
"""The security scheme of SPARQL Update and Graph Store writes."""

_SCHEMES = {
    UPDATE_TOKEN: {
        "type": "http",
        "scheme": "bearer",
        "description": "KG_UPDATE_TOKEN; writes are refused (403) unless the server runs with KG_UPDATE_ENABLED=1.",
    }
}
_CONSTRAINTS = (
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "format",
)


def operation_id(route: APIRoute) -> str:
    """The operation id of a route: its function's name."""
    return route.name


def error(description: str, example: str) -> dict[str, Any]:
    """A documented error answer, ``{"detail": example}``."""
    return {
        "model": ErrorPublic,
        "description": description,
        "content": {"application/json": {"example": {"detail": example}}},
    }


Responses = dict[int | str, dict[str, Any]]
"""What FastAPI's ``responses=`` takes: status → the documented answer."""

NOT_FOUND: Responses = {404: error("Nothing has this id.", "no entity with id 'organization.nowhere'")}
TIMEOUT: Responses = {
    503: error(
        "The query ran past KG_QUERY_TIMEOUT and was stopped (with Retry-After).", "query timeout: stopped after 10 s"
    )
}
NOT_MODIFIED: Responses = {
    304: {"description": "Not Modified: the If-None-Match header holds the current ETag (no body)."}
}


def requires_token(optional: bool = False) -> dict[str, Any]:
    """``openapi_extra`` for an operation that needs the update token (``optional``: only some of its requests)."""
    return {"security": ([{}] if optional else []) + [{UPDATE_TOKEN: []}]}


def install(app: FastAPI) -> None:
    """Wrap ``app.openapi``: add the security scheme, drop 422 where no validation can fail."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        schema = generate()
        if first:  # FastAPI caches the dict it returned: amend it once
            schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(_SCHEMES)
            with_body = {
                (r.path_format, m.lower())
                for r in app.routes
                if isinstance(r, APIRoute) and r.body_field is not None
                for m in r.methods or ()
            }
            for path, item in schema.get("paths", {}).items():
                for method, operation in item.items():
                    if (path, method) not in with_body and not _can_fail_validation(operation):
                        operation.get("responses", {}).pop("422", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to amend the schema


def _can_fail_validation(operation: dict[str, Any]) -> bool:
    """A required query or header parameter, or a parameter with a type or constraint, can fail."""
    return any(
        _constrained(p.get("schema", {})) or (p.get("required", False) and p.get("in") != "path")
        for p in operation.get("parameters", [])
    )


def _constrained(schema: dict[str, Any]) -> bool:
    """Whether a value can fail this schema: anything but a plain string can."""
    if "anyOf" in schema:
        return any(_constrained(s) for s in schema["anyOf"] if s.get("type") != "null")
    return schema.get("type", "string") != "string" or any(k in schema for k in _CONSTRAINTS)
