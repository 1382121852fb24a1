"""The outbox relay: publishes committed outbox rows in `position` order, marking each
published only after the transport accepted it (broker confirm, or the embedded queue row
written in the same transaction).

Several relays may run: each locks a batch with `FOR UPDATE SKIP LOCKED` and leaves out an
order's events while another relay holds an earlier event of that order, so every order's
events are published in order while different orders' events spread over the relays.
"""

import asyncio

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.outbox import repository
from oms.outbox.metrics import EVENTS_PUBLISHED
from oms.outbox.notifications import Listener
from oms.outbox.transport.base import Transport

log = structlog.get_logger("oms.outbox")
BATCH_SIZE = 100
BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)


async def relay_pending_events(
    sessions: async_sessionmaker[AsyncSession], transport: Transport, limit: int = BATCH_SIZE
) -> tuple[int, int]:
    """Publish one batch; returns (published, locked)."""
    async with sessions() as session, session.begin():
        batch, locked = await repository.lock_pending_events(session, limit)
        if not batch:
            return 0, locked
        await transport.publish(session, [item for _, item in batch])
        await repository.mark_published(session, [position for position, _ in batch])
    for _, item in batch:
        EVENTS_PUBLISHED.labels(type=item.envelope.type).inc()
    return len(batch), locked


async def relay_forever(
    sessions: async_sessionmaker[AsyncSession],
    transport: Transport,
    listener: Listener,
    *,
    poll_interval: float,
) -> None:
    failures = 0
    log.info("relay started")
    while True:
        try:
            published, locked = await relay_pending_events(sessions, transport)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - keep trying; rows stay in the outbox
            delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
            failures += 1
            log.warning("relay cannot publish; will retry", error=repr(error), retry_in=delay)
            await asyncio.sleep(delay)
            continue
        if failures:
            log.info("relay publishing again")
        failures = 0
        if locked >= BATCH_SIZE and published:
            continue
        await listener.wait(poll_interval)
