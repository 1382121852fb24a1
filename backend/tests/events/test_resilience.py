"""No event is lost: the broker going away, a worker killed mid-message, several relays."""

import asyncio
import json
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.core.settings import Settings
from oms.integrations.models import Delivery
from oms.outbox import service as outbox
from oms.outbox.events import WorkerType
from oms.outbox.models import OutboxEvent, QueueMessage
from oms.outbox.relay import relay_pending_events
from oms.outbox.transport.embedded import EmbeddedTransport
from oms.pipeline import Pipeline
from tests.actors import Actor
from tests.events.conftest import record_created, record_status, status_changed
from tests.events.services import HttpReceiver, eventually
from tests.events.test_pipeline import create_configuration, deliveries, unpublished
from tests.fault_proxy import FaultProxy, Mode
from tests.processes import OMS, oms_env


@pytest.fixture
def proxy(event_settings: Settings) -> Iterator[FaultProxy]:
    assert event_settings.amqp_url
    tcp = FaultProxy.to_url(event_settings.amqp_url, 5672).start()
    yield tcp
    tcp.stop()


@pytest.mark.parametrize("mode", ["rabbitmq"], indirect=True)
async def test_events_wait_in_the_outbox_while_the_broker_is_away_then_arrive_once(
    event_settings: Settings,
    pipeline_engine: AsyncEngine,
    clean_database: None,
    proxy: FaultProxy,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert event_settings.amqp_url
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    relay = Pipeline(
        event_settings.model_copy(update={"amqp_url": proxy.url(event_settings.amqp_url)}),
        pipeline_engine,
        workers=(),
    )
    # The worker goes through the proxy too: it must reconnect by itself as well.
    workers = Pipeline(
        event_settings.model_copy(update={"amqp_url": proxy.url(event_settings.amqp_url)}),
        pipeline_engine,
        relay=False,
        workers=[WorkerType.WEBHOOK],
    )
    await relay.start()
    await workers.start()
    try:
        first = await record_created(sessions, uuid.uuid4())

        async def first_arrived() -> bool:
            return len(receiver.requests) == 1

        await eventually(first_arrived)

        proxy.set(Mode.RESET)
        recorded = [await record_created(sessions, uuid.uuid4()) for _ in range(5)]
        await asyncio.sleep(1.5)  # the relay keeps trying meanwhile
        assert await unpublished(sessions) == 5
        assert len(receiver.requests) == 1

        proxy.pass_through()

        async def all_arrived() -> bool:
            return len(await deliveries(sessions, status="succeeded")) == 6

        await eventually(all_arrived, within=30)
        ids = [json.loads(request.body)["id"] for request in receiver.requests]
        assert sorted(ids) == sorted(str(event) for event in [first, *recorded])
        assert await unpublished(sessions) == 0
    finally:
        await relay.stop()
        await workers.stop()


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_events_recorded_while_no_relay_runs_are_delivered_once_it_starts(
    event_settings: Settings,
    pipeline_engine: AsyncEngine,
    clean_database: None,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    recorded = [await record_created(sessions, uuid.uuid4()) for _ in range(5)]
    assert await unpublished(sessions) == 5
    async with _running(Pipeline(event_settings, pipeline_engine, concurrency=4)):

        async def all_arrived() -> bool:
            return len(await deliveries(sessions, status="succeeded")) == 5

        await eventually(all_arrived)
    assert sorted(json.loads(r.body)["id"] for r in receiver.requests) == sorted(
        str(event) for event in recorded
    )


class _running:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    async def __aenter__(self) -> Pipeline:
        await self.pipeline.start()
        return self.pipeline

    async def __aexit__(self, *_: object) -> None:
        await self.pipeline.stop()


def _start_worker(settings: Settings, worker: str) -> subprocess.Popen[bytes]:
    env = oms_env(
        OMS_DATABASE_URL=settings.database_url or "",
        OMS_RETRY_DELAYS=",".join(str(delay) for delay in settings.retry_delays),
        OMS_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        OMS_QUEUE_VISIBILITY_TIMEOUT=str(settings.queue_visibility_timeout),
        OMS_RELAY_POLL_INTERVAL="0.5",
        OMS_LOG_LEVEL="warning",
    )
    if settings.amqp_url:
        env["OMS_AMQP_URL"] = settings.amqp_url
    return subprocess.Popen(
        [OMS, "worker", worker, "--concurrency", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def test_a_worker_killed_mid_message_is_redelivered_and_the_effect_happens_once(
    event_settings: Settings,
    pipeline_engine: AsyncEngine,
    clean_database: None,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    receiver.hold = asyncio.Event()
    async with _running(Pipeline(event_settings, pipeline_engine, workers=())):
        event_id = await record_created(sessions, uuid.uuid4())
        first = _start_worker(event_settings, "webhook")
        try:
            await asyncio.wait_for(receiver.arrived.wait(), 30)
            # The worker is inside the webhook call, the message unacknowledged: kill it.
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
        assert await deliveries(sessions) == []
        receiver.hold.set()
        second = _start_worker(event_settings, "webhook")
        try:

            async def redelivered() -> bool:
                return len(await deliveries(sessions, status="succeeded")) == 1

            await eventually(redelivered, within=30)
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(15) == 0, second.stderr.read().decode() if second.stderr else ""
    assert [r.headers["webhook-id"] for r in receiver.requests] == [str(event_id)] * 2
    [delivery] = await deliveries(sessions)
    assert delivery.status == "succeeded"
    assert delivery.event_id == event_id


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_several_relays_publish_each_orders_events_in_order(
    event_settings: Settings,
    pipeline_engine: AsyncEngine,
    clean_database: None,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    orders = [uuid.uuid4() for _ in range(8)]
    statuses = ["confirmed", "packed", "shipped", "delivered", "returned"]
    async with sessions() as session, session.begin():
        for step, status in enumerate(statuses):
            for order_id in orders:
                data = status_changed(order_id, statuses[step - 1] if step else "pending", status)
                await outbox.record_event(session, data, occurred_at=datetime.now(UTC))
    transport = EmbeddedTransport(event_settings, pipeline_engine)

    async def relay_until_empty() -> None:
        for _ in range(200):
            _, locked = await relay_pending_events(sessions, transport, limit=3)
            if not locked:
                return
            await asyncio.sleep(0)

    # A relay stops when it finds nothing to lock; rounds repeat until all is published.
    for _ in range(20):
        await asyncio.gather(*(relay_until_empty() for _ in range(4)))
        if await unpublished(sessions) == 0:
            break
    assert await unpublished(sessions) == 0
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    QueueMessage.body["envelope"]["order_id"].astext,
                    QueueMessage.body["envelope"]["data"]["order"]["status"]["code"].astext,
                )
                .where(QueueMessage.worker == "webhook")
                .order_by(QueueMessage.id)
            )
        ).all()
    assert len(rows) == len(orders) * len(statuses)
    for order_id in orders:
        assert [status for order, status in rows if order == str(order_id)] == statuses


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_a_relay_skips_an_order_whose_earlier_event_another_relay_holds(
    event_settings: Settings,
    pipeline_engine: AsyncEngine,
    clean_database: None,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    held_order, free_order = uuid.uuid4(), uuid.uuid4()
    await record_created(sessions, held_order)
    await record_status(sessions, held_order, "pending", "confirmed")
    await record_created(sessions, free_order)
    transport = EmbeddedTransport(event_settings, pipeline_engine)
    async with sessions() as other, other.begin():
        # Another relay holds the first event of `held_order`.
        await other.execute(
            text("SELECT position FROM outbox_events ORDER BY position LIMIT 1 FOR UPDATE")
        )
        published, locked = await relay_pending_events(sessions, transport)
        assert (published, locked) == (1, 2)
        async with sessions() as session:
            left = (
                await session.scalars(
                    select(OutboxEvent.order_id).where(OutboxEvent.published_at.is_(None))
                )
            ).all()
        assert sorted(map(str, left)) == sorted([str(held_order)] * 2)
    assert await relay_pending_events(sessions, transport) == (2, 2)
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Delivery))
    assert count == 0
