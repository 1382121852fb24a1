"""Writing products: create, change and archive, each checked against the category's
attribute schema and recorded in the audit log. Used by the API's product routes and by the
CSV import, so that both apply the same rules."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.core import audit
from oms.core.db_errors import violations_as
from oms.core.errors import ProblemError
from oms.core.etags import etag, if_match_passes
from oms.products import repository
from oms.products.attributes import DocumentLimits, check_size, validate_attributes
from oms.products.errors import ProductNotFound, SkuTaken, StaleProduct, UnknownCategory
from oms.products.models import Category, Product
from oms.products.schemas import ProductCreate, ProductUpdate

# The unique index a concurrent create (or rename) of the same SKU runs into.
SKU_UNIQUE = "uq_products_sku_lower"


def product_fields(product: Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "name": product.name,
        "description": product.description,
        "category_id": product.category_id,
        "price": product.price,
        "stock": product.stock,
        "active": product.active,
        "attributes": product.attributes,
    }


async def category_for_product(session: AsyncSession, category_id: uuid.UUID) -> Category:
    # FOR SHARE: the category's schema cannot change until this transaction ends.
    category = await repository.category_by_id(session, category_id, lock="share")
    if category is None:
        raise UnknownCategory(category_id)
    return category


async def _check_sku_free(
    session: AsyncSession, sku: str, product_id: uuid.UUID | None = None
) -> None:
    existing = await repository.product_by_sku(session, sku)
    if existing is not None and existing.id != product_id:
        raise SkuTaken(sku)


def sku_unique(sku: str) -> dict[str, ProblemError]:
    """What `violations_as` makes of a write that meets another product's SKU."""
    return {SKU_UNIQUE: SkuTaken(sku)}


def check_attributes(category: Category, attributes: dict[str, Any]) -> None:
    """Raise `InvalidAttributes` unless `attributes` satisfy the category's schema."""
    validate_attributes(category.code, category.attribute_schema, attributes)


async def insert_product(session: AsyncSession, data: ProductCreate) -> Product:
    """Store a new product whose category is locked and whose attributes were checked, and
    record it. Run it under `violations_as(session, sku_unique(data.sku))`."""
    product = Product(**data.model_dump())
    await repository.add_product(session, product)
    audit.record(
        session,
        action="product.created",
        entity="product",
        entity_id=product.id,
        after=product_fields(product),
    )
    return product


async def change_product(session: AsyncSession, product: Product, changes: dict[str, Any]) -> None:
    """Apply checked `changes` to the locked `product`, and record them (a change of stock
    alone as `product.stock_changed`). Run it under `violations_as(session, sku_unique(...))`."""
    before = product_fields(product)
    for field, value in changes.items():
        setattr(product, field, value)
    after = product_fields(product)
    if after != before:
        product.version += 1
    await repository.flush(session)
    # A stock correction is told apart from other edits, so it can be filtered for.
    stock_only = {key for key in after if after[key] != before[key]} == {"stock"}
    audit.record(
        session,
        action="product.stock_changed" if stock_only else "product.updated",
        entity="product",
        entity_id=product.id,
        before=before,
        after=after,
    )


async def create_product(
    session: AsyncSession, data: ProductCreate, *, limits: DocumentLimits
) -> Product:
    check_size(data.attributes, "attributes", limits.attributes_bytes)
    category = await category_for_product(session, data.category_id)
    check_attributes(category, data.attributes)
    await _check_sku_free(session, data.sku)
    async with violations_as(session, sku_unique(data.sku)):
        product = await insert_product(session, data)
    await repository.reload_shown(session, product)
    return product


async def update_product(
    session: AsyncSession,
    product_id: uuid.UUID,
    data: ProductUpdate,
    *,
    limits: DocumentLimits,
    if_match: str | None = None,
) -> Product:
    """Change the fields sent; changed attributes or category are checked against the
    (new) category's schema as a whole. With `if_match`, only the version it names is
    changed (else `StaleProduct`)."""
    product = (await repository.lock_products(session, [product_id])).get(product_id)
    if product is None:
        raise ProductNotFound(product_id)
    if not if_match_passes(if_match, product.version):
        raise StaleProduct(etag(product.version))
    changes = data.changes()
    if "attributes" in changes:
        check_size(changes["attributes"], "attributes", limits.attributes_bytes)
    if "category_id" in changes or "attributes" in changes:
        category = await category_for_product(
            session, changes.get("category_id", product.category_id)
        )
        check_attributes(category, changes.get("attributes", product.attributes))
    if "sku" in changes:
        await _check_sku_free(session, changes["sku"], product.id)
    async with violations_as(session, sku_unique(changes.get("sku", product.sku))):
        await change_product(session, product, changes)
    await repository.reload_shown(session, product)
    return product


async def archive_product(session: AsyncSession, product_id: uuid.UUID) -> None:
    """Stop selling a product: it stays (orders refer to it) but only staff see it."""
    product = (await repository.lock_products(session, [product_id])).get(product_id)
    if product is None:
        raise ProductNotFound(product_id)
    if product.active:
        product.active = False
        product.version += 1
        await repository.save(session, product)
        audit.record(
            session,
            action="product.archived",
            entity="product",
            entity_id=product.id,
            before={"active": True},
            after={"active": False},
        )
