"""Fixtures of the fault tests: a shop to order from, a webhook receiver, OMS processes and
fault proxies in front of PostgreSQL and RabbitMQ."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from oms.auth.permissions import Role
from oms.core.settings import Settings
from oms.workflow.demo import seed_demo_workflow
from tests.actors import Actor, sign_in_as
from tests.events.conftest import amqp_base_url, amqp_url, purge_broker
from tests.events.services import HttpReceiver
from tests.events.test_pipeline import create_configuration
from tests.fault_proxy import FaultProxy
from tests.faults.cluster import ApiProcess, OmsProcess, cluster
from tests.orders.conftest import Catalogue

__all__ = ["amqp_base_url", "amqp_url"]

CLIENTS = 4
STOCK = 100_000
RETRY_DELAYS = "0.2,0.4,0.8"


@dataclass(frozen=True)
class Shop:
    """What the stream orders: `items` per order, by customers holding `tokens`."""

    tokens: list[str]
    items: list[dict[str, Any]]
    stock: dict[str, int]


@pytest.fixture
async def receiver() -> AsyncIterator[HttpReceiver]:
    server = HttpReceiver()
    await server.start()
    yield server
    if server.hold is not None:
        server.hold.set()
    await server.stop()


@pytest.fixture
async def shop(app: FastAPI, client: AsyncClient, admin: Actor, receiver: HttpReceiver) -> Shop:
    async with app.state.sessions() as session, session.begin():
        await seed_demo_workflow(session)
    catalogue = Catalogue(client, admin)
    await catalogue.product("CHAIR-1", "19.99", STOCK)
    await catalogue.product("DESK-1", "249.00", STOCK)
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    customers = [
        await sign_in_as(app, f"buyer{n}@example.test", frozenset({Role.CUSTOMER}))
        for n in range(CLIENTS)
    ]
    return Shop(
        tokens=[customer.token for customer in customers],
        items=[{"sku": "CHAIR-1", "quantity": 1}, {"sku": "DESK-1", "quantity": 2}],
        stock={"CHAIR-1": STOCK, "DESK-1": STOCK},
    )


@dataclass
class Stack:
    """OMS as deployed: an API, a relay and a webhook worker, each a process of its own and
    each behind a fault proxy: the API's link to PostgreSQL (`database`), the relay's and the
    worker's to RabbitMQ (`relay_broker`, `worker_broker`)."""

    api: ApiProcess
    relay: OmsProcess
    worker: OmsProcess
    database: FaultProxy
    relay_broker: FaultProxy
    worker_broker: FaultProxy


@pytest.fixture(scope="package")
def running_stack(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, amqp_url: str
) -> Iterator[Stack]:
    """Started once for the fault tests (starting Python processes is slow on a busy machine);
    each test gets it whole again through `stack`."""
    database = FaultProxy.to_url(database_url, 5432).start()
    relay_broker = FaultProxy.to_url(amqp_url, 5672).start()
    worker_broker = FaultProxy.to_url(amqp_url, 5672).start()
    with cluster(
        tmp_path_factory.mktemp("oms-logs"),
        OMS_DATABASE_URL=database_url,
        OMS_RETRY_DELAYS=RETRY_DELAYS,
        OMS_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        OMS_RELAY_POLL_INTERVAL="0.5",
        OMS_LOG_LEVEL="warning",
        # Each client places hundreds of orders a minute on purpose: no rate limit here.
        OMS_RATE_LIMIT_ORDERS_PER_USER="",
        OMS_RATE_LIMIT_ORDERS_PER_ADDRESS="",
    ) as oms:
        yield Stack(
            api=oms.api(OMS_DATABASE_URL=database.url(database_url)),
            relay=oms.relay(OMS_AMQP_URL=relay_broker.url(amqp_url)),
            worker=oms.worker("webhook", OMS_AMQP_URL=worker_broker.url(amqp_url)),
            database=database,
            relay_broker=relay_broker,
            worker_broker=worker_broker,
        )
    for proxy in (database, relay_broker, worker_broker):
        proxy.stop()


@pytest.fixture
async def stack(running_stack: Stack, broker: str, shop: Shop) -> AsyncIterator[Stack]:
    """Every link passing and every process running (those an earlier test stopped are
    started again); the processes' logs are printed, and shown if the test fails."""
    for proxy in (running_stack.database, running_stack.relay_broker, running_stack.worker_broker):
        proxy.pass_through()
    for process in (running_stack.api, running_stack.relay, running_stack.worker):
        if not process.running:
            process.start()
    await asyncio.to_thread(running_stack.api.wait_until_serving)
    yield running_stack
    for process in (running_stack.api, running_stack.relay, running_stack.worker):
        print(repr(process))


@pytest.fixture
async def broker(amqp_url: str, settings: Settings) -> str:
    """The run's RabbitMQ virtual host, emptied of earlier tests' messages."""
    delays = [float(delay) for delay in RETRY_DELAYS.split(",")]
    await purge_broker(amqp_url, settings.model_copy(update={"retry_delays": delays}))
    return amqp_url
