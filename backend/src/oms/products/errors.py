"""Errors of the products module, each a problem+json response."""

import uuid
from dataclasses import dataclass
from typing import Any

from oms.core.errors import Conflict, NotFound, PreconditionFailed, ProblemError, Unprocessable


class CategoryNotFound(NotFound):
    slug = "category-not-found"

    def __init__(self, category: uuid.UUID | str) -> None:
        super().__init__(f"There is no category {str(category)!r}.", category=str(category))


class StaleCategory(PreconditionFailed):
    slug = "stale-category"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "The category changed since you read it (If-Match does not match); read it again.",
            headers={"ETag": current_etag},
            current_etag=current_etag,
        )


class UnknownCategory(Unprocessable):
    """A product names a category that does not exist (the id is in the body, not the URL)."""

    slug = "unknown-category"

    def __init__(self, category_id: uuid.UUID) -> None:
        super().__init__(
            f"There is no category {str(category_id)!r}.",
            errors=[{"field": "category_id", "message": "no such category"}],
        )


class CategoryCodeTaken(Conflict):
    slug = "category-code-taken"

    def __init__(self, code: str) -> None:
        super().__init__(f"A category with the code {code!r} exists already.", code=code)


class CategoryInUse(Conflict):
    slug = "category-in-use"

    def __init__(self, code: str, products: int, action: str) -> None:
        super().__init__(
            f"The category {code!r} is used by {products} product(s), so it cannot {action}.",
            code=code,
            products=products,
        )


class InvalidAttributeSchema(ProblemError):
    status, slug, title = 400, "invalid-attribute-schema", "Invalid attribute schema"

    def __init__(self, problem: str, path: str) -> None:
        super().__init__(
            f"`attribute_schema` is not a valid JSON Schema (2020-12): {problem}",
            errors=[{"field": path, "message": problem}],
        )


class DocumentTooLarge(ProblemError):
    status, slug, title = 400, "document-too-large", "Document too large"

    def __init__(self, field: str, size: int, max_bytes: int) -> None:
        problem = f"takes {size} bytes as JSON; at most {max_bytes} are allowed"
        super().__init__(
            f"`{field}` is too large: {problem}.",
            max_bytes=max_bytes,
            errors=[{"field": field, "message": problem}],
        )


class SchemaBreaksProducts(Conflict):
    slug = "schema-breaks-products"

    def __init__(self, code: str, offending: list[dict[str, Any]], total: int) -> None:
        super().__init__(
            f"{total} product(s) of the category {code!r} would not satisfy the new "
            "attribute schema; fix or move them first.",
            products=offending,
            total=total,
        )


class InvalidAttributes(ProblemError):
    status, slug, title = 400, "invalid-attributes", "Invalid attributes"

    def __init__(self, category_code: str, errors: list[dict[str, str]]) -> None:
        fields = ", ".join(sorted({error["field"] for error in errors}))
        super().__init__(
            f"The attributes do not match the schema of the category {category_code!r}: {fields}.",
            errors=errors,
        )


class UnusableAttributeSchema(Unprocessable):
    slug = "unusable-attribute-schema"

    def __init__(self, category_code: str, problem: str) -> None:
        super().__init__(
            f"The attribute schema of the category {category_code!r} cannot be applied: {problem}"
        )


class ProductNotFound(NotFound):
    """An unknown product in the URL (or one the caller may not see): 404."""

    slug = "product-not-found"

    def __init__(self, product: uuid.UUID | str) -> None:
        super().__init__(f"There is no product {str(product)!r}.", product=str(product))


class StaleProduct(PreconditionFailed):
    slug = "stale-product"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "The product changed since you read it (If-Match does not match); read it again.",
            headers={"ETag": current_etag},
            current_etag=current_etag,
        )


class SkuTaken(Conflict):
    slug = "sku-taken"

    def __init__(self, sku: str) -> None:
        super().__init__(f"A product with the SKU {sku!r} exists already.", sku=sku)


class InvalidAttributeFilter(ProblemError):
    status, slug, title = 400, "invalid-attribute-filter", "Invalid attribute filter"

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(
            f"The filter {parameter!r} is not valid: {problem}",
            errors=[{"field": parameter, "in": "query", "message": problem}],
        )


# Raised by `reserve_stock` / `release_stock`: the lines are in a request body (an order's
# items), so an unknown or unavailable product is a 422 naming the line, not a 404.


class StockError(ProblemError):
    """Base of the errors `reserve_stock` and `release_stock` raise."""


class UnknownProduct(StockError):
    """An order's line names a product that does not exist (`ProductNotFound` is the 404 of
    a product in the URL)."""

    status, slug, title = 422, "unknown-product", "Unknown product"

    def __init__(self, line: int, product: str) -> None:
        super().__init__(
            f"items[{line}]: there is no product {product!r}.", line=line, product=product
        )


class ProductInactive(StockError):
    status, slug, title = 422, "product-inactive", "Product not available"

    def __init__(self, line: int, product_id: uuid.UUID, sku: str) -> None:
        super().__init__(
            f"items[{line}]: the product {sku!r} is no longer sold.",
            line=line,
            product_id=str(product_id),
            sku=sku,
        )


class InvalidQuantity(StockError):
    status, slug, title = 422, "invalid-quantity", "Invalid quantity"

    def __init__(self, line: int, quantity: int, problem: str = "must be at least 1") -> None:
        super().__init__(
            f"items[{line}]: the quantity {quantity} {problem}.",
            line=line,
            quantity=quantity,
            errors=[{"field": f"items.{line}.quantity", "message": problem}],
        )


class InvalidStockLine(StockError):
    status, slug, title = 422, "invalid-stock-line", "Invalid item"

    def __init__(self, line: int) -> None:
        super().__init__(
            f"items[{line}]: give exactly one of `product_id` and `sku`.",
            line=line,
            errors=[{"field": f"items.{line}", "message": "exactly one of product_id, sku"}],
        )


@dataclass(frozen=True, slots=True)
class ShortLine:
    """A product an order asks more of than there is; `items` are the lines naming it."""

    product_id: uuid.UUID
    sku: str
    requested: int
    available: int
    items: list[int]


class InsufficientStock(StockError):
    """Names every short product in `lines`; the first one's figures stand at the top level
    too, as they always have."""

    status, slug, title = 409, "insufficient-stock", "Insufficient stock"

    def __init__(self, short: list[ShortLine]) -> None:
        first = short[0]
        which = "; ".join(
            f"{', '.join(f'items[{i}]' for i in line.items)}: only {line.available} of "
            f"{line.sku!r} in stock, {line.requested} requested"
            for line in short
        )
        super().__init__(
            f"{which}.",
            lines=[
                {
                    "product_id": str(line.product_id),
                    "sku": line.sku,
                    "requested": line.requested,
                    "available": line.available,
                    "items": line.items,
                }
                for line in short
            ],
            product_id=str(first.product_id),
            sku=first.sku,
            available=first.available,
            requested=first.requested,
        )


class ProductImageNotFound(NotFound):
    slug = "product-image-not-found"

    def __init__(self) -> None:
        super().__init__("The product has no such image.")


class TooManyProductImages(Conflict):
    slug = "too-many-product-images"

    def __init__(self, limit: int) -> None:
        super().__init__(f"A product may have at most {limit} images.", limit=limit)


# The CSV import of products (`POST /products/import`)


class InvalidCsv(ProblemError):
    """The file as a whole cannot be read: nothing of it is imported."""

    status, slug, title = 400, "invalid-csv", "Invalid CSV file"

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(
            f"Line {line}: {reason}.",
            line=line,
            reason=reason,
            errors=[{"field": "body", "in": "body", "message": f"line {line}: {reason}"}],
        )


class TooManyImportRows(ProblemError):
    status, slug, title = 413, "too-many-rows", "Too many rows"

    def __init__(self, max_rows: int) -> None:
        super().__init__(
            f"A product import takes at most {max_rows} rows per request; send the file in"
            " chunks (each with the header row, and `first_row` set to the file line of the"
            " chunk's first row).",
            max_rows=max_rows,
        )


class UnsupportedCsvType(ProblemError):
    status, slug, title = 415, "unsupported-csv-type", "Unsupported Media Type"

    def __init__(self, content_type: str) -> None:
        super().__init__(
            "A product import is sent as `text/csv` in UTF-8, not"
            f" {content_type or 'without a Content-Type'}.",
            supported=["text/csv"],
        )
