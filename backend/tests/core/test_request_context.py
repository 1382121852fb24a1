import json

import pytest
from httpx import AsyncClient

from oms.core.logging import configure_logging


async def test_every_response_carries_a_request_id(client: AsyncClient) -> None:
    first = await client.get("/health/live")
    second = await client.get("/health/live")

    assert len(first.headers["x-request-id"]) >= 16
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_well_formed_incoming_request_id_is_kept(client: AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "edge-proxy-42"})

    assert response.headers["x-request-id"] == "edge-proxy-42"


async def test_a_malformed_incoming_request_id_is_replaced(client: AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith spaces"})

    assert response.headers["x-request-id"] != "bad id\twith spaces"


async def test_log_lines_are_json_with_the_request_id(
    client: AsyncClient, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging("info", "json")
    capfd.readouterr()

    await client.get("/health", headers={"X-Request-ID": "trace-me"})

    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.strip()]
    request_lines = [line for line in lines if line.get("event") == "request"]
    assert request_lines, lines
    assert request_lines[-1]["request_id"] == "trace-me"
    assert request_lines[-1]["path"] == "/health"
    assert request_lines[-1]["status"] == 200
