"""No query parameter reaches PostgreSQL out of the range of the column it is compared with:
every listing's integers, date-times and cursors are checked, walked from the OpenAPI
document so that a new listing is covered without anyone remembering to add it."""

import base64
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.actors import Actor

BEYOND_64_BITS = "19858203783724879872"
# Valid ISO 8601, but in UTC the years 0 and 10000.
UNSTORABLE_MOMENTS = ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00")


def _cursor(*values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


# Cursors of each shape a listing uses, each with a value no column can hold.
UNSTORABLE_CURSORS = {
    "a 65-bit integer": _cursor(["i", 2**64]),
    "a NUL in text": _cursor(["s", "a\u0000"]),
    "a lone surrogate": _cursor(["s", "\ud800"]),
    "a year-0 moment": _cursor(["t", UNSTORABLE_MOMENTS[0]], ["u", str(uuid.uuid4())]),
    "a NUL in a triple": _cursor(["s", "a\u0000"], ["s", "b"], ["u", str(uuid.uuid4())]),
}


def _listings(app: FastAPI) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for path, item in app.openapi()["paths"].items():
        get = item.get("get")
        if get is None:
            continue
        url = path
        for parameter in get.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(uuid.uuid4()))
        yield url, [p for p in get.get("parameters", []) if p["in"] == "query"]


def _schemas(parameter: dict[str, Any]) -> list[dict[str, Any]]:
    schema = parameter["schema"]
    return [schema, *schema.get("anyOf", [])]


async def _assert_refused(
    client: AsyncClient, admin: Actor, url: str, name: str, value: str
) -> None:
    response = await client.get(url, params={name: value}, headers=admin.headers)
    assert response.status_code == 400, (url, name, value, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    if problem["type"] != "urn:oms:problem:invalid-cursor":
        assert [(e["field"], e["in"]) for e in problem["errors"]] == [(name, "query")]


async def test_integers_beyond_64_bits_in_a_query_are_400(
    app: FastAPI, client: AsyncClient, admin: Actor
) -> None:
    checked = 0
    for url, parameters in _listings(app):
        for parameter in parameters:
            if any(schema.get("type") == "integer" for schema in _schemas(parameter)):
                for value in (BEYOND_64_BITS, "-" + BEYOND_64_BITS, "99999999999999999999"):
                    await _assert_refused(client, admin, url, parameter["name"], value)
                checked += 1
    assert checked >= 5  # every listing's limit, at least


async def test_date_times_outside_what_postgresql_stores_are_400(
    app: FastAPI, client: AsyncClient, admin: Actor
) -> None:
    checked = 0
    for url, parameters in _listings(app):
        for parameter in parameters:
            if any(schema.get("format") == "date-time" for schema in _schemas(parameter)):
                for value in UNSTORABLE_MOMENTS:
                    await _assert_refused(client, admin, url, parameter["name"], value)
                checked += 1
    assert checked >= 2  # the orders listing's created_from and created_to


@pytest.mark.parametrize("cursor", UNSTORABLE_CURSORS.values(), ids=UNSTORABLE_CURSORS.keys())
async def test_a_cursor_holding_an_unstorable_value_is_400(
    app: FastAPI, client: AsyncClient, admin: Actor, cursor: str
) -> None:
    checked = 0
    for url, parameters in _listings(app):
        if any(parameter["name"] == "cursor" for parameter in parameters):
            await _assert_refused(client, admin, url, "cursor", cursor)
            checked += 1
    assert checked >= 5


async def test_a_number_is_not_a_date_time(app: FastAPI, client: AsyncClient, admin: Actor) -> None:
    checked = 0
    for url, parameters in _listings(app):
        for parameter in parameters:
            if any(schema.get("format") == "date-time" for schema in _schemas(parameter)):
                for value in ("0.5", "1700000000", "2026-12", "yesterday"):
                    await _assert_refused(client, admin, url, parameter["name"], value)
                ok = await client.get(
                    url, params={parameter["name"]: "2026-12-01T09:30:00Z"}, headers=admin.headers
                )
                assert ok.status_code == 200, ok.text
                checked += 1
    assert checked >= 2
