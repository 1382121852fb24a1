"""The outbox module's tables: the outbox itself and the embedded transport's queue."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from oms.core.db import Base


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    __table_args__ = (
        Index(
            "ix_outbox_events_unpublished",
            "position",
            postgresql_where=text("published_at IS NULL"),
        ),
        Index("ix_outbox_events_order_id", "order_id"),
        # The live order events' replay of the last hour.
        Index("ix_outbox_events_occurred_at", "occurred_at"),
        # A domain event is recorded once; replays and test fires re-use its id on a row of
        # their own that names the one worker (and configuration) it is meant for.
        Index(
            "uq_outbox_events_id",
            "id",
            unique=True,
            postgresql_where=text("target_worker IS NULL"),
        ),
    )

    # `position` orders events as they were committed-ish; the relay publishes in this order.
    position: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    type: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(SmallInteger)
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set only on rows that re-send an event to one worker (replay, test fire).
    target_worker: Mapped[str | None] = mapped_column(String(20))
    target_configuration_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # A sample from a configuration's "send test", not a real order's event.
    test: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class QueueMessage(Base):
    """The embedded transport: a durable per-worker queue in PostgreSQL."""

    __tablename__ = "queue_messages"
    __table_args__ = (
        Index(
            "ix_queue_messages_ready",
            "worker",
            "available_at",
            postgresql_where=text("state = 'ready'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    worker: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    body: Mapped[dict[str, Any]] = mapped_column(JSONB)
    configuration_ids: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID(as_uuid=True)))
    attempt: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    # Times handed to a consumer, including ones that died holding it.
    deliveries: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    state: Mapped[str] = mapped_column(String(10), server_default=text("'ready'"))
    available_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
