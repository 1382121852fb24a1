"""Errors as RFC 9457 problem details (`application/problem+json`).

Services raise `ProblemError` subclasses; the handlers here are the only place that turns
any exception into an HTTP response.
"""

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, JsonValue
from pydantic.config import JsonDict
from pydantic.json_schema import SkipJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException

from oms.core.allowed_methods import allowed_methods
from oms.core.request_context import REQUEST_ID_HEADER, current_request_id

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:oms:problem:"

log = structlog.get_logger(__name__)


class ProblemError(Exception):
    """A domain error with an HTTP status, rendered as problem+json.

    `slug` names the problem type (`urn:oms:problem:<slug>`); `extra` adds members such as
    `allowed_targets` that a client can act on.
    """

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad Request"
    # True for refusals whose record must outlive them (a failed login counted, a stolen
    # refresh token's family revoked): the request's transaction commits, then the error is
    # answered. Everything else rolls back.
    keeps_writes: bool = False
    # `Set-Cookie` values the answer carries (a refused browser session's cleared cookies).
    set_cookies: tuple[str, ...] = ()

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        slug: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        if slug is not None:
            self.slug = slug
        if title is not None:
            self.title = title
        self.headers = headers or {}
        self.extra = extra


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not Found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict"


class Unauthorized(ProblemError):
    """401 with the `WWW-Authenticate` challenge every 401 carries (RFC 9110 §15.5.2)."""

    status, slug, title = 401, "unauthorized", "Unauthorized"

    def __init__(self, detail: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", "Bearer")


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "Forbidden"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "Precondition Failed"


class Unprocessable(ProblemError):
    status, slug, title = 422, "unprocessable", "Unprocessable Content"


class InvalidFields(ProblemError):
    """400 with one entry per bad field, shaped like the request validation's `errors`."""

    status, slug, title = 400, "validation", "Invalid request"

    def __init__(self, errors: list[dict[str, str]], detail: str | None = None) -> None:
        super().__init__(detail or "The request is not valid; see `errors`.", errors=errors)


def _no_null_defaults(schema: JsonDict) -> None:
    """Optional members are left out, never null, so their schema shows no `default: null`."""
    properties = schema.get("properties")
    assert isinstance(properties, dict)
    for member in properties.values():
        if isinstance(member, dict) and "default" in member and member["default"] is None:
            del member["default"]


class ProblemFieldError(BaseModel):
    """One entry of a problem's `errors`: which field is wrong and why."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    field: str = Field(description="Dotted path of the field (`items.0.quantity`).")
    in_: str | SkipJsonSchema[None] = Field(
        default=None, alias="in", description="Where the field is: body, query, path or header."
    )
    message: str
    type: str | SkipJsonSchema[None] = Field(
        default=None, description="A machine-readable kind of error (`missing`, `value_error`)."
    )


_PROBLEM_EXAMPLES: list[JsonValue] = [
    {
        "type": "urn:oms:problem:transition-not-allowed",
        "title": "Conflict",
        "status": 409,
        "detail": "An order in status 'shipped' cannot be moved to 'cancelled' by you;"
        " allowed targets: delivered.",
        "instance": "/api/v1/orders/0b7e1c2a-5f7d-4c1e-9a51-3d2f6f0e8a11/status",
        "current_status": "shipped",
        "requested_status": "cancelled",
        "allowed_targets": ["delivered"],
    },
    {
        "type": "urn:oms:problem:validation",
        "title": "Invalid request",
        "status": 400,
        "detail": "The request is not valid; see `errors` for each field.",
        "instance": "/api/v1/orders",
        "errors": [
            {
                "field": "items.0.quantity",
                "in": "body",
                "message": "Input should be greater than or equal to 1",
                "type": "greater_than_equal",
            }
        ],
    },
]


def _problem_schema(schema: JsonDict) -> None:
    _no_null_defaults(schema)
    schema["examples"] = _PROBLEM_EXAMPLES


class Problem(BaseModel):
    """An RFC 9457 problem, as `problem_response` renders it. Problem types may add members
    of their own (`allowed_targets`, `current_etag`, ...)."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_problem_schema)

    type: str = Field(
        description=f"`{PROBLEM_TYPE_PREFIX}<slug>` naming the kind of problem, or `about:blank`."
    )
    title: str
    status: int = Field(ge=100, le=599)
    detail: str | SkipJsonSchema[None] = None
    instance: str = Field(description="The path of the request that failed.")
    errors: list[ProblemFieldError] | SkipJsonSchema[None] = Field(
        default=None, description="Each invalid field, when the request's fields are at fault."
    )


def field_error(
    field: str, message: str, *, type_: str = "value_error", in_: str = "body"
) -> dict[str, str]:
    return {"field": field, "in": in_, "message": message, "type": type_}


def problem_response(
    request: Request,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body["instance"] = request.url.path
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def as_problem(error: ProblemError, instance: str) -> Problem:
    """`error` as the problem its answer would carry, for an answer that reports several
    outcomes (each refused one with its problem) instead of failing whole."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + error.slug,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "instance": instance,
        **error.extra,
    }
    return Problem.model_validate(body)


def without_union_tags(location: Sequence[Any], document: Any) -> list[str | int]:
    """The path of a validation error's `location` in `document`: pydantic puts a
    discriminated union's tag (e.g. `webhook`) into the location, though no field is named so."""
    path: list[str | int] = []
    current = document
    for part in location:
        if (
            isinstance(current, dict)
            and isinstance(part, str)
            and part not in current
            and part in {value for value in current.values() if isinstance(value, str)}
        ):
            continue
        path.append(part if isinstance(part, int) else str(part))
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return path


def _field_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    fields = []
    for item in error.errors():
        location = list(item.get("loc", ()))
        where = str(location[0]) if location else "body"
        path = location[1:]
        if where == "body":
            path = without_union_tags(path, error.body)
        fields.append(
            {
                "field": ".".join(str(part) for part in path) if path else where,
                "in": where,
                "message": item.get("msg", "invalid"),
                "type": item.get("type", "value_error"),
            }
        )
    return fields


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    response = problem_response(
        request,
        exc.status,
        title=exc.title,
        detail=exc.detail,
        type_=PROBLEM_TYPE_PREFIX + exc.slug,
        headers=exc.headers,
        **exc.extra,
    )
    for cookie in exc.set_cookies:
        response.headers.append("set-cookie", cookie)
    return response


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(
        request,
        400,
        title="Invalid request",
        detail="The request is not valid; see `errors` for each field.",
        type_=PROBLEM_TYPE_PREFIX + "validation",
        errors=_field_errors(exc),
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = None
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
    return problem_response(request, exc.status_code, detail=detail, headers=headers)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    # Starlette answers unhandled errors outside the user middleware stack, so the request
    # id header is set here rather than by RequestContextMiddleware.
    request_id = current_request_id()
    headers = {REQUEST_ID_HEADER: request_id} if request_id else {}
    # Starlette re-raises the error once this answer is sent and uvicorn then closes the
    # connection: saying so keeps a client from sending its next request into a closed socket.
    headers["Connection"] = "close"
    return problem_response(request, 500, detail="An unexpected error occurred.", headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
