"""The database going away: a real API process, with a fault proxy between it and PostgreSQL,
answers every request 503 problem+json with Retry-After within a bound, names the database
in /health, and serves again by itself once the database is back."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.core.errors import PROBLEM_JSON
from tests.actors import Actor
from tests.api_process import Api, running
from tests.events.conftest import amqp_base_url, amqp_url
from tests.fault_proxy import FaultProxy, Mode
from tests.orders.conftest import ADDRESS, ORDERS, Catalogue, count
from tests.workflow.conftest import demo_workflow

__all__ = ["amqp_base_url", "amqp_url", "demo_workflow"]

# Each timeout is one second here; the worst wait is a pooled connection's pre-ping (one
# statement timeout) and closing it, or a new connection (one connect timeout), then one
# statement: see docs/architecture.md.
TIMEOUTS = {"OMS_DB_CONNECT_TIMEOUT": "1", "OMS_DB_STATEMENT_TIMEOUT": "1"}
BOUND_SECONDS = 4.0


@pytest.fixture
def database_proxy(database_url: str) -> Iterator[FaultProxy]:
    proxy = FaultProxy.to_url(database_url, 5432).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def api(database_url: str, database_proxy: FaultProxy, tmp_path: Path) -> Iterator[Api]:
    """An API process reaching the database through the proxy."""
    env = {"OMS_DATABASE_URL": database_proxy.url(database_url), "OMS_DB_POOL_TIMEOUT": "1"}
    with running("api", tmp_path / "api.log", {**env, **TIMEOUTS}) as process:
        yield process


def _order(product_id: str) -> dict[str, Any]:
    return {"items": [{"product_id": product_id, "quantity": 1}], "shipping_address": ADDRESS}


class Requests:
    """A public, an authenticated and a writing request, as a client would send them."""

    def __init__(self, http: AsyncClient, customer: Actor, product_id: str) -> None:
        self.http, self.customer, self.product_id = http, customer, product_id

    async def each(self) -> dict[str, tuple[httpx.Response, float]]:
        sent: dict[str, Callable[[], Awaitable[httpx.Response]]] = {
            "sign-in": lambda: self.http.post(
                "/api/v1/auth/token",
                data={"username": "nobody@example.test", "password": "wrong-password"},
            ),
            "product list": lambda: self.http.get(
                "/api/v1/products", headers=self.customer.headers
            ),
            "order creation": lambda: self.http.post(
                ORDERS, json=_order(self.product_id), headers=self.customer.headers
            ),
        }
        answers = {}
        for name, send in sent.items():
            started = time.monotonic()
            response = await send()
            answers[name] = (response, time.monotonic() - started)
        return answers


@pytest.fixture
async def product_id(app: FastAPI, demo_workflow: None, admin: Actor, client: AsyncClient) -> str:
    return str((await Catalogue(client, admin).product("CHAIR-1", "19.99", None)).id)


@pytest.fixture
async def requests(api: Api, customer: Actor, product_id: str) -> AsyncIterator[Requests]:
    async with AsyncClient(base_url=api.url, timeout=30) as http:
        yield Requests(http, customer, product_id)


def assert_unavailable(response: httpx.Response, elapsed: float, name: str) -> None:
    assert response.status_code == 503, f"{name}: {response.status_code} {response.text}"
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"] == "urn:oms:problem:database-unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert elapsed < BOUND_SECONDS, f"{name} took {elapsed:.1f}s"


async def _served_again(requests: Requests, within: float = 15.0) -> dict[str, int]:
    deadline = time.monotonic() + within
    while True:
        answers = await requests.each()
        statuses = {name: response.status_code for name, (response, _) in answers.items()}
        if statuses == {"sign-in": 401, "product list": 200, "order creation": 201}:
            return statuses
        assert time.monotonic() < deadline, f"not served again: {statuses}"
        await asyncio.sleep(0.5)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mode", [Mode.RESET, Mode.DROP], ids=["reset", "silent"])
async def test_a_database_outage_is_answered_503_fast_and_the_api_recovers_by_itself(
    mode: Mode,
    api: Api,
    database_proxy: FaultProxy,
    requests: Requests,
    engine: AsyncEngine,
) -> None:
    await _served_again(requests)  # the pool holds connections that are about to break

    database_proxy.set(mode)
    for _ in range(2):  # first on pooled connections, then on new ones
        for name, (response, elapsed) in (await requests.each()).items():
            assert_unavailable(response, elapsed, name)
    started = time.monotonic()
    health = await requests.http.get("/health")
    assert time.monotonic() - started < BOUND_SECONDS
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable"
    assert health.json()["checks"]["database"] != "ok"
    assert (await requests.http.get("/health/live")).status_code == 200

    database_proxy.pass_through()
    await _served_again(requests)
    assert (await requests.http.get("/health")).json()["checks"] == {"database": "ok"}

    # An order attempted during the outage is there with its event, or not at all.
    orders = await count(engine, "orders")
    assert orders >= 2
    assert await count(engine, "outbox_events", "type = 'order.created'") == orders


@pytest.mark.timeout(120)
async def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    api: Api, database_proxy: FaultProxy, requests: Requests
) -> None:
    await _served_again(requests)
    database_proxy.set(Mode.RESET)
    for _ in range(3):
        await requests.each()
    database_proxy.pass_through()
    await _served_again(requests)

    lines = api.log_lines()
    started = [line for line in lines if line["event"] == "dependency unavailable"]
    ended = [line for line in lines if line["event"] == "dependency available again"]
    assert [(line["level"], line["dependency"]) for line in started] == [("warning", "database")]
    assert [(line["level"], line["dependency"]) for line in ended] == [("info", "database")]
    assert not [line for line in lines if line["level"] == "error"]
    assert not [line for line in lines if "exception" in line]


@pytest.fixture
def broker_proxy(amqp_url: str) -> Iterator[FaultProxy]:
    proxy = FaultProxy.to_url(amqp_url, 5672).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def all_in_one(
    database_url: str, amqp_url: str, broker_proxy: FaultProxy, tmp_path: Path
) -> Iterator[Api]:
    """`oms run` (API and relay in one process) reaching RabbitMQ through the proxy."""
    env = {"OMS_DATABASE_URL": database_url, "OMS_AMQP_URL": broker_proxy.url(amqp_url)}
    with running("run", tmp_path / "run.log", env) as process:
        yield process


async def _unpublished(engine: AsyncEngine) -> int:
    return await count(engine, "outbox_events", "published_at IS NULL")


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mode", [Mode.RESET, Mode.DROP], ids=["reset", "silent"])
async def test_with_the_broker_down_orders_are_taken_and_health_names_the_broker(
    mode: Mode,
    all_in_one: Api,
    broker_proxy: FaultProxy,
    customer: Actor,
    product_id: str,
    engine: AsyncEngine,
) -> None:
    async with AsyncClient(base_url=all_in_one.url, timeout=30) as http:
        requests = Requests(http, customer, product_id)
        await _served_again(requests)

        broker_proxy.set(mode)
        for _ in range(2):
            answers = await requests.each()
            assert answers["order creation"][0].status_code == 201
            assert all(elapsed < BOUND_SECONDS for _, elapsed in answers.values())
        started = time.monotonic()
        health = await http.get("/health")
        assert time.monotonic() - started < BOUND_SECONDS
        assert health.status_code == 503
        assert health.json()["checks"]["database"] == "ok"
        assert health.json()["checks"]["broker"] != "ok"
        assert await _unpublished(engine) >= 2, "the events wait in the outbox"

        broker_proxy.pass_through()
        deadline = time.monotonic() + 30
        while await _unpublished(engine) or (await http.get("/health")).status_code != 200:
            assert time.monotonic() < deadline, "the relay did not publish again by itself"
            await asyncio.sleep(0.5)
        assert (await http.get("/health")).json()["checks"] == {"database": "ok", "broker": "ok"}
