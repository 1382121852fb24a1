"""Bodies are bounded and NUL characters are refused before any route sees the request."""

import socket
import subprocess
import uuid
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from oms.auth.models import User
from oms.core.settings import Settings
from tests.actors import Actor
from tests.conftest_helpers import running_app
from tests.processes import OMS, free_port, oms_env, wait_until_serving

REGISTER = "/api/v1/auth/register"


async def _users(engine: AsyncEngine) -> int:
    async with AsyncSession(engine) as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


def _nul_problem(response_json: dict[str, object], field: str, where: str) -> None:
    assert response_json["type"] == "urn:oms:problem:validation"
    assert response_json["errors"] == [
        {"field": field, "in": where, "message": "contains a NUL character", "type": "nul"}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a\u0000@example.com", "password": "long enough pass"}, "email"),
        ({"email": "a@example.com", "password": "x\u0000" * 8}, "password"),
        (
            {"email": "a@example.com", "password": "long enough pass", "full_name": "\u0000"},
            "full_name",
        ),
    ],
)
async def test_a_nul_in_a_json_body_is_400_naming_the_field_and_stores_nothing(
    client: AsyncClient, engine: AsyncEngine, body: dict[str, str], field: str
) -> None:
    before = await _users(engine)
    response = await client.post(REGISTER, json=body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    _nul_problem(response.json(), field, "body")
    assert await _users(engine) == before


async def test_a_nul_deep_in_a_json_body_names_its_path(
    client: AsyncClient, customer: Actor
) -> None:
    order = {
        "items": [{"sku": "A", "quantity": 1}],
        "shipping_address": {
            "name": "N",
            "line1": "L",
            "city": "C\u0000",
            "postal_code": "1",
            "country": "DE",
        },
    }
    response = await client.post("/api/v1/orders", json=order, headers=customer.headers)
    assert response.status_code == 400
    _nul_problem(response.json(), "shipping_address.city", "body")


async def test_a_nul_in_a_form_body_query_or_path_is_400(
    client: AsyncClient, customer: Actor
) -> None:
    form = await client.post(
        "/api/v1/auth/token", data={"username": "a\u0000@example.com", "password": "x"}
    )
    assert form.status_code == 400
    _nul_problem(form.json(), "username", "body")

    query = await client.get(
        "/api/v1/products", params={"q": "kettle\u0000"}, headers=customer.headers
    )
    assert query.status_code == 400
    _nul_problem(query.json(), "q", "query")

    path = await client.get(f"/api/v1/orders/{uuid.uuid4()}%00", headers=customer.headers)
    assert path.status_code == 400
    _nul_problem(path.json(), "path", "path")


async def test_an_escaped_backslash_before_u0000_is_not_a_nul(client: AsyncClient) -> None:
    # `\\u0000` in JSON is a backslash followed by "u0000": ordinary text.
    response = await client.post(
        REGISTER,
        content=b'{"email": "a@example.com", "password": "pass\\\\u0000word!"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text


async def test_a_body_over_the_limit_is_413_and_nothing_is_stored(
    settings: Settings, engine: AsyncEngine
) -> None:
    before = await _users(engine)
    limited = settings.model_copy(update={"max_body_bytes": 2048})
    padding = "x" * 4096
    async with running_app(limited) as client:
        declared = await client.post(
            REGISTER,
            json={"email": "big@example.com", "password": "long enough pass", "full_name": padding},
        )

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(8):
                yield b" " * 1024

        streamed = await client.post(
            REGISTER, content=chunks(), headers={"Content-Type": "application/json"}
        )
        small = await client.post(
            REGISTER, json={"email": "small@example.com", "password": "long enough pass"}
        )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["connection"] == "close"
        assert response.json()["max_bytes"] == 2048
        assert response.headers["x-request-id"]
    assert small.status_code == 201
    assert await _users(engine) == before + 1


def test_a_declared_body_over_the_limit_is_refused_before_it_is_sent(database_url: str) -> None:
    """Over a real socket: the answer comes while the client still holds most of the body."""
    port = free_port()
    process = subprocess.Popen(
        [OMS, "api"],
        env=oms_env(OMS_DATABASE_URL=database_url, OMS_PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/health/live", process)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(
                b"POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{"
            )
            answer = connection.recv(4096).decode()
    finally:
        process.terminate()
        process.wait(30)
    assert answer.startswith("HTTP/1.1 413")
    assert "application/problem+json" in answer


async def test_json_nested_past_the_bound_is_400_naming_where_and_stores_nothing(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    before = await _users(engine)
    deep = '{"email": "a@example.com", "password": "long enough pass", "full_name": '
    for body in (
        deep + "[" * 40 + "]" * 40 + "}",
        deep + '{"x": "[[[[", "y": [0, ' + "[" * 31 + "]" * 31 + "]}}",
        "[" * 1_000_000,  # past Python's recursion limit, and not even well-formed
    ):
        response = await client.post(
            REGISTER, content=body.encode(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, response.text[:300]
        assert response.headers["content-type"] == "application/problem+json"
        [error] = response.json()["errors"]
        assert error["type"] == "json_depth"
    assert response.json()["errors"][0]["field"] == ".".join(["0"] * 32)
    assert await _users(engine) == before


def test_the_depth_path_names_keys_and_indexes() -> None:
    from oms.core.request_guard import _too_deep_path

    body = b'{"a": [1, {"k,": "}"}, {"b": {"c": [[]]}}]}'
    assert _too_deep_path(body, 4) == "a.2.b.c"
    assert _too_deep_path(body, 5) == "a.2.b.c.0"
