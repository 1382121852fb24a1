"""Tables of the workflow engine: the order statuses and the transitions allowed between them."""

import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from oms.core.db import Base, Timestamped


class OrderStatus(Timestamped, Base):
    __tablename__ = "order_statuses"
    __table_args__ = (
        # At most one initial status, whatever the application does; the service keeps it
        # at exactly one once any status exists.
        Index(
            "uq_order_statuses_initial",
            "is_initial",
            unique=True,
            postgresql_where=text("is_initial"),
        ),
        CheckConstraint("NOT (is_initial AND is_terminal)", name="initial_not_terminal"),
        CheckConstraint("code ~ '^[a-z][a-z0-9_]*$'", name="code_format"),
    )

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    customer_name: Mapped[str | None] = mapped_column(String(100))
    customer_description: Mapped[str | None] = mapped_column(String(500))
    colour: Mapped[str] = mapped_column(String(7), server_default="#64748b")
    is_initial: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    is_terminal: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    releases_stock: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    position: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class OrderStatusTransition(Timestamped, Base):
    __tablename__ = "order_status_transitions"
    __table_args__ = (
        UniqueConstraint("from_status", "to_status"),
        CheckConstraint("from_status <> to_status", name="not_a_loop"),
        Index("ix_order_status_transitions_to_status", "to_status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    from_status: Mapped[str] = mapped_column(
        String(50), ForeignKey("order_statuses.code", ondelete="RESTRICT", onupdate="RESTRICT")
    )
    to_status: Mapped[str] = mapped_column(
        String(50), ForeignKey("order_statuses.code", ondelete="RESTRICT", onupdate="RESTRICT")
    )
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
