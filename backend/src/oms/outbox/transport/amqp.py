"""The RabbitMQ transport.

Topology (declared by the relay and by every worker, so either may start first):
- `oms.events`: durable topic exchange; routing key = event type.
- `oms.<worker>`: quorum queue bound to the event types the worker hears (`HEARD_BY`);
  delivery limit and dead-lettering to `oms.<worker>.dead` declared explicitly (3.10 and
  4.x differ in their defaults).
- `oms.<worker>.retry.<ms>ms`: one classic queue per retry delay; its TTL dead-letters the
  message back to `oms.<worker>`, so waiting retries never block the worker queue.
- `oms.<worker>.dead`: quorum queue of messages that used up their retries.
"""

import asyncio
import contextlib
import json
import uuid
from collections.abc import Sequence
from typing import Any

import aio_pika
import structlog
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractExchange,
    AbstractIncomingMessage,
)
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.settings import Settings
from oms.outbox.events import EXCHANGE, Envelope, WorkerType, events_heard_by
from oms.outbox.metrics import DEAD_LETTERED
from oms.outbox.transport.base import DELIVERY_LIMIT, Incoming, MessageHandler, Outgoing

log = structlog.get_logger("oms.outbox")

ATTEMPT_HEADER = "x-oms-attempt"
CONFIGURATIONS_HEADER = "x-oms-configuration-ids"
MANUAL_HEADER = "x-oms-manual"
ERROR_HEADER = "x-oms-error"
CONNECT_TIMEOUT = 5.0
PUBLISH_TIMEOUT = 10.0
RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)
CATCH_ALL_BINDING = "#"


def worker_queue(worker: str) -> str:
    return f"oms.{worker}"


def dead_queue(worker: str) -> str:
    return f"oms.{worker}.dead"


def retry_queue(worker: str, delay: float) -> str:
    return f"oms.{worker}.retry.{round(delay * 1000)}ms"


async def declare_topology(channel: AbstractChannel, settings: Settings) -> AbstractExchange:
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
    for worker in WorkerType:
        await channel.declare_queue(
            dead_queue(worker), durable=True, arguments={"x-queue-type": "quorum"}
        )
        queue = await channel.declare_queue(
            worker_queue(worker),
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": DELIVERY_LIMIT,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": dead_queue(worker),
                "x-dead-letter-strategy": "at-most-once",
            },
        )
        for event_type in events_heard_by(worker):
            await queue.bind(exchange, routing_key=event_type)
        # Earlier versions bound every queue with `#`; account events must not reach
        # workers that do not hear them.
        await queue.unbind(exchange, routing_key=CATCH_ALL_BINDING)
        for delay in settings.retry_delays:
            await channel.declare_queue(
                retry_queue(worker, delay),
                durable=True,
                arguments={
                    "x-queue-type": "classic",
                    "x-message-ttl": round(delay * 1000),
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": worker_queue(worker),
                },
            )
    return exchange


def _message(
    envelope: Envelope,
    *,
    attempt: int,
    configuration_ids: Sequence[uuid.UUID] | None,
    manual: bool,
    error: str | None = None,
) -> aio_pika.Message:
    headers: dict[str, Any] = {ATTEMPT_HEADER: attempt, MANUAL_HEADER: manual}
    if configuration_ids:
        headers[CONFIGURATIONS_HEADER] = ",".join(str(item) for item in configuration_ids)
    if error:
        headers[ERROR_HEADER] = error[:1000]
    return aio_pika.Message(
        body=envelope.to_json(),
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=str(envelope.id),
        type=envelope.type,
        headers=headers,
    )


def _incoming(worker: str, message: AbstractIncomingMessage) -> Incoming:
    headers = message.headers or {}
    raw_ids = headers.get(CONFIGURATIONS_HEADER)
    ids = tuple(uuid.UUID(item) for item in str(raw_ids).split(",") if item) if raw_ids else None
    attempt = headers.get(ATTEMPT_HEADER, 1)
    return Incoming(
        envelope=Envelope.model_validate(json.loads(message.body)),
        worker=worker,
        attempt=int(attempt) if isinstance(attempt, int | str) else 1,
        configuration_ids=ids,
        manual=bool(headers.get(MANUAL_HEADER, False)),
    )


class AmqpTransport:
    def __init__(self, settings: Settings, *, concurrency: int = 8):
        assert settings.amqp_url, "the RabbitMQ transport needs OMS_AMQP_URL"
        self.settings = settings
        self.url = settings.amqp_url
        self.concurrency = concurrency
        self._publisher: tuple[AbstractConnection, AbstractChannel, AbstractExchange] | None = None

    async def _connect(self) -> AbstractConnection:
        return await aio_pika.connect(self.url, timeout=CONNECT_TIMEOUT)

    async def _publishing(self) -> tuple[AbstractChannel, AbstractExchange]:
        if self._publisher is not None and not self._publisher[0].is_closed:
            return self._publisher[1], self._publisher[2]
        await self._drop_publisher()
        connection = await self._connect()
        try:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await declare_topology(channel, self.settings)
        except BaseException:
            await connection.close()
            raise
        self._publisher = (connection, channel, exchange)
        return channel, exchange

    async def _drop_publisher(self) -> None:
        if self._publisher is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await self._publisher[0].close()
        self._publisher = None

    async def publish(self, session: AsyncSession, batch: Sequence[Outgoing]) -> None:
        """Publish in order, pipelined; returns once the broker confirmed every message."""
        try:
            channel, exchange = await self._publishing()
            confirms = []
            for item in batch:
                message = _message(
                    item.envelope,
                    attempt=1,
                    configuration_ids=item.configuration_ids,
                    manual=item.manual,
                )
                if item.target_worker:
                    confirms.append(
                        channel.default_exchange.publish(
                            message,
                            routing_key=worker_queue(item.target_worker),
                            timeout=PUBLISH_TIMEOUT,
                        )
                    )
                else:
                    confirms.append(
                        exchange.publish(
                            message, routing_key=item.envelope.type, timeout=PUBLISH_TIMEOUT
                        )
                    )
            await asyncio.gather(*confirms)
        except BaseException:
            await self._drop_publisher()
            raise

    async def consume(self, worker: str, handler: MessageHandler) -> None:
        failures = 0
        while True:
            try:
                await self._consume_once(worker, handler)
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - any broker trouble means reconnect
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                log.warning("broker connection lost", worker=worker, error=repr(error))
                await asyncio.sleep(delay)

    async def _consume_once(self, worker: str, handler: MessageHandler) -> None:
        connection = await self._connect()
        running: set[asyncio.Task[None]] = set()
        try:
            channel = await connection.channel(publisher_confirms=True)
            await channel.set_qos(prefetch_count=self.concurrency)
            await declare_topology(channel, self.settings)
            queue = await channel.get_queue(worker_queue(worker), ensure=False)
            closed = asyncio.Event()
            connection.close_callbacks.add(lambda *_: closed.set())
            channel.close_callbacks.add(lambda *_: closed.set())

            async def on_message(message: AbstractIncomingMessage) -> None:
                task = asyncio.create_task(self._handle(channel, worker, message, handler))
                running.add(task)
                task.add_done_callback(running.discard)

            await queue.consume(on_message)
            log.info("consuming", worker=worker, queue=worker_queue(worker))
            await closed.wait()
            raise ConnectionError("the broker closed the connection")
        finally:
            if running:
                await asyncio.wait(running, timeout=self.settings.shutdown_timeout)
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await connection.close()

    async def _handle(
        self,
        channel: AbstractChannel,
        worker: str,
        message: AbstractIncomingMessage,
        handler: MessageHandler,
    ) -> None:
        try:
            incoming = _incoming(worker, message)
        except ValueError as error:
            log.error("malformed message dead-lettered", worker=worker, error=str(error))
            await message.reject(requeue=False)
            DEAD_LETTERED.labels(worker=worker).inc()
            return
        settlement = _AmqpSettlement(self.settings, channel, worker, message, incoming)
        try:
            await handler(incoming, settlement)
        except Exception:
            log.exception("message handling failed", worker=worker)
            # Back to the queue; the delivery limit dead-letters a message that keeps failing.
            await asyncio.sleep(1)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)

    async def close(self) -> None:
        await self._drop_publisher()


class _AmqpSettlement:
    def __init__(
        self,
        settings: Settings,
        channel: AbstractChannel,
        worker: str,
        message: AbstractIncomingMessage,
        incoming: Incoming,
    ):
        self.settings = settings
        self.channel = channel
        self.worker = worker
        self.message = message
        self.incoming = incoming

    async def ack(self) -> None:
        await self.message.ack()

    async def _forward(
        self, queue: str, attempt: int, ids: tuple[uuid.UUID, ...], error: str
    ) -> None:
        message = _message(
            self.incoming.envelope,
            attempt=attempt,
            configuration_ids=ids,
            manual=self.incoming.manual,
            error=error,
        )
        # Confirmed before the original is acked: a crash in between repeats, never loses.
        await self.channel.default_exchange.publish(
            message, routing_key=queue, timeout=PUBLISH_TIMEOUT
        )
        await self.message.ack()

    async def retry(
        self, delay_index: int, configuration_ids: tuple[uuid.UUID, ...], error: str
    ) -> None:
        delay = self.settings.retry_delays[delay_index]
        await self._forward(
            retry_queue(self.worker, delay), self.incoming.attempt + 1, configuration_ids, error
        )

    async def dead(self, configuration_ids: tuple[uuid.UUID, ...], error: str) -> None:
        await self._forward(
            dead_queue(self.worker), self.incoming.attempt, configuration_ids, error
        )
        DEAD_LETTERED.labels(worker=self.worker).inc()


async def queue_depths(settings: Settings) -> list[tuple[str, str, int]]:
    """(worker, `ready` | `waiting` | `dead`, messages) of the broker's queues: those ready
    in the worker queue (not those consumers hold), waiting in its retry queues, and dead.
    Queues are looked at, never declared; one not there yet counts 0."""
    assert settings.amqp_url
    connection = await aio_pika.connect(settings.amqp_url, timeout=CONNECT_TIMEOUT)
    depths: list[tuple[str, str, int]] = []
    try:
        channel = await connection.channel()
        for worker in WorkerType:
            names = {
                "ready": [worker_queue(worker)],
                "waiting": [retry_queue(worker, delay) for delay in settings.retry_delays],
                "dead": [dead_queue(worker)],
            }
            for state, queues in names.items():
                total = 0
                for name in queues:
                    try:
                        queue = await channel.declare_queue(name, passive=True)
                    except aio_pika.exceptions.ChannelClosed:
                        channel = await connection.channel()  # a missing queue closes it
                        continue
                    total += queue.declaration_result.message_count or 0
                depths.append((str(worker), state, total))
    finally:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                await connection.close()
    return depths


async def check_broker(url: str) -> None:
    """For `/health`: the broker accepts a connection."""
    connection = await aio_pika.connect(url, timeout=CONNECT_TIMEOUT)
    await connection.close()
