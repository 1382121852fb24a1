"""Tables of the orders module: orders, the items they were sold with, staff's internal notes
on them, and the shipping addresses customers keep for them.

Products and statuses belong to other modules: an item copies the SKU, name and price it was
sold at and refers to its product by id only. `status` has a foreign key to the workflow's
statuses (ON DELETE/UPDATE RESTRICT) so that a status in use can be neither deleted nor
renamed; the workflow module learns of it from the database's refusal, not from this code.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Sequence,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from oms.core.db import Base

ORDER_NUMBER_SEQUENCE = Sequence("order_number_seq", metadata=Base.metadata)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_customer_id_number", "customer_id", "number"),
        Index("ix_orders_status_number", "status", "number"),
        # Carries what the dashboard's orders per day sum, so that it reads no table rows.
        Index(
            "ix_orders_created_at_totals",
            "created_at",
            postgresql_include=["total", "currency", "status"],
        ),
        # The listing sorted by total: a keyset of (total, id), since totals repeat.
        Index("ix_orders_total_id", "total", "id"),
        # `ILIKE '%text%'` on the customer's email and name copied onto the order (pg_trgm),
        # so the listing's free text is an index search however many orders there are.
        Index(
            "ix_orders_customer_email_trgm",
            "customer_email",
            postgresql_using="gin",
            postgresql_ops={"customer_email": "gin_trgm_ops"},
        ),
        Index(
            "ix_orders_customer_name_trgm",
            "customer_name",
            postgresql_using="gin",
            postgresql_ops={"customer_name": "gin_trgm_ops"},
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # Drawn from ORDER_NUMBER_SEQUENCE by the service; shown as OMS-000123.
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT")
    )
    customer_email: Mapped[str] = mapped_column(String(320))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(
        String(50),
        ForeignKey("order_statuses.code", ondelete="RESTRICT", onupdate="RESTRICT"),
    )
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)
    status_history: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    items: Mapped[list["OrderItem"]] = relationship(
        lazy="raise", order_by="OrderItem.position", cascade="all, delete-orphan"
    )


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (UniqueConstraint("order_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    sku: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    quantity: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[Decimal] = mapped_column(Numeric(14, 2))


class OrderNote(Base):
    """A staff member's internal note on an order. Customers never see notes: they are not
    part of the order as the API shows it, nor of any event."""

    __tablename__ = "order_notes"
    __table_args__ = (
        # An order's notes, newest first: the listing's keyset.
        Index("ix_order_notes_order_id_created_at_id", "order_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.id", ondelete="CASCADE")
    )
    author_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT")
    )
    # Copied when the note is written, as an order copies its customer's email.
    author_email: Mapped[str] = mapped_column(String(320))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SavedAddress(Base):
    """A shipping address a user keeps for their next orders; at most one is the default."""

    __tablename__ = "saved_addresses"
    __table_args__ = (
        # The listing's keyset, per owner.
        Index("ix_saved_addresses_user_id_created_at_id", "user_id", "created_at", "id"),
        Index(
            "uq_saved_addresses_default",
            "user_id",
            unique=True,
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    label: Mapped[str | None] = mapped_column(String(50))
    # A `ShippingAddress`, as an order stores its own.
    address: Mapped[dict[str, Any]] = mapped_column(JSONB)
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    version: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderStatusCount(Base):
    """How many orders are in each status, kept by a trigger on `orders` (see the
    `dashboard_indexes` migration): one row per status and slot, the count is their sum."""

    __tablename__ = "order_status_counts"

    status: Mapped[str] = mapped_column(String(50), primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    orders: Mapped[int] = mapped_column(BigInteger)
