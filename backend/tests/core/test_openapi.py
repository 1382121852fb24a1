"""The OpenAPI document is served, and every listing in it pages the same way."""

import re
from typing import Annotated, Any

from fastapi import FastAPI, Query
from httpx import AsyncClient
from pydantic import BaseModel, Field

from oms.core.pagination import (
    DEFAULT_LIMIT,
    MAX_CURSOR_LENGTH,
    MAX_LIMIT,
    Page,
    PageCursor,
    PageLimit,
)


async def test_openapi_document_is_served(client: AsyncClient) -> None:
    response = await client.get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "OMS"
    assert "/health" in document["paths"]


async def test_interactive_docs_are_served(client: AsyncClient) -> None:
    response = await client.get("/api/docs")

    assert response.status_code == 200
    assert "swagger" in response.text.lower()


# GETs that answer a bare JSON array on purpose: each list is bounded, and the docs say so.
UNPAGED_LISTS = frozenset(
    {
        # At most MAX_STATUSES statuses and MAX_TRANSITIONS transitions (oms.workflow.service,
        # refused beyond on create): an admin edits the workflow as a whole (docs/orders.md).
        "/api/v1/workflow/statuses",
        "/api/v1/workflow/customer-statuses",
        "/api/v1/workflow/transitions",
        # The shipped email templates and at most MAX_EDITED_TEMPLATES (200) edited ones
        # (oms.integrations.service, refused beyond): an admin edits them as a set.
        "/api/v1/email-templates",
        # The statuses one order may move to: the exits of one status, fewer than the statuses.
        "/api/v1/orders/{order_id}/transitions",
    }
)
PAGING_PARAMETERS = frozenset({"limit", "cursor", "offset", "page", "page_size", "per_page"})
READABLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _limit_problems(parameter: dict[str, Any] | None) -> list[str]:
    if parameter is None:
        return ["has no `limit`"]
    schema = parameter["schema"]
    shared = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}
    found = {key: schema.get(key) for key in shared}
    extra = sorted({"exclusiveMinimum", "exclusiveMaximum", "anyOf"} & set(schema))
    if found != shared or extra or parameter.get("required"):
        return [f"`limit` is {schema}, not PageLimit (1 to {MAX_LIMIT}, default {DEFAULT_LIMIT})"]
    return []


def _cursor_problems(parameter: dict[str, Any] | None) -> list[str]:
    if parameter is None:
        return ["has no `cursor`"]
    # The served document leaves out FastAPI's `null` variant (a query string has none).
    schema = parameter["schema"]
    variants = schema.get(
        "anyOf", [{"type": schema.get("type"), "maxLength": schema.get("maxLength")}]
    )
    shared = [{"type": "string", "maxLength": MAX_CURSOR_LENGTH}]
    if [v for v in variants if v != {"type": "null"}] != shared or parameter.get("required"):
        return [f"`cursor` is {parameter['schema']}, not PageCursor"]
    return []


def listing_problems(document: dict[str, Any]) -> list[str]:
    """What in the OpenAPI `document` breaks "one way to page every list"."""
    problems: list[str] = []
    arrays: set[str] = set()
    for path, item in sorted(document["paths"].items()):
        operation = item.get("get")
        if operation is None:
            continue
        content = operation["responses"].get("200", {}).get("content", {})
        declared = content.get("application/json", {}).get("schema", {})
        schema = _resolve(document, declared)
        query = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
        found: list[str] = []
        if schema.get("type") == "array":
            arrays.add(path)
            if path not in UNPAGED_LISTS:
                found.append("answers a bare JSON array: answer a Page[T], or justify it above")
        elif "next_cursor" in schema.get("properties", {}) or query.keys() & PAGING_PARAMETERS:
            # A listing: it answers a page, or it takes paging parameters (as offset lists do).
            properties = set(schema.get("properties", {}))
            required = set(schema.get("required", []))
            if properties != {"items", "next_cursor"} or required != properties:
                found.append(f"answers {sorted(properties)}, not Page's items and next_cursor")
            name = declared.get("$ref", "").rsplit("/", 1)[-1]
            if not READABLE_NAME.fullmatch(name) or "Annotated" in name:
                found.append(f"its page schema is named {name!r}: subclass Page[T] to name it")
            found += _limit_problems(query.get("limit"))
            found += _cursor_problems(query.get("cursor"))
            others = query.keys() & (PAGING_PARAMETERS - {"limit", "cursor"})
            found += [f"takes `{other}`" for other in sorted(others)]
        problems += [f"GET {path} {problem}" for problem in found]
    problems += [
        f"GET {path} is listed as unpaged but answers no array"
        for path in sorted(UNPAGED_LISTS - arrays)
    ]
    return problems


async def test_every_list_pages_by_cursor_and_limit_with_the_shared_bounds(
    client: AsyncClient,
) -> None:
    document = (await client.get("/api/openapi.json")).json()

    assert listing_problems(document) == []


def test_the_listing_check_catches_each_kind_of_mistake() -> None:
    class Thing(BaseModel):
        id: int

    class Counted(BaseModel):
        items: list[Thing]
        total: int

    Either = Annotated[Thing | Counted, Field(union_mode="left_to_right")]
    app = FastAPI()

    # The endpoints are never called: only their declarations reach the document.
    @app.get("/bare", response_model=list[Thing])
    async def bare() -> None: ...

    @app.get("/offset", response_model=Counted)
    async def offset(offset: int = 0, limit: PageLimit = DEFAULT_LIMIT) -> None: ...

    @app.get("/wide", response_model=Page[Thing])
    async def wide(
        cursor: PageCursor = None, limit: Annotated[int, Query(ge=1, le=200)] = 50
    ) -> None: ...

    @app.get("/no-cursor", response_model=Page[Thing])
    async def no_cursor(limit: PageLimit = DEFAULT_LIMIT) -> None: ...

    @app.get("/unnamed", response_model=Page[Either])
    async def unnamed(cursor: PageCursor = None, limit: PageLimit = DEFAULT_LIMIT) -> None: ...

    @app.get("/fine", response_model=Page[Thing])
    async def fine(cursor: PageCursor = None, limit: PageLimit = DEFAULT_LIMIT) -> None: ...

    problems = "\n".join(listing_problems(app.openapi()))

    assert "GET /bare answers a bare JSON array" in problems
    assert "GET /offset answers ['items', 'total']" in problems
    assert "GET /offset has no `cursor`" in problems
    assert "GET /offset takes `offset`" in problems
    assert "GET /wide `limit` is" in problems
    assert "GET /no-cursor has no `cursor`" in problems
    assert "GET /unnamed its page schema is named" in problems
    assert "/fine" not in problems
    assert "GET /api/v1/workflow/statuses is listed as unpaged but answers no array" in problems
