"""Running the relay (outbox) and the workers (integrations): alone (`oms relay`, `oms worker
X`) or together inside the API process (`oms run`). RabbitMQ carries the messages when
`OMS_AMQP_URL` is set, else the embedded queue."""

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from oms.core import metrics
from oms.core.database_url import async_url
from oms.core.health import database_check
from oms.core.health_server import HealthServer
from oms.core.runtime import check_database
from oms.core.settings import Settings
from oms.core.startup_errors import StartupError
from oms.integrations.actions.base import WorkerServices
from oms.integrations.dispatcher import CONFIGURATION_TTL, Dispatcher
from oms.integrations.mailer import mailer_for
from oms.monitoring import Backlogs, metrics_text
from oms.outbox import service as outbox
from oms.outbox.events import WorkerType
from oms.outbox.notifications import Listener
from oms.outbox.relay import relay_forever
from oms.outbox.transport.amqp import AmqpTransport
from oms.outbox.transport.base import Transport
from oms.outbox.transport.embedded import EmbeddedTransport

log = structlog.get_logger("oms.pipeline")


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
        workers: Sequence[WorkerType] = tuple(WorkerType),
        concurrency: int = 8,
    ):
        self.settings = settings
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.relay = relay
        self.workers = [WorkerType(worker) for worker in workers]
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
            _, pending = await asyncio.wait(self._tasks, timeout=self.settings.shutdown_timeout)
            for task in pending:
                log.error("task did not stop in time", task=task.get_name())
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


def run_pipeline_in_app(app: FastAPI, settings: Settings) -> None:
    """Start the pipeline once the app's engine exists; stop it (letting messages in hand
    finish) when the app shuts down, after in-flight requests."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with inner(application):
            pipeline = Pipeline(settings, application.state.engine)
            await pipeline.start()
            try:
                yield
            finally:
                await pipeline.stop()

    app.router.lifespan_context = lifespan


def run_standalone(
    settings: Settings, *, relay: bool, workers: Sequence[WorkerType], concurrency: int = 8
) -> None:
    if not settings.database_url:
        raise StartupError(
            "set OMS_DATABASE_URL: a separate relay or worker needs a shared database"
        )
    check_database(settings.database_url, settings.db_connect_timeout)
    asyncio.run(_run(settings, relay=relay, workers=workers, concurrency=concurrency))


async def _run(
    settings: Settings, *, relay: bool, workers: Sequence[WorkerType], concurrency: int
) -> None:
    assert settings.database_url is not None
    # No pre-ping: a message whose connection broke is retried by the transport anyway, and
    # a ping per checkout would add a round trip to every message.
    engine = create_async_engine(
        async_url(settings.database_url),
        pool_size=max(2, concurrency + 2),
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=False,
        connect_args={"timeout": settings.db_connect_timeout},
    )
    metrics.process_started()
    metrics.watch_pool(engine, "pipeline", limit=max(2, concurrency + 2) + settings.db_max_overflow)
    health = _health_server(settings, engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    pipeline = Pipeline(settings, engine, relay=relay, workers=workers, concurrency=concurrency)
    try:
        if health is not None:
            health.start()
        await pipeline.start()
        stopping = asyncio.create_task(stop.wait())
        running = asyncio.create_task(pipeline.wait())
        done, _ = await asyncio.wait({stopping, running}, return_when=asyncio.FIRST_COMPLETED)
        for task in (stopping, running):
            if task not in done:
                task.cancel()
        if running in done:
            running.result()
        log.info("stopping")
    finally:
        await pipeline.stop()
        if health is not None:
            await health.stop()
        await engine.dispose()
        metrics.process_exited()


def _health_server(settings: Settings, engine: AsyncEngine) -> HealthServer | None:
    """`/health/live`, `/health` and `/metrics` on OMS_HEALTH_PORT (none when it is 0)."""
    if not settings.health_port:
        return None
    checks = {"database": database_check(engine), **outbox.health_checks(settings)}
    backlogs = Backlogs(async_sessionmaker(engine, expire_on_commit=False), settings)
    server = HealthServer(
        settings.host, settings.health_port, checks, lambda: metrics_text(backlogs)
    )
    log.info("health and metrics", url=f"http://{settings.host}:{server.port}")
    return server
