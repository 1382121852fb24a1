"""Every error is RFC 9457 problem+json, with the right status and nothing internal leaked."""

from collections.abc import AsyncIterator

import pytest
from fastapi import APIRouter, FastAPI
from httpx import AsyncClient
from pydantic import BaseModel, Field

from oms.app import create_app
from oms.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    Unauthorized,
)
from oms.core.settings import Settings
from tests.conftest_helpers import serving


class Widget(BaseModel):
    name: str = Field(min_length=1)
    quantity: int = Field(ge=1)


def _probe_router() -> APIRouter:
    router = APIRouter(prefix="/probe")

    @router.post("/widgets", status_code=201)
    async def create_widget(widget: Widget) -> Widget:
        return widget

    @router.get("/raise/{kind}")
    async def raise_problem(kind: str) -> None:
        errors = {
            "401": Unauthorized("No valid token.", headers={"WWW-Authenticate": "Bearer"}),
            "403": Forbidden("Not allowed."),
            "404": NotFound("No such widget."),
            "409": Conflict("Cannot move.", allowed_targets=["confirmed"]),
            "412": PreconditionFailed("Stale ETag."),
        }
        raise errors[kind]

    @router.get("/crash")
    async def crash() -> None:
        raise RuntimeError("secret connection string postgresql://admin:hunter2@db")

    return router


@pytest.fixture
async def probe(settings: Settings) -> AsyncIterator[AsyncClient]:
    app: FastAPI = create_app(settings)
    app.include_router(_probe_router())
    async with serving(app) as client:
        yield client


def _assert_problem(response_body: dict[str, object], status: int) -> None:
    assert response_body["status"] == status
    assert isinstance(response_body["type"], str)
    assert isinstance(response_body["title"], str)


async def test_unknown_route_is_a_404_problem(client: AsyncClient) -> None:
    response = await client.get("/api/v1/does-not-exist")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    _assert_problem(response.json(), 404)
    assert response.json()["instance"] == "/api/v1/does-not-exist"


async def test_wrong_method_is_a_405_problem(client: AsyncClient) -> None:
    response = await client.delete("/health")

    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_invalid_body_is_400_with_one_entry_per_field(probe: AsyncClient) -> None:
    response = await probe.post("/probe/widgets", json={"name": "", "quantity": 0})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    _assert_problem(body, 400)
    fields = {error["field"]: error for error in body["errors"]}
    assert set(fields) == {"name", "quantity"}
    assert fields["quantity"]["in"] == "body"
    assert "greater than or equal to 1" in fields["quantity"]["message"]


async def test_malformed_json_is_400(probe: AsyncClient) -> None:
    response = await probe.post(
        "/probe/widgets", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("status", [401, 403, 404, 409, 412])
async def test_domain_errors_render_with_their_status(probe: AsyncClient, status: int) -> None:
    response = await probe.get(f"/probe/raise/{status}")

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    _assert_problem(body, status)
    assert body["type"].startswith("urn:oms:problem:")
    assert body["detail"]


async def test_domain_error_carries_its_extra_members_and_headers(probe: AsyncClient) -> None:
    conflict = await probe.get("/probe/raise/409")
    unauthorized = await probe.get("/probe/raise/401")

    assert conflict.json()["allowed_targets"] == ["confirmed"]
    assert unauthorized.headers["www-authenticate"] == "Bearer"


async def test_unexpected_error_is_500_without_internals(probe: AsyncClient) -> None:
    response = await probe.get("/probe/crash", headers={"X-Request-ID": "crash-1"})

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "crash-1"
    assert response.headers["connection"] == "close"
    text = response.text
    assert "hunter2" not in text
    assert "RuntimeError" not in text
    assert "Traceback" not in text
    _assert_problem(response.json(), 500)
