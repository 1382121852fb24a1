"""The integrations module's tables: worker configurations, deliveries and the sent-mail
log of the development mail sink."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from oms.core.db import Base, Timestamped


class WorkerConfiguration(Timestamped, Base):
    __tablename__ = "worker_configurations"
    __table_args__ = (
        Index("ix_worker_configurations_worker_type", "worker_type", "enabled"),
        # The admin listing's keyset order.
        Index("ix_worker_configurations_listing", "worker_type", "name", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    worker_type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    trigger_events: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default=text("'{}'::text[]")
    )
    trigger_statuses: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default=text("'{}'::text[]")
    )
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class Delivery(Base):
    """One attempt of one configuration's action for one event."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_event_configuration", "event_id", "configuration_id"),
        Index("ix_deliveries_order_id", "order_id"),
        Index("ix_deliveries_status", "status", "worker"),
        # The deliveries listing's keyset order (newest first: the index read backwards).
        Index("ix_deliveries_started_at_id", "started_at", "id"),
        # The dashboard's latest failures.
        Index(
            "ix_deliveries_failed_started_at",
            "started_at",
            "id",
            postgresql_where=text("status IN ('failed', 'dead')"),
        ),
        # At most one success per (event, configuration): the idempotency guard.
        Index(
            "uq_deliveries_success",
            "event_id",
            "configuration_id",
            unique=True,
            postgresql_where=text("status = 'succeeded'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    event_type: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    configuration_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("worker_configurations.id", ondelete="SET NULL")
    )
    worker: Mapped[str] = mapped_column(String(20))
    attempt: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    response: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SentEmail(Base):
    """Mail kept by the development sink when no SMTP server is configured."""

    __tablename__ = "sent_emails"
    # The sent-mail listing's keyset order (newest first: the index read backwards).
    __table_args__ = (Index("ix_sent_emails_created_at_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    configuration_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    sender: Mapped[str] = mapped_column(Text)
    recipients: Mapped[list[str]] = mapped_column(ARRAY(Text))
    subject: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    text_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EmailTemplate(Base):
    """An email template edited through the API; it overrides a shipped one of its key."""

    __tablename__ = "email_templates"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
