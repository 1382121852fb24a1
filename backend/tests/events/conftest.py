"""Fixtures of the event tests: RabbitMQ (a virtual host per run) or the embedded queue, a
real SMTP server, an HTTP receiver, and the relay plus workers running in the test's loop."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import aio_pika
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.core.db import create_engine
from oms.core.settings import Settings
from oms.outbox import service as outbox
from oms.outbox.events import WorkerType
from oms.outbox.transport.amqp import dead_queue, declare_topology, retry_queue, worker_queue
from oms.pipeline import Pipeline
from oms.workflow import demo as workflow_demo
from oms.workflow.models import OrderStatus
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


@pytest.fixture(autouse=True)
async def no_pipeline_left_running() -> AsyncIterator[None]:
    """A relay or worker outliving its test would take the next tests' messages."""
    yield
    left = [
        task.get_name()
        for task in asyncio.all_tasks()
        if task.get_name().startswith("oms-") and not task.done()
    ]
    assert not left, f"still running after the test: {left}"


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


KETTLE_ID = uuid.UUID(int=1)


def snapshot(
    order_id: uuid.UUID,
    status: str,
    *,
    number: str = "OMS-001001",
    email: str = "buyer@example.test",
    product_id: uuid.UUID = KETTLE_ID,
) -> outbox.OrderSnapshot:
    """An order as events carry it, in `status` (its display name: the code, capitalised)."""
    at = datetime.now(UTC)
    return outbox.OrderSnapshot(
        id=order_id,
        number=number,
        status=outbox.StatusRef(code=status, name=status.capitalize()),
        customer=outbox.CustomerRef(id=uuid.UUID(int=7), email=email, name="B. Uyer"),
        items=[
            outbox.OrderItemSnapshot(
                product_id=product_id,
                sku="KET-1",
                name="Kettle <Deluxe>",
                quantity=2,
                unit_price=Decimal("19.99"),
                line_total=Decimal("39.98"),
            )
        ],
        totals=outbox.OrderTotals(items=Decimal("39.98"), total=Decimal("39.98")),
        currency="EUR",
        shipping_address=outbox.AddressSnapshot(
            name="B. Uyer", line1="Hauptstr. 1", city="Berlin", postal_code="10115", country="DE"
        ),
        note=None,
        version=0,
        created_at=at,
        updated_at=at,
    )


ACTOR = outbox.Actor(id=uuid.UUID(int=8), email="manager@example.test")


def status_changed(
    order_id: uuid.UUID, old: str, new: str, *, note: str | None = None, **options: Any
) -> outbox.OrderStatusChangedData:
    return outbox.OrderStatusChangedData(
        order=snapshot(order_id, new, **options),
        previous_status=outbox.StatusRef(code=old, name=old.capitalize()),
        actor=ACTOR,
        note=note,
    )


async def record(sessions: async_sessionmaker[AsyncSession], data: outbox.EventData) -> uuid.UUID:
    async with sessions() as session, session.begin():
        return await outbox.record_event(session, data, occurred_at=datetime.now(UTC))


async def record_created(
    sessions: async_sessionmaker[AsyncSession], order_id: uuid.UUID, **options: Any
) -> uuid.UUID:
    data = outbox.OrderCreatedData(order=snapshot(order_id, "pending", **options), actor=ACTOR)
    return await record(sessions, data)


async def record_status(
    sessions: async_sessionmaker[AsyncSession],
    order_id: uuid.UUID,
    old: str,
    new: str,
    *,
    note: str | None = None,
    **options: Any,
) -> uuid.UUID:
    return await record(sessions, status_changed(order_id, old, new, note=note, **options))


# Statuses the event tests trigger on, besides the demo workflow's.
EXTRA_STATUSES = ("pending", "parcel_lost", "on_hold")


@pytest.fixture(autouse=True)
async def workflow_statuses(request: pytest.FixtureRequest, pipeline_engine: AsyncEngine) -> None:
    """Triggers must name statuses the workflow has: tests that use the database get the
    demo workflow and a few more."""
    if "clean_database" not in request.fixturenames:
        return
    sessions = async_sessionmaker(pipeline_engine, expire_on_commit=False)
    async with sessions() as session, session.begin():
        await workflow_demo.seed_demo_workflow(session)
        for position, code in enumerate(EXTRA_STATUSES, start=100):
            session.add(OrderStatus(code=code, name=code.capitalize(), position=position))
