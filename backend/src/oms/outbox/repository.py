"""All SQL of the outbox module."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from oms.outbox.events import Envelope
from oms.outbox.models import OutboxEvent, QueueMessage
from oms.outbox.transport.base import Outgoing

# The first unpublished rows nobody else holds, minus any whose order has an earlier
# unpublished event held by another relay: that relay publishes it first, then this one
# (or another) takes the later ones, so each order's events leave in order.
_LOCK_PENDING = text(
    """
    WITH locked AS (
        SELECT position FROM outbox_events
        WHERE published_at IS NULL
        ORDER BY position
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    SELECT e.position, e.id, e.type, e.version, e.order_id, e.occurred_at, e.data, e.test,
           e.target_worker, e.target_configuration_id,
           (SELECT count(*) FROM locked) AS locked_count
    FROM outbox_events e JOIN locked USING (position)
    WHERE e.order_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM outbox_events earlier
        WHERE earlier.order_id = e.order_id
          AND earlier.published_at IS NULL
          AND earlier.position < e.position
          AND earlier.position NOT IN (SELECT position FROM locked)
    )
    ORDER BY e.position
    """
)


async def lock_pending_events(
    session: AsyncSession, limit: int
) -> tuple[list[tuple[int, Outgoing]], int]:
    """(position, message) of the rows this relay may publish now, and how many it locked."""
    rows = (await session.execute(_LOCK_PENDING, {"limit": limit})).all()
    batch = []
    for row in rows:
        envelope = Envelope(
            id=row.id,
            type=row.type,
            version=row.version,
            occurred_at=row.occurred_at,
            order_id=row.order_id,
            test=row.test,
            data=row.data,
        )
        ids = (row.target_configuration_id,) if row.target_configuration_id else None
        batch.append(
            (
                row.position,
                Outgoing(envelope=envelope, target_worker=row.target_worker, configuration_ids=ids),
            )
        )
    locked = rows[0].locked_count if rows else 0
    return batch, locked


async def mark_published(session: AsyncSession, positions: Sequence[int]) -> None:
    await session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.position.in_(positions))
        .values(published_at=func.now())
    )


async def add_event(session: AsyncSession, event: OutboxEvent) -> None:
    session.add(event)
    await session.flush()


async def find_event(session: AsyncSession, event_id: uuid.UUID) -> OutboxEvent | None:
    return await session.scalar(
        select(OutboxEvent)
        .where(OutboxEvent.id == event_id)
        .order_by(OutboxEvent.position)
        .limit(1)
    )


async def backlog(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many events wait for the relay, and when the first in its order occurred."""
    pending = await session.scalar(
        select(func.count()).select_from(OutboxEvent).where(OutboxEvent.published_at.is_(None))
    )
    oldest = await session.scalar(
        select(OutboxEvent.occurred_at)
        .where(OutboxEvent.published_at.is_(None))
        .order_by(OutboxEvent.position)
        .limit(1)
    )
    return int(pending or 0), oldest


async def backlog_by_type(session: AsyncSession) -> list[tuple[str, int, datetime]]:
    """(type, unpublished events, when the oldest of them occurred) of each type waiting."""
    rows = await session.execute(
        select(OutboxEvent.type, func.count(), func.min(OutboxEvent.occurred_at))
        .where(OutboxEvent.published_at.is_(None))
        .group_by(OutboxEvent.type)
        .order_by(OutboxEvent.type)
    )
    return [(kind, int(count), oldest) for kind, count, oldest in rows.all()]


# A ready message not yet due is in a consumer's hands (hidden for the visibility timeout)
# or waits for its retry.
_QUEUE_STATE = case(
    (QueueMessage.state == "dead", "dead"),
    (QueueMessage.available_at > func.now(), "waiting"),
    else_="ready",
)


async def embedded_queue_depths(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(worker, `ready` | `waiting` | `dead`, messages) of the embedded queue."""
    rows = await session.execute(
        select(QueueMessage.worker, _QUEUE_STATE, func.count()).group_by(
            QueueMessage.worker, _QUEUE_STATE
        )
    )
    return [(worker, state, int(count)) for worker, state, count in rows.all()]


async def order_events_since(
    session: AsyncSession,
    *,
    since: datetime,
    after: uuid.UUID | None,
    customer_id: uuid.UUID | None,
    order_id: uuid.UUID | None,
    limit: int,
) -> Sequence[OutboxEvent]:
    """Order events (domain events only) that occurred at or after `since`, recorded after
    the event `after` when it is still there; of one customer's orders, or one order's."""
    query = (
        select(OutboxEvent)
        .where(
            OutboxEvent.target_worker.is_(None),
            OutboxEvent.test.is_(False),
            OutboxEvent.order_id.is_not(None),
            OutboxEvent.occurred_at >= since,
        )
        .order_by(OutboxEvent.position)
        .limit(limit)
    )
    if after is not None:
        position = await session.scalar(
            select(OutboxEvent.position).where(
                OutboxEvent.id == after, OutboxEvent.target_worker.is_(None)
            )
        )
        if position is not None:
            query = query.where(OutboxEvent.position > position)
    if customer_id is not None:
        query = query.where(OutboxEvent.data["order"]["customer"]["id"].astext == str(customer_id))
    if order_id is not None:
        query = query.where(OutboxEvent.order_id == order_id)
    return (await session.scalars(query)).all()
