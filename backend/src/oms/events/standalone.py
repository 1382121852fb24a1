"""`oms relay` and `oms worker X`: the pipeline as a process of its own, stopped gracefully
by SIGTERM or SIGINT (messages in hand finish, the rest stay queued)."""

import asyncio
import signal
from collections.abc import Sequence

import structlog
from sqlalchemy.ext.asyncio import create_async_engine

from oms.core.database_url import async_url
from oms.core.runtime import check_database
from oms.core.settings import Settings
from oms.core.startup_errors import StartupError
from oms.events.pipeline import Pipeline

log = structlog.get_logger("oms.events")


def run_standalone(
    settings: Settings, *, relay: bool, workers: Sequence[str], concurrency: int = 8
) -> None:
    if not settings.database_url:
        raise StartupError(
            "set OMS_DATABASE_URL: a separate relay or worker needs a shared database"
        )
    check_database(settings.database_url, settings.db_connect_timeout)
    asyncio.run(_run(settings, relay=relay, workers=workers, concurrency=concurrency))


async def _run(
    settings: Settings, *, relay: bool, workers: Sequence[str], concurrency: int
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
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    pipeline = Pipeline(settings, engine, relay=relay, workers=workers, concurrency=concurrency)
    try:
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
        await engine.dispose()
