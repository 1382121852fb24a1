"""Running the relay and the workers: alone (`oms relay`, `oms worker X`) or together inside
`oms run`. RabbitMQ carries the messages when `OMS_AMQP_URL` is set, else the embedded queue."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from oms.core.settings import Settings
from oms.events.actions.base import WorkerServices
from oms.events.dispatcher import CONFIGURATION_TTL, Dispatcher
from oms.events.envelope import WorkerType
from oms.events.mailer import mailer_for
from oms.events.notifications import Listener
from oms.events.relay import relay_forever
from oms.events.transport.amqp import AmqpTransport
from oms.events.transport.base import Transport
from oms.events.transport.embedded import EmbeddedTransport

log = structlog.get_logger("oms.events")


def transport_for(settings: Settings, engine: AsyncEngine, *, concurrency: int = 8) -> Transport:
    if settings.amqp_url:
        return AmqpTransport(settings, concurrency=concurrency)
    return EmbeddedTransport(settings, engine, concurrency=concurrency)


class Pipeline:
    """The relay and/or some workers as tasks of the current event loop."""

    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        *,
        relay: bool = True,
        workers: Sequence[str] = tuple(WorkerType),
        concurrency: int = 8,
    ):
        self.settings = settings
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.relay = relay
        self.workers = [str(worker) for worker in workers]
        self.concurrency = concurrency
        self._tasks: list[asyncio.Task[None]] = []
        self._transports: list[Transport] = []
        self._services: WorkerServices | None = None
        self._listener: Listener | None = None
        self._config_listener: Listener | None = None

    async def start(self) -> None:
        if self.relay:
            transport = transport_for(self.settings, self.engine)
            self._transports.append(transport)
            self._listener = Listener(self.engine.url, "oms_outbox")
            self._tasks.append(
                asyncio.create_task(
                    relay_forever(
                        self.sessions,
                        transport,
                        self._listener,
                        poll_interval=self.settings.relay_poll_interval,
                    ),
                    name="oms-relay",
                )
            )
        if self.workers:
            self._services = WorkerServices.create(
                self.settings, mailer_for(self.settings.smtp_url)
            )
        dispatchers = []
        for worker in self.workers:
            assert self._services is not None
            transport = transport_for(self.settings, self.engine, concurrency=self.concurrency)
            self._transports.append(transport)
            dispatcher = Dispatcher(worker, self.sessions, self._services)
            dispatchers.append(dispatcher)
            self._tasks.append(
                asyncio.create_task(transport.consume(worker, dispatcher), name=f"oms-{worker}")
            )
        if dispatchers:
            self._config_listener = Listener(self.engine.url, "oms_config")
            self._tasks.append(
                asyncio.create_task(
                    _watch_configurations(self._config_listener, dispatchers),
                    name="oms-configurations",
                )
            )
        log.info(
            "event pipeline started",
            relay=self.relay,
            workers=self.workers,
            transport="rabbitmq" if self.settings.amqp_url else "embedded",
        )

    async def stop(self) -> None:
        """Stops taking new work; messages in hand finish (transports wait for them)."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=self.settings.shutdown_timeout)
        for transport in self._transports:
            with contextlib.suppress(Exception):
                await transport.close()
        for listener in (self._listener, self._config_listener):
            if listener is not None:
                await listener.close()
        if self._services is not None:
            await self._services.close()
        self._tasks.clear()
        self._transports.clear()
        log.info("event pipeline stopped")

    async def wait(self) -> None:
        """Until a task ends by itself (a bug: they run forever) — it is then re-raised."""
        done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()


async def _watch_configurations(listener: Listener, dispatchers: list[Dispatcher]) -> None:
    """A changed configuration takes effect with the next message."""
    while True:
        await listener.wait(CONFIGURATION_TTL)
        for dispatcher in dispatchers:
            dispatcher.configurations.invalidate()


@contextlib.asynccontextmanager
async def running_pipeline(
    settings: Settings,
    engine: AsyncEngine,
    *,
    relay: bool = True,
    workers: Sequence[str] = tuple(WorkerType),
    concurrency: int = 8,
) -> AsyncIterator[Pipeline]:
    pipeline = Pipeline(settings, engine, relay=relay, workers=workers, concurrency=concurrency)
    await pipeline.start()
    try:
        yield pipeline
    finally:
        await pipeline.stop()
