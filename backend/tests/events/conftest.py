"""Fixtures of the event tests: RabbitMQ (a virtual host per run) or the embedded queue, a
real SMTP server, an HTTP receiver, and the relay plus workers running in the test's loop."""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import aio_pika
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.core.db import create_engine
from oms.core.settings import Settings
from oms.events import service as events
from oms.events.envelope import WorkerType
from oms.events.pipeline import Pipeline
from oms.events.transport.amqp import dead_queue, declare_topology, retry_queue, worker_queue
from tests.database import checkout_tag, in_ci
from tests.events.services import (
    DEFAULT_AMQP_URL,
    HttpReceiver,
    SmtpServer,
    broker_answers,
    create_vhost,
    delete_vhost,
    unique_vhost_name,
)

TEST_RETRY_DELAYS = [0.2, 0.4, 0.6]


@pytest.fixture(scope="session")
def amqp_base_url() -> str:
    configured = os.environ.get("OMS_TEST_AMQP_URL")
    if configured:
        return configured
    if in_ci():
        pytest.exit("CI=true but OMS_TEST_AMQP_URL is not set", returncode=3)
    parts = urlsplit(DEFAULT_AMQP_URL)
    if not broker_answers(parts.hostname or "127.0.0.1", parts.port or 5672):
        pytest.skip("OMS_TEST_AMQP_URL is unset and no RabbitMQ answers on 127.0.0.1:5672")
    return DEFAULT_AMQP_URL


@pytest.fixture(scope="session")
def amqp_url(amqp_base_url: str) -> Iterator[str]:
    name = unique_vhost_name(checkout_tag())
    url = create_vhost(amqp_base_url, name)
    yield url
    delete_vhost(name)


@pytest.fixture(params=["rabbitmq", "embedded"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def receiver() -> AsyncIterator[HttpReceiver]:
    server = HttpReceiver()
    await server.start()
    yield server
    if server.hold is not None:
        server.hold.set()
    await server.stop()


async def purge_broker(url: str, settings: Settings) -> None:
    connection = await aio_pika.connect(url, timeout=5)
    try:
        channel = await connection.channel()
        await declare_topology(channel, settings)
        for worker in WorkerType:
            names = [worker_queue(worker), dead_queue(worker)]
            names += [retry_queue(worker, delay) for delay in settings.retry_delays]
            for name in names:
                queue = await channel.get_queue(name, ensure=True)
                await queue.purge()
    finally:
        await connection.close()


@pytest.fixture
async def event_settings(
    settings: Settings, mode: str, smtp: SmtpServer, request: pytest.FixtureRequest
) -> Settings:
    overrides: dict[str, Any] = {
        "retry_delays": TEST_RETRY_DELAYS,
        "webhook_allowed_networks": ["127.0.0.0/8"],
        "smtp_url": smtp.url,
        "relay_poll_interval": 0.5,
        "queue_visibility_timeout": 2.0,
        "shutdown_timeout": 5,
        "shop_name": "Kettle & Co",
    }
    if mode == "rabbitmq":
        url = request.getfixturevalue("amqp_url")
        overrides["amqp_url"] = url
        await purge_broker(url, settings.model_copy(update=overrides))
    return settings.model_copy(update=overrides)


@pytest.fixture
async def pipeline_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    # Modest: the PostgreSQL server is shared with other test runs.
    engine = create_engine(database_url, pool_size=8, max_overflow=12)
    yield engine
    await engine.dispose()


@pytest.fixture
async def pipeline(
    event_settings: Settings, pipeline_engine: AsyncEngine, clean_database: None
) -> AsyncIterator[Pipeline]:
    running = Pipeline(event_settings, pipeline_engine, concurrency=4)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def sessions(pipeline_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(pipeline_engine, expire_on_commit=False)


def snapshot(
    order_id: uuid.UUID,
    status: str,
    *,
    number: str = "ORD-1001",
    email: str | None = "buyer@example.test",
) -> dict[str, Any]:
    return {
        "id": str(order_id),
        "number": number,
        "customer_id": str(uuid.uuid4()),
        "customer_email": email,
        "status": status,
        "items": [
            {
                "product_id": str(uuid.UUID(int=1)),
                "sku": "KET-1",
                "name": "Kettle <Deluxe>",
                "quantity": 2,
                "unit_price": "19.99",
                "line_total": "39.98",
            }
        ],
        "totals": {"subtotal": "39.98", "total": "39.98"},
        "currency": "EUR",
        "shipping_address": {"name": "B. Uyer", "city": "Berlin", "country": "DE"},
    }


async def record(
    sessions: async_sessionmaker[AsyncSession],
    event_type: str,
    order_id: uuid.UUID,
    data: dict[str, Any],
) -> uuid.UUID:
    async with sessions() as session, session.begin():
        return await events.record_event(session, type=event_type, order_id=order_id, data=data)


async def record_created(
    sessions: async_sessionmaker[AsyncSession], order_id: uuid.UUID, **options: Any
) -> uuid.UUID:
    return await record(
        sessions, "order.created", order_id, snapshot(order_id, "pending", **options)
    )


async def record_status(
    sessions: async_sessionmaker[AsyncSession],
    order_id: uuid.UUID,
    old: str,
    new: str,
    *,
    note: str | None = None,
    **options: Any,
) -> uuid.UUID:
    data = snapshot(order_id, new, **options)
    data.update(old_status=old, new_status=new, actor={"role": "manager"}, note=note)
    return await record(sessions, "order.status_changed", order_id, data)
