"""The embedded transport: per-worker queues in the `queue_messages` table.

Publishing writes one row per worker in the relay's own transaction, so a row is queued
exactly when the outbox row is marked published. A consumer takes rows with `FOR UPDATE
SKIP LOCKED` and hides them for the visibility timeout; a consumer that dies lets them
reappear. Retries move `available_at` forward; dead messages stay with `state = 'dead'`.
"""

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.core.settings import Settings
from oms.outbox.events import Envelope, workers_hearing
from oms.outbox.metrics import DEAD_LETTERED
from oms.outbox.models import QueueMessage
from oms.outbox.notifications import Listener
from oms.outbox.transport.base import (
    DELIVERY_LIMIT,
    Incoming,
    MessageHandler,
    Outgoing,
)

log = structlog.get_logger("oms.outbox")
BATCH = 20


class EmbeddedTransport:
    def __init__(self, settings: Settings, engine: AsyncEngine, *, concurrency: int = 8):
        self.settings = settings
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.concurrency = concurrency

    async def publish(self, session: AsyncSession, batch: Sequence[Outgoing]) -> None:
        rows: list[dict[str, Any]] = []
        for item in batch:
            workers = (
                [item.target_worker] if item.target_worker else workers_hearing(item.envelope.type)
            )
            body = {"envelope": item.envelope.model_dump(mode="json"), "manual": item.manual}
            rows.extend(
                {
                    "worker": str(worker),
                    "event_id": item.envelope.id,
                    "body": body,
                    "configuration_ids": list(item.configuration_ids)
                    if item.configuration_ids
                    else None,
                }
                for worker in workers
            )
        if rows:
            await session.execute(insert(QueueMessage), rows)

    async def consume(self, worker: str, handler: MessageHandler) -> None:
        listener = Listener(self.engine.url, "oms_queue", accept=lambda name: name == worker)
        running: set[asyncio.Task[None]] = set()

        def finished(task: asyncio.Task[None]) -> None:
            running.discard(task)
            listener.woken.set()  # a free slot: look for more work now

        try:
            while True:
                free = self.concurrency - len(running)
                taken = await self._take(worker, free) if free > 0 else []
                for row in taken:
                    task = asyncio.create_task(self._handle(row, handler))
                    running.add(task)
                    task.add_done_callback(finished)
                if taken and len(taken) == free:
                    continue
                # With nothing due, sleep until the next delayed message (a retry) is due;
                # a NOTIFY or a finished message wakes us earlier.
                idle = (
                    await self._idle_time(worker)
                    if free > 0 and not taken
                    else self.settings.relay_poll_interval
                )
                await listener.wait(idle)
        finally:
            await listener.close()
            if running:
                await asyncio.gather(*running, return_exceptions=True)

    async def _take(self, worker: str, limit: int) -> list[QueueMessage]:
        visibility = timedelta(seconds=self.settings.queue_visibility_timeout)
        candidates = (
            select(QueueMessage.id)
            .where(
                QueueMessage.worker == worker,
                QueueMessage.state == "ready",
                QueueMessage.available_at <= func.now(),
            )
            .order_by(QueueMessage.id)
            .limit(min(limit, BATCH))
            .with_for_update(skip_locked=True)
        )
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(QueueMessage)
                .where(QueueMessage.id.in_(candidates.scalar_subquery()))
                .values(
                    available_at=func.now() + visibility,
                    deliveries=QueueMessage.deliveries + 1,
                )
                .returning(QueueMessage)
            )
            return sorted(result.scalars().all(), key=lambda row: row.id)

    async def _idle_time(self, worker: str) -> float:
        """Until the next hidden or delayed message is due, at most the poll interval."""
        poll = self.settings.relay_poll_interval
        async with self.sessions() as session:
            due = await session.scalar(
                select(func.min(QueueMessage.available_at)).where(
                    QueueMessage.worker == worker, QueueMessage.state == "ready"
                )
            )
        if due is None:
            return poll
        return min(poll, max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.01)

    async def _handle(self, row: QueueMessage, handler: MessageHandler) -> None:
        settlement = _EmbeddedSettlement(self, row)
        if row.deliveries > DELIVERY_LIMIT:
            await settlement.dead(
                tuple(row.configuration_ids or ()),
                f"delivered {row.deliveries - 1} times without being finished",
            )
            return
        ids = tuple(row.configuration_ids) if row.configuration_ids else None
        incoming = Incoming(
            envelope=Envelope.model_validate(row.body["envelope"]),
            worker=row.worker,
            attempt=row.attempt,
            configuration_ids=ids,
            manual=bool(row.body.get("manual")),
        )
        try:
            await handler(incoming, settlement)
        except Exception:
            # Left hidden: it reappears after the visibility timeout and counts a delivery.
            log.exception("message handling failed", worker=row.worker, message=row.id)

    async def close(self) -> None:
        return None


class _EmbeddedSettlement:
    def __init__(self, transport: EmbeddedTransport, row: QueueMessage):
        self.transport = transport
        self.row = row

    async def ack(self) -> None:
        async with self.transport.sessions() as session, session.begin():
            await session.execute(delete(QueueMessage).where(QueueMessage.id == self.row.id))

    async def retry(
        self, delay_index: int, configuration_ids: tuple[uuid.UUID, ...], error: str
    ) -> None:
        delay = timedelta(seconds=self.transport.settings.retry_delays[delay_index])
        async with self.transport.sessions() as session, session.begin():
            await session.execute(
                update(QueueMessage)
                .where(QueueMessage.id == self.row.id)
                .values(
                    attempt=QueueMessage.attempt + 1,
                    available_at=func.now() + delay,
                    configuration_ids=list(configuration_ids),
                    deliveries=0,
                    last_error=error,
                )
            )

    async def dead(self, configuration_ids: tuple[uuid.UUID, ...], error: str) -> None:
        async with self.transport.sessions() as session, session.begin():
            await session.execute(
                update(QueueMessage)
                .where(QueueMessage.id == self.row.id)
                .values(state="dead", configuration_ids=list(configuration_ids), last_error=error)
            )
        DEAD_LETTERED.labels(worker=self.row.worker).inc()
