"""The OpenAPI document as generated clients need it: readable operationIds, every problem
an operation can answer, and examples.

- `operation_id` names each operation after its route function, in camelCase
  (`change_order_status` → `changeOrderStatus`).
- Problems are `application/problem+json` with the `Problem` schema. What follows from the
  route itself is documented without being declared: any route → 400 (a NUL character) and
  500, parameters or a body → 400, a path parameter → 404, an `If-Match` header → 412, a
  body → 413, and what the route's dependencies declare with `may_raise` (the database →
  503, a bearer token → 401 and 503, a permission → 403, an Idempotency-Key → 400, 409 and
  422). A route adds its domain's own problems with `responses=problems(...)`.
- Response headers follow from the status (`Location` on a 201, `WWW-Authenticate` on a
  401, `Retry-After` on a 429 or 503 problem) or from the route (`ETag` on the answers of
  a route taking `If-Match` or `If-None-Match`); a route that gives an `ETag` otherwise
  says so with `gives_etag(...)`. A 405, which any path can answer, is documented once.
- `examples` and `named_examples` document named examples of a response or a body, and
  `links` the operations a response leads to, as Schemathesis chains them.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from http import HTTPStatus
from typing import Any, Protocol, TypeVar, cast

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.models import Example
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from oms.core.errors import PROBLEM_JSON, Problem

PROBLEM_SCHEMA = "Problem"
PROBLEM_REF = f"#/components/schemas/{PROBLEM_SCHEMA}"
_REF_TEMPLATE = "#/components/schemas/{model}"

INVALID_REQUEST = "The request is not valid; `errors` names each field at fault."
INVALID_CURSOR = "The `cursor` is not one this listing issued."
BODY_TOO_LARGE = "The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`)."
STALE_IF_MATCH = "`If-Match` does not match the current `ETag`; read it again."
UNEXPECTED = "An unexpected error; the `X-Request-ID` header identifies it in the log."
NUL_REFUSED = "Text in the path, the query or the body holds a NUL character (U+0000)."

LOCATION, ETAG, RETRY_AFTER, WWW_AUTHENTICATE, ALLOW = (
    "Location",
    "ETag",
    "Retry-After",
    "WWW-Authenticate",
    "Allow",
)
HEADERS: dict[str, dict[str, Any]] = {
    LOCATION: {"description": "The URL of what was created.", "schema": {"format": "uri"}},
    ETAG: {
        "description": "The version of what is answered: send it back as `If-Match` to"
        " change it, or as `If-None-Match` to read it again only if it changed.",
        "schema": {"pattern": '^"[0-9]+"$'},
    },
    RETRY_AFTER: {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    },
    WWW_AUTHENTICATE: {
        "description": "How to authenticate: with a bearer token.",
        "schema": {"pattern": "^Bearer"},
    },
    ALLOW: {"description": "Every method the path serves, comma-separated."},
}
"""Every response header OMS documents; `header()` gives the OpenAPI header object."""
_CONDITIONAL_HEADERS = frozenset({"if-match", "if-none-match"})
METHOD_NOT_ALLOWED = "MethodNotAllowed"
_METHOD_NOT_ALLOWED_NOTE = (
    "A method a path does not serve is answered **405** problem+json, its `Allow` header"
    f" naming every method the path serves (`#/components/responses/{METHOD_NOT_ALLOWED}`)."
)

Declared = int | Mapping[int, str]
"""A problem status, or statuses with the reason each is answered."""

Dependency = TypeVar("Dependency", bound=Callable[..., Any])

_DEPENDENCY_PROBLEMS: dict[Callable[..., Any], dict[int, list[str]]] = {}
_DEPENDENCY_HEADERS: dict[Callable[..., Any], dict[int, dict[str, dict[str, Any]]]] = {}


def header(name: str, *, required: bool = True, description: str | None = None) -> dict[str, Any]:
    """The OpenAPI header object of `name`, one of `HEADERS`."""
    documented = HEADERS[name]
    return {
        "description": description or documented["description"],
        "required": required,
        "schema": {"type": "string", **documented.get("schema", {})},
    }


def operation_id(route: APIRoute) -> str:
    """The route function's name in camelCase: `list_order_transitions` → `listOrderTransitions`."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def _reasons(declared: Iterable[Declared]) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    for item in declared:
        if isinstance(item, int):
            reasons.setdefault(item, [])
        else:
            for status, reason in item.items():
                reasons.setdefault(status, []).append(reason)
    return reasons


def _problem_response(status: int, reasons: list[str]) -> dict[str, Any]:
    return {
        "description": " ".join(reasons) or HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def merge_responses(*entries: Mapping[int | str, Mapping[str, Any]]) -> dict[int | str, Any]:
    """`responses=` from several helpers' entries, those of one status merged:
    `merge_responses(problems(...), gives_etag(200), links(200, ...))`."""
    merged: dict[int | str, dict[str, Any]] = {}
    for entry in entries:
        for status, response in entry.items():
            target = merged.setdefault(status, {})
            for key, value in response.items():
                if isinstance(value, Mapping) and isinstance(target.get(key), Mapping):
                    target[key] = {**target[key], **value}
                else:
                    target[key] = value
    return merged


def gives_etag(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for a route that sends an `ETag` with `statuses` though it takes
    neither `If-Match` nor `If-None-Match` (which document it by themselves)."""
    return {status: {"headers": {ETAG: header(ETAG)}} for status in statuses}


def link(
    operation_id: str,
    description: str,
    *,
    parameters: Mapping[str, str] | None = None,
    request_body: Any = None,
) -> dict[str, Any]:
    """An OpenAPI link to `operation_id`, its values runtime expressions (`$response.body#/id`)."""
    found: dict[str, Any] = {"operationId": operation_id, "description": description}
    if parameters:
        found["parameters"] = dict(parameters)
    if request_body is not None:
        found["requestBody"] = request_body
    return found


def links(status: int, **named: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """A `responses=` entry: the operations the `status` answer leads to, by link name."""
    return {status: {"links": named}}


def problems(*declared: Declared) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the problems a route answers beyond those that follow from
    the route itself: `problems({409: "The transition is not allowed."}, 422)`."""
    return {
        status: _problem_response(status, reasons) for status, reasons in _reasons(declared).items()
    }


def named_examples(**named: Any) -> dict[str, Example]:
    """`Body(openapi_examples=named_examples(email={...}, webhook={...}))`."""
    return {name: {"value": value} for name, value in named.items()}


def examples(status: int, **named: Any) -> dict[int | str, dict[str, Any]]:
    """A `responses=` entry with named JSON examples of the response with `status`."""
    return {status: {"content": {"application/json": {"examples": named_examples(**named)}}}}


def may_raise(
    *declared: Declared, headers: Mapping[int, Mapping[str, dict[str, Any]]] | None = None
) -> Callable[[Dependency], Dependency]:
    """Mark a dependency with the problems it answers, and the headers some of them carry
    beyond those of their status (`headers={409: {RETRY_AFTER: header(...)}}`); every route
    that depends on it (directly or through other dependencies) documents them."""

    def mark(dependency: Dependency) -> Dependency:
        _DEPENDENCY_PROBLEMS[dependency] = _reasons(declared)
        _DEPENDENCY_HEADERS[dependency] = {
            status: dict(named) for status, named in (headers or {}).items()
        }
        return dependency

    return mark


def _dependency_calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependency_calls(sub)


class _Route(Protocol):
    """A route as included in the app (with its routers' prefixes and dependencies)."""

    methods: set[str]
    path_format: str
    dependant: Dependant


def _from_route(operation: Mapping[str, Any]) -> dict[int, list[str]]:
    """The problems that follow from the operation's parameters and body."""
    found: dict[int, list[str]] = {}
    parameters = operation.get("parameters", [])
    if parameters or "requestBody" in operation:
        found.setdefault(400, []).append(INVALID_REQUEST)
    if any(p["in"] == "query" and p["name"] == "cursor" for p in parameters):
        found.setdefault(400, []).append(INVALID_CURSOR)
    found.setdefault(400, []).append(NUL_REFUSED)  # any request: see oms.core.request_guard
    path_names = [f"`{p['name']}`" for p in parameters if p["in"] == "path"]
    if path_names:
        found[404] = [
            f"Nothing found for the {' and '.join(path_names)} given, or not yours to see."
        ]
    if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in parameters):
        found[412] = [STALE_IF_MATCH]
    if "requestBody" in operation:
        found[413] = [BODY_TOO_LARGE]  # see oms.core.request_guard
    return found


def _from_dependencies(dependant: Dependant) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for call in _dependency_calls(dependant):
        for status, reasons in _DEPENDENCY_PROBLEMS.get(call, {}).items():
            listed = found.setdefault(status, [])
            listed.extend(reason for reason in reasons if reason not in listed)
    found.setdefault(500, []).append(UNEXPECTED)
    return found


def _headers_from_dependencies(dependant: Dependant) -> dict[int, dict[str, dict[str, Any]]]:
    found: dict[int, dict[str, dict[str, Any]]] = {}
    for call in _dependency_calls(dependant):
        for status, named in _DEPENDENCY_HEADERS.get(call, {}).items():
            found.setdefault(status, {}).update(named)
    return found


def _headers_by_status(status: str, response: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    is_problem = PROBLEM_JSON in response.get("content", {})
    if status == "201":
        return {LOCATION: header(LOCATION)}
    if status == "401" and is_problem:
        return {WWW_AUTHENTICATE: header(WWW_AUTHENTICATE)}
    if status in ("429", "503") and is_problem:
        return {RETRY_AFTER: header(RETRY_AFTER)}
    return {}


def _carries_the_version(status: str) -> bool:
    """The answers of a conditional route that give the version: those with a representation,
    a 304 (the copy held is current) and a 412 (what the version is now)."""
    return status in ("304", "412") or (status.startswith("2") and status != "204")


def _document_headers(operation: dict[str, Any], route: _Route) -> None:
    """The headers each response carries: by its status, by the route's conditional
    requests, and as the route's dependencies declare; what the route declares is kept."""
    taken = {p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"}
    conditional = bool(taken & _CONDITIONAL_HEADERS)
    from_dependencies = _headers_from_dependencies(route.dependant)
    for status, response in operation["responses"].items():
        found = _headers_by_status(status, response)
        if conditional and _carries_the_version(status):
            found[ETAG] = header(ETAG)
        found.update(from_dependencies.get(int(status), {}))
        if found:
            response["headers"] = {**found, **response.get("headers", {})}


def _is_fastapi_validation_error(response: Mapping[str, Any]) -> bool:
    content = response.get("content", {}).get("application/json", {})
    return bool(content.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"))


def _document_problems(operation: dict[str, Any], route: _Route) -> None:
    """Each problem's description: what follows from the route, what the route declares,
    then what its dependencies add."""
    responses: dict[str, Any] = operation["responses"]
    if "422" in responses and _is_fastapi_validation_error(responses["422"]):
        del responses["422"]  # OMS answers invalid requests with 400 (see `errors`)
    from_route, from_dependencies = _from_route(operation), _from_dependencies(route.dependant)
    for status in sorted({*from_route, *from_dependencies}):
        key = str(status)
        declared = responses.get(key, {}).get("description", "")
        if declared in ("", HTTPStatus(status).phrase):
            declared = ""
        reasons = [*from_route.get(status, []), declared, *from_dependencies.get(status, [])]
        unique = [reason for reason in dict.fromkeys(reasons) if reason]
        responses.setdefault(key, {})["description"] = " ".join(unique)
    for key, response in responses.items():
        if key[0] in "45" and "content" not in response:
            response["content"] = {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}
    operation["responses"] = dict(sorted(responses.items()))


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[_Route]:
    for context in iter_route_contexts(list(routes)):
        if isinstance(context.original_route, APIRoute) and context.include_in_schema:
            yield cast(_Route, context)


def _document_method_not_allowed(document: dict[str, Any]) -> None:
    """Any path answers 405 to a method it does not serve: OpenAPI documents the operations
    there are, so the answer is described once, as a shared response."""
    components = document.setdefault("components", {}).setdefault("responses", {})
    components[METHOD_NOT_ALLOWED] = {
        "description": "The path does not serve this method; `Allow` names those it does.",
        "headers": {ALLOW: header(ALLOW)},
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }
    info = document["info"]
    info["description"] = "\n\n".join(
        filter(None, [info.get("description"), _METHOD_NOT_ALLOWED_NOTE])
    )


def _parameters_without_null(operation: dict[str, Any]) -> None:
    """An optional parameter is absent, never null: a query string has no way to say null,
    so `anyOf: [X, null]` (what `str | None = None` generates) is documented as X."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        variants = schema.get("anyOf")
        if variants and {"type": "null"} in variants:
            kept = [variant for variant in variants if variant != {"type": "null"}]
            del schema["anyOf"]
            if len(kept) == 1:
                schema.update(kept[0])
            else:
                schema["anyOf"] = kept


def complete_document(document: dict[str, Any], routes: Iterable[BaseRoute]) -> dict[str, Any]:
    """Add the problem responses to FastAPI's document, in place, and the Problem schema."""
    for route in _api_routes(routes):
        for method in route.methods:
            operation = document["paths"].get(route.path_format, {}).get(method.lower())
            if operation is not None:
                _parameters_without_null(operation)
                _document_problems(operation, route)
                _document_headers(operation, route)
    _document_method_not_allowed(document)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template=_REF_TEMPLATE, mode="serialization")
    schemas.update(problem.pop("$defs", {}))
    schemas[PROBLEM_SCHEMA] = problem
    if "/HTTPValidationError" not in json.dumps(document["paths"]):
        # Only FastAPI's 422 answers used them, and OMS answers invalid requests with 400.
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document; it is built on first request, after every route."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if not app.openapi_schema:
            app.openapi_schema = complete_document(generate(), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
