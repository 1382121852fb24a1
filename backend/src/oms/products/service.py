"""The products module's public interface: the catalogue's use cases and stock reservation.

Other modules call `reserve_stock` / `release_stock` (and read `ProductSnapshot`) in their
own transaction; nothing here commits.
"""

import dataclasses
import hashlib
import uuid
from dataclasses import dataclass, replace
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core import audit, images
from oms.core.db_errors import violations_as
from oms.core.etags import etag, if_match_passes
from oms.core.pagination import Page, decode_cursor, page_of
from oms.products import repository
from oms.products.attributes import (
    ATTRIBUTE_QUERY,
    MAX_ATTRIBUTE_QUERY_LENGTH,
    AttributeChecker,
    DocumentLimits,
    attribute_filters,
    attribute_query,
    check_attribute_schema,
    check_size,
)
from oms.products.errors import (
    CategoryCodeTaken,
    CategoryInUse,
    CategoryNotFound,
    DocumentTooLarge,
    InsufficientStock,
    InvalidAttributeFilter,
    InvalidAttributeSchema,
    InvalidQuantity,
    InvalidStockLine,
    ProductImageNotFound,
    ProductInactive,
    ProductNotFound,
    SchemaBreaksProducts,
    StaleCategory,
    StockError,
    TooManyProductImages,
    UnknownProduct,
    UnsupportedCsvType,
    UnusableAttributeSchema,
)
from oms.products.models import Category, Product, ProductImage
from oms.products.product_import import MAX_IMPORT_ROWS, import_products
from oms.products.product_writes import archive_product, create_product, update_product
from oms.products.repository import ProductFilter
from oms.products.schemas import (
    AttributeProblem,
    BrokenProduct,
    CategoryCode,
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
    ProductRead,
    SchemaCheckRead,
    SchemaProblem,
)
from oms.products.stock import (
    ProductSnapshot,
    StockLine,
    lock_stock,
    release_stock,
    reserve_stock,
    stock_for,
)

__all__ = [
    "MAX_ATTRIBUTE_QUERY_LENGTH",
    "MAX_IMPORT_ROWS",
    "CategoryCode",
    "DocumentLimits",
    "InsufficientStock",
    "InvalidQuantity",
    "InvalidStockLine",
    "ProductFilter",
    "ProductInactive",
    "ProductSnapshot",
    "StockError",
    "StockLine",
    "UnknownProduct",
    "UnsupportedCsvType",
    "add_image",
    "all_categories",
    "archive_product",
    "attribute_filters",
    "attribute_schema_problem",
    "check_category_schema",
    "create_category",
    "create_product",
    "delete_category",
    "delete_category_by_code",
    "get_category",
    "get_product",
    "image_file",
    "import_products",
    "list_categories",
    "list_products",
    "lock_stock",
    "products_in_category",
    "put_category",
    "release_stock",
    "remove_image",
    "reserve_stock",
    "schema_offenders",
    "stock_for",
    "update_category",
    "update_product",
]

MAX_IMAGES_PER_PRODUCT = 8
IMAGE_TYPES = sorted(images.RASTER_FORMATS)
"""A product's pictures are photos: PNG, JPEG or WebP (no SVG)."""

# How many offending products a refused schema change lists (the total is always given).
MAX_LISTED_OFFENDERS = 20
# How many products a schema-change preview lists (the count is always given).
MAX_LISTED_BROKEN = 100
# Products checked against a schema per query (and per turn of a worker thread).
SCHEMA_CHECK_BATCH = 1000


# The database's names for the constraints a concurrent write can hit.
CATEGORY_CODE_UNIQUE = "uq_categories_code"
PRODUCT_CATEGORY_FK = "fk_products_category_id_categories"


def _category_fields(category: Category) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "attribute_schema": category.attribute_schema,
    }


# Categories


async def list_categories(
    session: AsyncSession, *, cursor: str | None, limit: int
) -> Page[CategoryRead]:
    """Categories by code."""
    after = decode_cursor(cursor, str)[0] if cursor else None
    rows = await repository.categories_page(session, after_code=after, limit=limit)
    return page_of(rows, limit, lambda row: [row.code], CategoryRead.model_validate)


async def get_category(session: AsyncSession, category_id: uuid.UUID) -> Category:
    category = await repository.category_by_id(session, category_id)
    if category is None:
        raise CategoryNotFound(category_id)
    return category


async def create_category(
    session: AsyncSession, data: CategoryCreate, *, limits: DocumentLimits
) -> Category:
    check_size(data.attribute_schema, "attribute_schema", limits.schema_bytes)
    check_attribute_schema(data.attribute_schema)
    if await repository.category_by_code(session, data.code) is not None:
        raise CategoryCodeTaken(data.code)
    category = Category(code=data.code, name=data.name, attribute_schema=data.attribute_schema)
    # A concurrent create may take the code first.
    async with violations_as(session, {CATEGORY_CODE_UNIQUE: CategoryCodeTaken(data.code)}):
        await repository.add(session, category)
    audit.record(
        session,
        action="category.created",
        entity="category",
        entity_id=category.id,
        after=_category_fields(category),
    )
    return category


@dataclass(frozen=True, slots=True)
class _Refused:
    """A product of the category that a schema refuses, and why (`[{field, message}]`)."""

    product_id: uuid.UUID
    sku: str
    name: str
    errors: list[dict[str, str]]


@dataclass(slots=True)
class _Verdict:
    """What a schema makes of a category's products: how many were checked and refused,
    and the first refused ones (in SKU order) with their errors."""

    checked: int = 0
    refused: int = 0
    listed: list[_Refused] = dataclasses.field(default_factory=list)


async def _judge_products(
    session: AsyncSession, category: Category, schema: dict[str, Any], *, listed: int
) -> _Verdict:
    """Check every product of the category against `schema`, in batches in SKU order; only
    the first `listed` refused ones are told why (the others are merely counted, which is
    quicker). The validator is built once, and each batch is checked in a worker thread, so
    a category of many products does not hold up the other requests meanwhile. Raises
    `UnusableAttributeSchema` when the schema cannot be applied to some product."""
    checker = AttributeChecker(category.code, schema)
    verdict = _Verdict()

    def judge(rows: list[repository.CheckedProduct]) -> None:
        for row in rows:
            if len(verdict.listed) < listed:
                errors = checker.errors(row.attributes)
                if errors:
                    verdict.listed.append(_Refused(row.id, row.sku, row.name, errors))
                    verdict.refused += 1
            elif not checker.accepts(row.attributes):
                verdict.refused += 1
        verdict.checked += len(rows)

    after: str | None = None
    while batch := await repository.products_to_check(
        session, category.id, after_sku=after, limit=SCHEMA_CHECK_BATCH
    ):
        await anyio.to_thread.run_sync(judge, batch)
        after = batch[-1].key
    return verdict


async def _offenders(
    session: AsyncSession, category: Category, schema: dict[str, Any]
) -> tuple[list[dict[str, Any]], int]:
    verdict = await _judge_products(session, category, schema, listed=MAX_LISTED_OFFENDERS)
    listed = [
        {"id": str(product.product_id), "sku": product.sku, "errors": product.errors}
        for product in verdict.listed
    ]
    return listed, verdict.refused


async def update_category(
    session: AsyncSession,
    category_id: uuid.UUID,
    data: CategoryUpdate,
    *,
    limits: DocumentLimits,
    if_match: str | None = None,
) -> Category:
    """Rename, re-code or change the schema of a category.

    The code is what clients filter by, so it changes only while no product uses the
    category. A new schema must accept every product the category has (else 409 listing
    them). The category row is locked first, so no product is saved against the old schema
    while the new one is checked.
    """
    category = await repository.category_by_id(session, category_id, lock="update")
    if category is None:
        raise CategoryNotFound(category_id)
    if not if_match_passes(if_match, category.version):
        raise StaleCategory(etag(category.version))
    before = _category_fields(category)
    changes = data.changes()
    if "code" in changes and changes["code"] != category.code:
        in_use = await repository.product_count_in_category(session, category.id)
        if in_use:
            raise CategoryInUse(category.code, in_use, "change its code")
        if await repository.category_by_code(session, changes["code"]) is not None:
            raise CategoryCodeTaken(changes["code"])
    if "attribute_schema" in changes:
        check_size(changes["attribute_schema"], "attribute_schema", limits.schema_bytes)
        check_attribute_schema(changes["attribute_schema"])
        offending, total = await _offenders(session, category, changes["attribute_schema"])
        if total:
            raise SchemaBreaksProducts(category.code, offending, total)
    if before != {**before, **changes}:
        category.version += 1
    for name, value in changes.items():
        setattr(category, name, value)
    async with violations_as(session, {CATEGORY_CODE_UNIQUE: CategoryCodeTaken(category.code)}):
        await repository.save(session, category)
    audit.record(
        session,
        action="category.updated",
        entity="category",
        entity_id=category.id,
        before=before,
        after=_category_fields(category),
    )
    return category


async def delete_category(session: AsyncSession, category_id: uuid.UUID) -> None:
    category = await repository.category_by_id(session, category_id, lock="update")
    if category is None:
        raise CategoryNotFound(category_id)
    in_use = await repository.product_count_in_category(session, category.id)
    if in_use:
        raise CategoryInUse(category.code, in_use, "be deleted")
    # A product may have been added since the count.
    in_use_now = CategoryInUse(category.code, 1, "be deleted")
    async with violations_as(session, {PRODUCT_CATEGORY_FK: in_use_now}):
        await repository.delete(session, category)
    audit.record(
        session,
        action="category.deleted",
        entity="category",
        entity_id=category_id,
        before=_category_fields(category),
    )


def _unusable_schema(errors: list[dict[str, str]]) -> SchemaCheckRead:
    return SchemaCheckRead(
        valid_schema=False,
        schema_errors=[SchemaProblem.model_validate(error) for error in errors],
        checked=0,
        broken_count=0,
        broken=[],
    )


async def check_category_schema(
    session: AsyncSession,
    category_id: uuid.UUID,
    schema: dict[str, Any],
    *,
    limits: DocumentLimits,
) -> SchemaCheckRead:
    """What `PATCH /categories/{id}` with this `attribute_schema` would meet, changing
    nothing: whether the schema is usable at all (else `schema_errors`, the errors the update
    would answer 400 with) and which of the category's products it would refuse (the first
    `MAX_LISTED_BROKEN` in SKU order, and how many)."""
    category = await repository.category_by_id(session, category_id)
    if category is None:
        raise CategoryNotFound(category_id)
    try:
        check_size(schema, "attribute_schema", limits.schema_bytes)
        check_attribute_schema(schema)
    except (InvalidAttributeSchema, DocumentTooLarge) as error:
        return _unusable_schema(error.extra["errors"])
    try:
        verdict = await _judge_products(session, category, schema, listed=MAX_LISTED_BROKEN)
    except UnusableAttributeSchema as error:
        return _unusable_schema([{"field": "attribute_schema", "message": error.detail}])
    return SchemaCheckRead(
        valid_schema=True,
        schema_errors=[],
        checked=verdict.checked,
        broken_count=verdict.refused,
        broken=[
            BrokenProduct(
                product_id=product.product_id,
                sku=product.sku,
                name=product.name,
                errors=[
                    AttributeProblem(path=error["field"], message=error["message"])
                    for error in product.errors
                ],
            )
            for product in verdict.listed
        ],
    )


# The whole catalogue configuration at once, by category code (configuration import)


async def all_categories(session: AsyncSession) -> list[CategoryRead]:
    return [CategoryRead.model_validate(row) for row in await repository.all_categories(session)]


def attribute_schema_problem(schema: dict[str, Any]) -> dict[str, str] | None:
    """What makes `schema` unusable as an attribute schema (`{field, message}`), if anything."""
    try:
        check_attribute_schema(schema)
    except InvalidAttributeSchema as error:
        first: dict[str, str] = error.extra["errors"][0]
        return first
    return None


async def products_in_category(session: AsyncSession, code: str) -> int:
    category = await repository.category_by_code(session, code)
    return (
        0 if category is None else await repository.product_count_in_category(session, category.id)
    )


async def schema_offenders(
    session: AsyncSession, code: str, schema: dict[str, Any]
) -> tuple[list[dict[str, Any]], int]:
    """The products of the category `code` that `schema` would refuse (at most
    `MAX_LISTED_OFFENDERS` listed, each `{id, sku, errors}`) and how many there are."""
    category = await repository.category_by_code(session, code)
    if category is None:
        return [], 0
    return await _offenders(session, category, schema)


async def put_category(
    session: AsyncSession,
    code: str,
    name: str,
    attribute_schema: dict[str, Any],
    *,
    limits: DocumentLimits,
) -> CategoryRead:
    """Create the category `code`, or give the existing one this name and schema."""
    existing = await repository.category_by_code(session, code)
    if existing is None:
        data = CategoryCreate(code=code, name=name, attribute_schema=attribute_schema)
        return CategoryRead.model_validate(await create_category(session, data, limits=limits))
    changes = CategoryUpdate(name=name, attribute_schema=attribute_schema)
    updated = await update_category(session, existing.id, changes, limits=limits)
    return CategoryRead.model_validate(updated)


async def delete_category_by_code(session: AsyncSession, code: str) -> None:
    category = await repository.category_by_code(session, code)
    if category is None:
        raise CategoryNotFound(code)
    await delete_category(session, category.id)


# Products


async def _with_attribute_query(
    session: AsyncSession, where: ProductFilter, text: str
) -> ProductFilter | None:
    """`where` narrowed by the `attributes` query, checked against the schema of the
    category it names; None when that category does not exist (nothing matches)."""
    if where.category_id is not None:
        category = await repository.category_by_id(session, where.category_id)
    elif where.category_code is not None:
        category = await repository.category_by_code(session, where.category_code)
    else:
        raise InvalidAttributeFilter(ATTRIBUTE_QUERY, "needs `category`, whose schema it follows")
    if category is None:
        return None
    query = attribute_query(text, category.attribute_schema)
    return replace(
        where,
        category_id=category.id,
        category_code=None,
        attributes=[*where.attributes, *query.groups],
        attribute_ranges=[*where.attribute_ranges, *query.ranges],
    )


async def list_products(
    session: AsyncSession,
    where: ProductFilter,
    *,
    cursor: str | None,
    limit: int,
    currency: str,
    attributes: str | None = None,
) -> Page[ProductRead]:
    """Products by SKU (ignoring case), filtered; keyset-paged on the lower-cased SKU.

    `attributes` is the JSON attribute filter (`attribute_query`), which needs a category."""
    after = decode_cursor(cursor, str)[0] if cursor else None
    if attributes is not None:
        narrowed = await _with_attribute_query(session, where, attributes)
        if narrowed is None:
            return Page(items=[], next_cursor=None)
        where = narrowed
    rows = await repository.products_page(session, where, after_sku=after, limit=limit)
    return page_of(
        rows, limit, lambda row: [row.sku.lower()], lambda row: ProductRead.of(row, currency)
    )


async def get_product(
    session: AsyncSession, product_id: uuid.UUID, *, include_inactive: bool
) -> Product:
    """The product; an archived one is not found unless `include_inactive` (staff)."""
    product = await repository.product_by_id(session, product_id, include_inactive=include_inactive)
    if product is None:
        raise ProductNotFound(product_id)
    return product


# Product images


def _image_fields(image: ProductImage) -> dict[str, Any]:
    return {
        "image_id": str(image.id),
        "digest": image.digest,
        "content_type": image.content_type,
        "width": image.width,
        "height": image.height,
    }


async def add_image(
    session: AsyncSession, product_id: uuid.UUID, content_type: str, data: bytes, *, max_bytes: int
) -> Product:
    """Add an image after the product's others; at most `MAX_IMAGES_PER_PRODUCT`. The
    product's row lock serialises uploads, so two cannot pass the cap."""
    refusal = images.image_refusal(
        "image", content_type, data, max_bytes=max_bytes, allowed=IMAGE_TYPES
    )
    if refusal is not None:
        raise refusal
    size = images.check_image(content_type, data)
    assert size is not None  # raster types only
    product = (await repository.lock_products(session, [product_id])).get(product_id)
    if product is None:
        raise ProductNotFound(product_id)
    count, last = await repository.image_count(session, product_id)
    if count >= MAX_IMAGES_PER_PRODUCT:
        raise TooManyProductImages(MAX_IMAGES_PER_PRODUCT)
    digest = hashlib.sha256(data).hexdigest()
    await repository.add_image_file(session, digest, content_type, data)
    image = ProductImage(
        id=uuid.uuid4(),
        product_id=product_id,
        position=last + 1,
        digest=digest,
        content_type=content_type,
        width=size.width,
        height=size.height,
    )
    product.version += 1
    await repository.add_image(session, image)
    audit.record(
        session,
        action="product.image_added",
        entity="product",
        entity_id=product_id,
        after=_image_fields(image),
    )
    await repository.reload_shown(session, product)
    return product


async def remove_image(
    session: AsyncSession, product_id: uuid.UUID, image_id: uuid.UUID
) -> Product:
    """Take the image off the product. Its bytes stay at their URL, which never changes
    meaning: a copy cached anywhere is still that image."""
    product = (await repository.lock_products(session, [product_id])).get(product_id)
    if product is None:
        raise ProductNotFound(product_id)
    image = await repository.product_image(session, product_id, image_id)
    if image is None:
        raise ProductImageNotFound()
    before = _image_fields(image)
    product.version += 1
    await repository.delete_image(session, image)
    audit.record(
        session,
        action="product.image_removed",
        entity="product",
        entity_id=product_id,
        before=before,
    )
    await repository.reload_shown(session, product)
    return product


@dataclass(frozen=True, slots=True)
class ImageFile:
    content_type: str
    content: bytes


async def image_file(session: AsyncSession, digest: str) -> ImageFile:
    found = await repository.image_file(session, digest)
    if found is None:
        raise ProductImageNotFound()
    return ImageFile(found.content_type, found.content)
