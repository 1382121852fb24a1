"""The CSV import of products: each row upserted by SKU with the same checks and writes as
`POST /products` and `PATCH /products/{id}`.

Rows are applied in file order, each in a savepoint of its own: a row that fails is rolled
back and reported, the others are written (a later row of the same SKU changes what an
earlier one created). Every product written is recorded in the audit log as the API's writes
are. A dry run does all of it inside one more savepoint, rolled back at the end, so what it
reports is exactly what the import would do.

Locks are taken up front, as an order takes them: the products the file names `FOR UPDATE`
in id order, their categories and those the file names `FOR SHARE` (so no schema changes
under the import), and imports run one at a time, so that two creating the same new SKUs
cannot wait on each other.
"""

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.db_errors import violations_as
from oms.core.errors import ProblemError
from oms.products import repository
from oms.products.attributes import DocumentLimits, check_size
from oms.products.errors import SkuTaken, UnusableAttributeSchema
from oms.products.models import Category, Product
from oms.products.product_csv import ROW, CsvRow, parse_product_csv
from oms.products.product_writes import (
    change_product,
    check_attributes,
    insert_product,
    sku_unique,
)
from oms.products.schemas import (
    ImportOutcome,
    ImportProblem,
    ImportRowRead,
    ProductCreate,
    ProductImportRead,
    ProductUpdate,
)

MAX_IMPORT_ROWS = 1000
_NEEDED_TO_CREATE = ("name", "price", "category")
# Where a refusal is shown: the CSV's column, not the API's field.
_COLUMN_OF_FIELD = {"category_id": "category"}
_COLUMN_OF_PROBLEM: dict[type[ProblemError], str] = {
    SkuTaken: "sku",
    UnusableAttributeSchema: "attributes",
}


class _RowFailed(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors


def _column(field: str) -> str:
    head, dot, rest = field.partition(".")
    return _COLUMN_OF_FIELD.get(head, head) + dot + rest


def _validation_errors(error: ValidationError) -> list[dict[str, str]]:
    return [
        {
            "field": _column(".".join(str(part) for part in item["loc"]) or ROW),
            "message": item["msg"].removeprefix("Value error, "),
        }
        for item in error.errors()
    ]


def _problem_errors(error: ProblemError) -> list[dict[str, str]]:
    listed = error.extra.get("errors")
    if isinstance(listed, list) and listed:
        return [
            {"field": _column(str(item["field"])), "message": str(item["message"])}
            for item in listed
        ]
    return [{"field": _COLUMN_OF_PROBLEM.get(type(error), ROW), "message": error.detail}]


def _checked(model: type[ProductCreate] | type[ProductUpdate], fields: dict[str, Any]) -> Any:
    """`fields` read as the API reads a body (the same validation); raises `_RowFailed`."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise _RowFailed(_validation_errors(error)) from error


def _as_id(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


class _Catalogue:
    """What the rows refer to, locked: products by lower-cased SKU (with those the import
    creates), categories by id and code."""

    def __init__(self, products: dict[str, Product], categories: list[Category]) -> None:
        self.products = products
        self.by_id = {category.id: category for category in categories}
        self.by_code = {category.code: category for category in categories}

    def category_named(self, name: str) -> Category:
        """A `category` cell's category: by id, else by code (as `?category=` reads it)."""
        as_id = _as_id(name)
        found = self.by_id.get(as_id) if as_id is not None else None
        found = found or self.by_code.get(name)
        if found is None:
            raise _RowFailed([{"field": "category", "message": "no such category"}])
        return found


async def _locked_catalogue(session: AsyncSession, rows: list[CsvRow]) -> _Catalogue:
    products = await repository.lock_products_by_sku(session, [row.sku for row in rows if row.sku])
    named = [str(row.values["category"]) for row in rows if "category" in row.values]
    ids = [found for name in named if (found := _as_id(name)) is not None]
    ids += [product.category_id for product in products.values()]
    categories = await repository.lock_categories(session, ids, named)
    return _Catalogue(products, list(categories))


async def _create(
    session: AsyncSession, row: CsvRow, catalogue: _Catalogue, limits: DocumentLimits
) -> None:
    missing = [column for column in _NEEDED_TO_CREATE if column not in row.values]
    if missing:
        message = "is required for a new product"
        raise _RowFailed([{"field": column, "message": message} for column in missing])
    category = catalogue.category_named(row.values["category"])
    fields = {key: value for key, value in row.values.items() if key != "category"}
    data: ProductCreate = _checked(ProductCreate, {**fields, "category_id": category.id})
    check_size(data.attributes, "attributes", limits.attributes_bytes)
    check_attributes(category, data.attributes)
    catalogue.products[data.sku.lower()] = await insert_product(session, data)


async def _update(
    session: AsyncSession,
    row: CsvRow,
    product: Product,
    catalogue: _Catalogue,
    limits: DocumentLimits,
) -> None:
    # The SKU matched ignoring case; the stored spelling stays.
    fields = {key: value for key, value in row.values.items() if key not in ("sku", "category")}
    category = None
    if "category" in row.values:
        category = catalogue.category_named(row.values["category"])
        fields["category_id"] = category.id
    changes = _checked(ProductUpdate, fields).changes()
    await repository.reload_if_expired(session, product)
    if "attributes" in changes:
        check_size(changes["attributes"], "attributes", limits.attributes_bytes)
    if "category_id" in changes or "attributes" in changes:
        check_attributes(
            category or catalogue.by_id[product.category_id],
            changes.get("attributes", product.attributes),
        )
    await change_product(session, product, changes)


async def _import_row(
    session: AsyncSession, row: CsvRow, catalogue: _Catalogue, limits: DocumentLimits
) -> ImportOutcome:
    """The row's write, in a savepoint of its own; raises `_RowFailed` with the savepoint
    rolled back."""
    if row.errors:
        raise _RowFailed(row.errors)
    assert row.sku is not None
    product = catalogue.products.get(row.sku.lower())
    try:
        # The savepoint also turns a SKU another request took meanwhile into `SkuTaken`.
        async with violations_as(session, sku_unique(row.sku)):
            if product is None:
                await _create(session, row, catalogue, limits)
                return "created"
            await _update(session, row, product, catalogue, limits)
            return "updated"
    except ProblemError as error:
        raise _RowFailed(_problem_errors(error)) from error


async def import_products(
    session: AsyncSession,
    body: bytes,
    *,
    first_row: int,
    dry_run: bool,
    limits: DocumentLimits,
    max_json_depth: int,
) -> ProductImportRead:
    """Upsert the products of the CSV `body` by SKU (see `product_csv` for the format);
    with `dry_run`, report what would happen and keep nothing.

    Raises `InvalidCsv` (400) or `TooManyImportRows` (413) before anything is written."""
    rows = parse_product_csv(
        body, first_row=first_row, max_rows=MAX_IMPORT_ROWS, max_json_depth=max_json_depth
    )
    await repository.lock_product_import(session)
    catalogue = await _locked_catalogue(session, rows)
    trial = await session.begin_nested() if dry_run else None
    results: list[ImportRowRead] = []
    for row in rows:
        try:
            outcome = await _import_row(session, row, catalogue, limits)
            results.append(ImportRowRead(row=row.line, sku=row.sku, outcome=outcome, errors=[]))
        except _RowFailed as failure:
            problems = [ImportProblem.model_validate(error) for error in failure.errors]
            results.append(
                ImportRowRead(row=row.line, sku=row.sku, outcome="failed", errors=problems)
            )
    if trial is not None:
        # Flushed first, so that what the rows left pending (audit entries) goes with it.
        await session.flush()
        await trial.rollback()
    outcomes = [result.outcome for result in results]
    return ProductImportRead(
        created=outcomes.count("created"),
        updated=outcomes.count("updated"),
        failed=outcomes.count("failed"),
        rows=results,
    )
