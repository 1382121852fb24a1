"""`oms outbox` and `oms dlq`: the outbox backlog by event type (and publishing it once), the
dead deliveries and their replay, through the outbox's and the integrations' services."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.core import audit
from oms.core.db import create_engine, create_sessionmaker
from oms.core.errors import ProblemError
from oms.core.settings import Settings
from oms.integrations import service as integrations
from oms.outbox import service as outbox
from oms.outbox.relay import relay_pending_events
from oms.pipeline import transport_for


def _age(since: datetime) -> str:
    seconds = max(0, int((datetime.now(UTC) - since).total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def outbox_lines(pending: list[outbox.PendingEvents]) -> list[str]:
    if not pending:
        return ["no event waits to be published"]
    total = sum(item.count for item in pending)
    oldest = min(item.oldest_occurred_at for item in pending)
    lines = [f"{total} event(s) wait to be published; the oldest occurred {_age(oldest)} ago"]
    lines += [
        f"  {item.type:<32} {item.count:>8}  oldest {_age(item.oldest_occurred_at)} ago"
        for item in pending
    ]
    return lines


async def outbox_report(settings: Settings, url: str, *, relay_once: bool) -> list[str]:
    engine = create_engine(url, pool_size=2, max_overflow=0)
    sessions = create_sessionmaker(engine)
    try:
        lines: list[str] = []
        if relay_once:
            published = await _publish_backlog(settings, sessions, engine)
            lines.append(f"published {published} event(s)")
        async with sessions() as session:
            lines += outbox_lines(await outbox.backlog_by_type(session))
        return lines
    finally:
        await engine.dispose()


async def _publish_backlog(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> int:
    """What a relay does, until nothing it may publish is left."""
    transport = transport_for(settings, engine)
    total = 0
    try:
        while True:
            published, _ = await relay_pending_events(sessions, transport)
            if not published:
                return total
            total += published
    finally:
        await transport.close()


# --- dead letters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Replayed:
    delivery_id: uuid.UUID
    refused: str | None  # why not, when it was not


def delivery_line(delivery: integrations.DeliveryRead) -> str:
    error = (delivery.error or "").replace("\n", " ")
    return (
        f"{delivery.id}  {delivery.worker:<9} {delivery.event_type:<22} "
        f"attempt {delivery.attempt}  {delivery.finished_at:%Y-%m-%d %H:%M:%S}  {error[:80]}"
    )


async def dead_deliveries(
    sessions: async_sessionmaker[AsyncSession],
    worker: outbox.WorkerType | None,
    limit: int | None,
) -> list[integrations.DeliveryRead]:
    """Dead deliveries, newest first, paged through the service as the API pages them."""
    found: list[integrations.DeliveryRead] = []
    cursor: str | None = None
    while limit is None or len(found) < limit:
        async with sessions() as session:
            page = await integrations.list_deliveries(
                session, status="dead", worker=worker, cursor=cursor, limit=100
            )
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    return found if limit is None else found[:limit]


async def list_dead(
    url: str, worker: outbox.WorkerType | None, limit: int
) -> list[integrations.DeliveryRead]:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        return await dead_deliveries(create_sessionmaker(engine), worker, limit)
    finally:
        await engine.dispose()


async def replay(
    url: str, ids: list[uuid.UUID] | None, worker: outbox.WorkerType | None
) -> list[Replayed]:
    """Replay the deliveries `ids`, or (None) every dead one, the latest of each event and
    configuration once; each in a transaction of its own, as the API replays one."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    sessions = create_sessionmaker(engine)
    try:
        if ids is None:
            seen: set[tuple[uuid.UUID, uuid.UUID | None]] = set()
            ids = []
            for delivery in await dead_deliveries(sessions, worker, None):
                key = (delivery.event_id, delivery.configuration_id)
                if key not in seen:
                    seen.add(key)
                    ids.append(delivery.id)
        results = []
        for delivery_id in ids:
            try:
                async with sessions() as session, session.begin():
                    with audit.acting_from("cli"):
                        await integrations.replay_delivery(session, delivery_id)
            except ProblemError as refusal:
                results.append(Replayed(delivery_id, refusal.detail))
            else:
                results.append(Replayed(delivery_id, None))
        return results
    finally:
        await engine.dispose()
