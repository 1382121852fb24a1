"""The events module's public interface: record an event in the caller's transaction."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.events.models import OutboxEvent

ENVELOPE_VERSION = 1


async def record_event(
    session: AsyncSession, *, type: str, order_id: uuid.UUID | None, data: dict[str, Any]
) -> uuid.UUID:
    """Write an outbox row; it is published only if the caller's transaction commits.

    `data` must be JSON-ready (strings for decimals and timestamps).
    """
    event_id = uuid.uuid4()
    session.add(OutboxEvent(id=event_id, type=type, order_id=order_id, data=data))
    await session.flush()
    return event_id
