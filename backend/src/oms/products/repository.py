"""All SQL of the products module."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    Text,
    and_,
    case,
    cast,
    func,
    inspect,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from oms.core.locks import Lock, xact_lock
from oms.core.pagination import keyset_after
from oms.products.attributes import AttributeRange
from oms.products.models import Category, Product, ProductImage, ProductImageFile

lower_sku = func.lower(Product.sku)
"""The order of product listings (unique, served by `uq_products_sku_lower`)."""


@dataclass(frozen=True)
class ProductFilter:
    include_inactive: bool = False
    active: bool | None = None
    category_id: uuid.UUID | None = None
    category_code: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    text: str | None = None
    # Groups of JSON documents: each group must match, by containing any of its documents.
    attributes: Sequence[Sequence[str]] = ()
    # Number attributes within bounds.
    attribute_ranges: Sequence[AttributeRange] = ()


# Categories


async def category_by_id(
    session: AsyncSession,
    category_id: uuid.UUID,
    *,
    lock: Literal["share", "update"] | None = None,
) -> Category | None:
    """The category; `lock` takes a row lock so its schema cannot change (share) or so
    no product can be saved against it meanwhile (update)."""
    query = select(Category).where(Category.id == category_id)
    if lock == "share":
        query = query.with_for_update(read=True)
    elif lock == "update":
        query = query.with_for_update()
    result = await session.scalars(query.execution_options(populate_existing=lock is not None))
    return result.first()


async def category_by_code(session: AsyncSession, code: str) -> Category | None:
    return (await session.scalars(select(Category).where(Category.code == code))).first()


async def all_categories(session: AsyncSession) -> Sequence[Category]:
    return (await session.scalars(select(Category).order_by(Category.code))).all()


async def categories_page(
    session: AsyncSession, *, after_code: str | None, limit: int
) -> Sequence[Category]:
    query = select(Category).order_by(Category.code).limit(limit + 1)
    if after_code is not None:
        query = query.where(Category.code > after_code)
    return (await session.scalars(query)).all()


async def add(session: AsyncSession, row: Category | Product) -> None:
    session.add(row)
    await session.flush()
    await session.refresh(row)


async def add_product(session: AsyncSession, product: Product) -> None:
    """Insert without reading the row back (its id comes back with the INSERT)."""
    session.add(product)
    await session.flush()


async def reload_shown(session: AsyncSession, product: Product) -> None:
    """Read the product back as the API shows it: the columns the database set, its images."""
    await session.refresh(product)
    await session.refresh(product, attribute_names=["images"])


async def reload_if_expired(session: AsyncSession, product: Product) -> None:
    """Read a row back whose columns a rolled-back savepoint expired."""
    if inspect(product).expired_attributes:
        await session.refresh(product)


async def save(session: AsyncSession, row: Category | Product) -> None:
    await session.flush()
    await session.refresh(row)


async def delete(session: AsyncSession, row: Category | Product) -> None:
    await session.delete(row)
    await session.flush()


async def product_count_in_category(session: AsyncSession, category_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Product).where(Product.category_id == category_id)
    )
    return int(count or 0)


@dataclass(frozen=True, slots=True)
class CheckedProduct:
    """What checking a product against its category's schema needs."""

    id: uuid.UUID
    sku: str
    key: str  # lower(sku): the keyset of the next batch
    name: str
    attributes: dict[str, Any]


async def products_to_check(
    session: AsyncSession, category_id: uuid.UUID, *, after_sku: str | None, limit: int
) -> list[CheckedProduct]:
    """A batch of the category's products in SKU order, after the lower-cased `after_sku`."""
    query = (
        select(Product.id, Product.sku, lower_sku.label("key"), Product.name, Product.attributes)
        .where(Product.category_id == category_id)
        .order_by(lower_sku)
        .limit(limit)
    )
    if after_sku is not None:
        query = query.where(lower_sku > after_sku)
    return [
        CheckedProduct(row.id, row.sku, row.key, row.name, row.attributes)
        for row in await session.execute(query)
    ]


# Products


def _visible(query: Select[Product], include_inactive: bool) -> Select[Product]:
    """The one place that hides inactive products from those who may not see them."""
    return query if include_inactive else query.where(Product.active.is_(True))


_WITH_IMAGES = selectinload(Product.images)


async def product_by_id(
    session: AsyncSession, product_id: uuid.UUID, *, include_inactive: bool
) -> Product | None:
    query = _visible(select(Product).where(Product.id == product_id), include_inactive)
    return (await session.scalars(query.options(_WITH_IMAGES))).first()


async def load_images(session: AsyncSession, product: Product) -> None:
    """Load (or reload) the product's images, as the API shows them."""
    await session.refresh(product, attribute_names=["images"])


async def add_image_file(
    session: AsyncSession, digest: str, content_type: str, data: bytes
) -> None:
    await session.execute(
        insert(ProductImageFile)
        .values(digest=digest, content_type=content_type, content=data)
        .on_conflict_do_nothing()
    )


async def image_file(session: AsyncSession, digest: str) -> ProductImageFile | None:
    return await session.get(ProductImageFile, digest)


async def image_count(session: AsyncSession, product_id: uuid.UUID) -> tuple[int, int]:
    """How many images the product has, and the highest position taken (0: none)."""
    row = (
        await session.execute(
            select(func.count(), func.coalesce(func.max(ProductImage.position), 0)).where(
                ProductImage.product_id == product_id
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def add_image(session: AsyncSession, image: ProductImage) -> None:
    session.add(image)
    await session.flush()


async def product_image(
    session: AsyncSession, product_id: uuid.UUID, image_id: uuid.UUID
) -> ProductImage | None:
    found = await session.scalars(
        select(ProductImage).where(
            ProductImage.id == image_id, ProductImage.product_id == product_id
        )
    )
    return found.first()


async def delete_image(session: AsyncSession, image: ProductImage) -> None:
    await session.delete(image)
    await session.flush()


async def product_by_sku(session: AsyncSession, sku: str) -> Product | None:
    return (await session.scalars(select(Product).where(lower_sku == sku.lower()))).first()


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains_any(documents: Sequence[str]) -> ColumnElement[bool]:
    # The documents are JSON text, cast in SQL: numbers stay exact (no float on the way).
    return or_(*(Product.attributes.op("@>")(cast(literal(doc, Text), JSONB)) for doc in documents))


def _number_attribute(name: str) -> ColumnElement[Decimal]:
    """`attributes -> name` as a number, NULL when it is not one (so no cast can fail)."""
    value = Product.attributes[name]
    return case(
        (func.jsonb_typeof(value) == "number", cast(value.astext, Numeric)),
        else_=null(),
    )


def _within(bounds: AttributeRange) -> ColumnElement[bool]:
    number = _number_attribute(bounds.name)
    conditions = []
    if bounds.min is not None:
        conditions.append(number >= bounds.min)
    if bounds.max is not None:
        conditions.append(number <= bounds.max)
    return and_(*conditions)


def filtered_products(where: ProductFilter) -> Select[Product]:
    """The products matching `where`, unordered."""
    query = _visible(select(Product), where.include_inactive)
    if where.active is not None:
        query = query.where(Product.active.is_(where.active))
    if where.category_id is not None:
        query = query.where(Product.category_id == where.category_id)
    if where.category_code is not None:
        query = query.where(
            Product.category_id
            == select(Category.id).where(Category.code == where.category_code).scalar_subquery()
        )
    if where.min_price is not None:
        query = query.where(Product.price >= where.min_price)
    if where.max_price is not None:
        query = query.where(Product.price <= where.max_price)
    if where.text:
        pattern = _like_pattern(where.text)
        query = query.where(
            or_(Product.sku.ilike(pattern, escape="\\"), Product.name.ilike(pattern, escape="\\"))
        )
    for documents in where.attributes:
        query = query.where(_contains_any(documents))
    for bounds in where.attribute_ranges:
        query = query.where(_within(bounds))
    return query


def products_page_query(
    where: ProductFilter, *, after_sku: str | None, limit: int
) -> Select[Product]:
    """The query of one page of a listing (`limit + 1` rows: the extra one says more exist)."""
    query = filtered_products(where).order_by(lower_sku).limit(limit + 1)
    if after_sku is not None:
        query = query.where(keyset_after([lower_sku], [after_sku]))
    return query


async def products_page(
    session: AsyncSession, where: ProductFilter, *, after_sku: str | None, limit: int
) -> Sequence[Product]:
    query = products_page_query(where, after_sku=after_sku, limit=limit)
    return (await session.scalars(query.options(_WITH_IMAGES))).all()


async def lock_products(
    session: AsyncSession, product_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Product]:
    """Lock the rows `FOR UPDATE` in id order, so two transactions locking overlapping sets
    always queue instead of deadlocking; returns the rows as they are now."""
    rows = await session.scalars(
        select(Product)
        .where(Product.id.in_(sorted(set(product_ids))))
        .order_by(Product.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.id: row for row in rows}


async def lock_products_by_sku(session: AsyncSession, skus: Sequence[str]) -> dict[str, Product]:
    """The products with these SKUs (ignoring case), locked `FOR UPDATE` in id order as
    `lock_products` does; by lower-cased SKU."""
    if not skus:
        return {}
    rows = await session.scalars(
        select(Product)
        .where(lower_sku.in_({sku.lower() for sku in skus}))
        .order_by(Product.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.sku.lower(): row for row in rows}


async def lock_categories(
    session: AsyncSession, ids: Sequence[uuid.UUID], codes: Sequence[str]
) -> Sequence[Category]:
    """The categories with these ids or codes, locked `FOR SHARE` (their schemas cannot
    change until the transaction ends)."""
    if not ids and not codes:
        return []
    rows = await session.scalars(
        select(Category)
        .where(or_(Category.id.in_(set(ids)), Category.code.in_(set(codes))))
        .order_by(Category.id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    return rows.all()


async def lock_product_import(session: AsyncSession) -> None:
    await xact_lock(session, Lock.PRODUCT_IMPORT)


async def products_by_id(
    session: AsyncSession, product_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Product]:
    rows = await session.scalars(select(Product).where(Product.id.in_(set(product_ids))))
    return {row.id: row for row in rows}


async def product_ids_by_sku(session: AsyncSession, skus: Sequence[str]) -> dict[str, uuid.UUID]:
    """Lower-cased SKU → id, for the SKUs that exist."""
    if not skus:
        return {}
    keys = {sku.lower() for sku in skus}
    rows = await session.execute(
        select(lower_sku.label("key"), Product.id).where(lower_sku.in_(keys))
    )
    return {row.key: row.id for row in rows}


async def flush(session: AsyncSession) -> None:
    await session.flush()
