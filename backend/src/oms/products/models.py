"""Tables of the products module: categories (each with an attribute schema), products and
their images."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from oms.core.db import Base, Timestamped


class Category(Timestamped, Base):
    __tablename__ = "categories"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # A JSON Schema (2020-12) every product of the category's `attributes` must satisfy.
    attribute_schema: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    # One more with every change: the ETag that `If-Match` is checked against.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class Product(Timestamped, Base):
    __tablename__ = "products"
    __table_args__ = (
        # SKUs are unique ignoring case; listings are ordered (and paged) by this key too.
        Index("uq_products_sku_lower", func.lower(text("sku")), unique=True),
        Index("ix_products_category_id", "category_id"),
        # `attributes @> '{...}'` filters; jsonb_path_ops is smaller and faster for @>.
        Index(
            "ix_products_attributes",
            "attributes",
            postgresql_using="gin",
            postgresql_ops={"attributes": "jsonb_path_ops"},
        ),
        # `ILIKE '%text%'` on SKU and name (pg_trgm).
        Index(
            "ix_products_sku_trgm",
            "sku",
            postgresql_using="gin",
            postgresql_ops={"sku": "gin_trgm_ops"},
        ),
        Index(
            "ix_products_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, server_default="")
    category_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("categories.id", ondelete="RESTRICT")
    )
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # NULL: stock is not tracked (made to order, digital...); never reserved or released.
    stock: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # One more with every change of what `ProductRead` shows (stock and images included).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    # Loaded on purpose (`selectinload`) where a product is shown; never the bytes.
    images: Mapped[list["ProductImage"]] = relationship(
        lazy="raise", order_by="ProductImage.position", cascade="all, delete-orphan"
    )


class ProductImageFile(Base):
    """An uploaded image's bytes, addressed by their SHA-256: its URL never changes."""

    __tablename__ = "product_image_files"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(50))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProductImage(Base):
    """One of a product's images, in the order they are shown."""

    __tablename__ = "product_images"
    __table_args__ = (UniqueConstraint("product_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("products.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    digest: Mapped[str] = mapped_column(
        String(64), ForeignKey("product_image_files.digest", ondelete="RESTRICT")
    )
    content_type: Mapped[str] = mapped_column(String(50))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
