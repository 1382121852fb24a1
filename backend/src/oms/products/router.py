"""HTTP endpoints of the catalogue: `/categories` and `/products`."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from starlette.convertors import Convertor, register_url_convertor

from oms.auth.dependencies import CatalogueReader, CatalogueWriter, Idempotent
from oms.auth.permissions import Permission
from oms.branding.dependencies import ShopCurrency
from oms.core.conditional import IfMatch, tagged_json
from oms.core.db import Session
from oms.core.images import IMAGE_HEADERS
from oms.core.money import MoneyInput
from oms.core.openapi import examples, link, links, merge_responses, problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.products import service
from oms.products.schemas import (
    PRODUCT_PAGE_EXAMPLE,
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
    ProductCreate,
    ProductImportRead,
    ProductRead,
    ProductUpdate,
    SchemaCheckRead,
    SchemaCheckRequest,
)


async def _document_limits(request: Request) -> service.DocumentLimits:
    settings = request.app.state.settings
    return service.DocumentLimits(
        schema_bytes=settings.max_attribute_schema_bytes,
        attributes_bytes=settings.max_attributes_bytes,
    )


DocumentLimits = Annotated[service.DocumentLimits, Depends(_document_limits)]


class _ProductSegment(Convertor[str]):
    """`/products/{product_id}` takes any segment but `import`, the CSV import's own path: a
    GET there is a 405 naming POST, not a product id that does not parse (which stays a 400
    naming `product_id` anywhere else). The document still shows `{product_id}`."""

    regex = r"(?!import$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: object) -> str:
        return str(value)


register_url_convertor("product_segment", _ProductSegment())
PRODUCT_PATH = "/products/{product_id:product_segment}"

router = APIRouter(tags=["catalogue"])
images_router = APIRouter(prefix="/product-images", tags=["catalogue"])
BINARY = {"type": "string", "format": "binary"}

_BAD_ATTRIBUTE_SCHEMA = "`attribute_schema` is not a valid JSON Schema (2020-12)."
_PRODUCT_PROBLEMS = {
    400: "The attributes do not satisfy the category's attribute schema.",
    409: "A product with this SKU exists.",
    422: "`category_id` names no category, or the category's attribute schema cannot be applied.",
}

_THE_PRODUCT = {"product_id": "$response.body#/id"}
_READ_PRODUCT = link("getProduct", "Read the product.", parameters=_THE_PRODUCT)
_UPDATE_PRODUCT = link("updateProduct", "Change the product.", parameters=_THE_PRODUCT)


def _create_product_in(category_id: str) -> dict[str, object]:
    return link(
        "createProduct",
        "Add a product to this category.",
        request_body={"category_id": category_id},
    )


def _order_one_of(product_id: str) -> dict[str, object]:
    return link(
        "createOrder",
        "Order one of this product.",
        request_body={"items": [{"product_id": product_id, "quantity": 1}]},
    )


# Categories


@router.get(
    "/categories",
    responses=links(200, createProduct=_create_product_in("$response.body#/items/0/id")),
)
async def list_categories(
    session: Session,
    _: CatalogueReader,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> Page[CategoryRead]:
    return await service.list_categories(session, cursor=cursor, limit=limit)


@router.get("/categories/{category_id}")
async def get_category(
    session: Session, _: CatalogueReader, category_id: uuid.UUID
) -> CategoryRead:
    return CategoryRead.model_validate(await service.get_category(session, category_id))


@router.post(
    "/categories",
    status_code=status.HTTP_201_CREATED,
    response_model=CategoryRead,
    responses=merge_responses(
        problems({400: _BAD_ATTRIBUTE_SCHEMA, 409: "A category with this code exists."}),
        links(201, createProduct=_create_product_in("$response.body#/id")),
    ),
)
async def create_category(
    session: Session,
    _: CatalogueWriter,
    body: CategoryCreate,
    request: Request,
    idempotent: Idempotent,
    limits: DocumentLimits,
) -> Response:
    category = await service.create_category(session, body, limits=limits)
    location = str(request.url_for("get_category", category_id=category.id))
    return await idempotent.respond(
        session,
        status.HTTP_201_CREATED,
        CategoryRead.model_validate(category),
        headers={"Location": location},
    )


@router.patch(
    "/categories/{category_id}",
    response_model=CategoryRead,
    responses=problems(
        {
            400: _BAD_ATTRIBUTE_SCHEMA,
            409: "The new code is taken, or products use the category (so its code cannot"
            " change), or the new schema rejects some of its products (`products` lists them).",
            422: "The new attribute schema cannot be applied (a `$ref` does not resolve).",
        }
    ),
)
async def update_category(
    session: Session,
    _: CatalogueWriter,
    category_id: uuid.UUID,
    body: CategoryUpdate,
    limits: DocumentLimits,
    if_match: IfMatch = None,
) -> Response:
    category = await service.update_category(
        session, category_id, body, limits=limits, if_match=if_match
    )
    return tagged_json(CategoryRead.model_validate(category), category.version)


@router.post(
    "/categories/{category_id}/schema-check",
    responses=problems({400: "The body is not `{attribute_schema: <object>}`."}),
)
async def check_category_schema(
    session: Session,
    _: CatalogueWriter,
    category_id: uuid.UUID,
    body: SchemaCheckRequest,
    limits: DocumentLimits,
) -> SchemaCheckRead:
    """Which products of the category the proposed `attribute_schema` would refuse, changing
    nothing: what `PATCH /categories/{category_id}` with it would meet. A schema the update
    would refuse itself (not a JSON Schema 2020-12, a `$ref` that does not resolve, too
    large) is answered here with `valid_schema: false` and `schema_errors`, not a 400."""
    return await service.check_category_schema(
        session, category_id, body.attribute_schema, limits=limits
    )


@router.delete(
    "/categories/{category_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems({409: "Products use the category."}),
)
async def delete_category(session: Session, _: CatalogueWriter, category_id: uuid.UUID) -> None:
    await service.delete_category(session, category_id)


# Products


def _category_filter(category: str | None) -> tuple[uuid.UUID | None, str | None]:
    """`?category=` takes an id or a code."""
    if category is None:
        return None, None
    try:
        return uuid.UUID(category), None
    except ValueError:
        return None, category


@router.get(
    "/products",
    responses=merge_responses(
        problems(
            {
                400: "An `attr.<name>` filter is not valid, or `attributes` is not JSON, comes"
                " without `category`, or names an attribute the category's schema lacks or"
                " a value of the wrong type (`errors` names `attributes.<name>`)."
            }
        ),
        examples(200, page=PRODUCT_PAGE_EXAMPLE),
        links(200, createOrder=_order_one_of("$response.body#/items/0/id")),
    ),
    description=(
        "Products ordered by SKU. Customers see active products only. "
        "`attr.<name>=<value>` filters on attributes (repeatable; a repeated name matches "
        "any of its values; `attr.a.b` reaches nested objects). A value that reads as a "
        "number, `true`, `false` or `null` matches that JSON value or the same text as a "
        "string; any other value matches a string. "
        "`attributes` is a JSON object checked against the schema of `category` (which it "
        'needs): `{"color": "red"}` an exact value, `{"material": ["oak", "pine"]}` any of '
        'them, `{"width_cm": {"min": 40, "max": 90}}` a range of a number attribute.'
    ),
)
async def list_products(
    session: Session,
    user: CatalogueReader,
    currency: ShopCurrency,
    request: Request,
    category: Annotated[str | None, Query(description="Category id or code.")] = None,
    active: Annotated[bool | None, Query(description="Staff only; customers see active.")] = None,
    min_price: Annotated[MoneyInput | None, Query()] = None,
    max_price: Annotated[MoneyInput | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Text in the SKU or name."),
    ] = None,
    attributes: Annotated[
        str | None,
        Query(
            max_length=service.MAX_ATTRIBUTE_QUERY_LENGTH,
            description="JSON object of attribute filters, checked against the schema of"
            " `category`.",
            examples=['{"material": ["oak", "walnut"], "width_cm": {"min": 40, "max": 90}}'],
        ),
    ] = None,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> Page[ProductRead]:
    category_id, category_code = _category_filter(category)
    where = service.ProductFilter(
        include_inactive=user.can(Permission.CATALOGUE_WRITE),
        active=active,
        min_price=min_price,
        max_price=max_price,
        text=q,
        attributes=service.attribute_filters(request.query_params.multi_items()),
        category_id=category_id,
        category_code=category_code,
    )
    return await service.list_products(
        session, where, cursor=cursor, limit=limit, currency=currency, attributes=attributes
    )


CSV = "text/csv"
_CSV_EXAMPLE = (
    "sku,name,price,stock,category,active,attributes\n"
    'FUR-CHAIR-OAK,Oak dining chair,149.00,40,furniture,true,"{""material"": ""oak""}"\n'
)


def _is_utf8_csv(content_type: str) -> bool:
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    charsets = [p.partition("=")[2].strip('"') for p in parameters if p.startswith("charset=")]
    return media_type == CSV and all(charset in ("utf-8", "utf8") for charset in charsets)


@router.post(
    "/products/import",
    responses=problems(
        {
            400: "The file cannot be read as a whole (`line` and `reason` say where and why):"
            " not UTF-8, a NUL character, broken quoting, no header row, an unknown or repeated"
            " column, or no `sku` column. Nothing is imported.",
            413: f"More than {service.MAX_IMPORT_ROWS} rows (`max_rows`): send them in chunks.",
            415: "The body is not `text/csv` in UTF-8.",
        }
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A CSV file in UTF-8 with a header row (docs/catalogue.md).",
            "content": {CSV: {"schema": {"type": "string"}, "example": _CSV_EXAMPLE}},
        }
    },
)
async def import_products(
    request: Request,
    session: Session,
    _: CatalogueWriter,
    limits: DocumentLimits,
    first_row: Annotated[
        int,
        Query(
            ge=2,
            le=2_147_483_647,
            description="The file line of the body's first data row, for a file sent in"
            " chunks (each with the header row): rows are numbered from it.",
        ),
    ] = 2,
    dry_run: Annotated[
        bool, Query(description="Report what the import would do, and keep nothing.")
    ] = False,
) -> ProductImportRead:
    """Create or change products from CSV rows, matched by SKU ignoring case. Each row is
    checked as `POST /products` or `PATCH /products/{id}` would check it and written on its
    own: the valid ones are written, the others reported with their errors."""
    if not _is_utf8_csv(request.headers.get("content-type", "")):
        raise service.UnsupportedCsvType(request.headers.get("content-type", ""))
    return await service.import_products(
        session,
        await request.body(),
        first_row=first_row,
        dry_run=dry_run,
        limits=limits,
        max_json_depth=request.app.state.settings.max_json_depth,
    )


@router.get(
    PRODUCT_PATH,
    responses=links(
        200,
        updateProduct=link(
            "updateProduct",
            "Change the product.",
            parameters={"product_id": "$request.path.product_id"},
        ),
        createOrder=_order_one_of("$response.body#/id"),
    ),
)
async def get_product(
    session: Session, user: CatalogueReader, currency: ShopCurrency, product_id: uuid.UUID
) -> ProductRead:
    product = await service.get_product(
        session, product_id, include_inactive=user.can(Permission.CATALOGUE_WRITE)
    )
    return ProductRead.of(product, currency)


@router.post(
    "/products",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductRead,
    responses=merge_responses(
        problems(_PRODUCT_PROBLEMS),
        links(
            201,
            getProduct=_READ_PRODUCT,
            updateProduct=_UPDATE_PRODUCT,
            createOrder=_order_one_of("$response.body#/id"),
        ),
    ),
)
async def create_product(
    session: Session,
    _: CatalogueWriter,
    currency: ShopCurrency,
    body: ProductCreate,
    request: Request,
    idempotent: Idempotent,
    limits: DocumentLimits,
) -> Response:
    product = await service.create_product(session, body, limits=limits)
    location = str(request.url_for("get_product", product_id=product.id))
    return await idempotent.respond(
        session,
        status.HTTP_201_CREATED,
        ProductRead.of(product, currency),
        headers={"Location": location},
    )


@router.patch(PRODUCT_PATH, response_model=ProductRead, responses=problems(_PRODUCT_PROBLEMS))
async def update_product(
    session: Session,
    _: CatalogueWriter,
    currency: ShopCurrency,
    product_id: uuid.UUID,
    body: ProductUpdate,
    limits: DocumentLimits,
    if_match: IfMatch = None,
) -> Response:
    product = await service.update_product(
        session, product_id, body, limits=limits, if_match=if_match
    )
    return tagged_json(ProductRead.of(product, currency), product.version)


@router.delete(
    PRODUCT_PATH,
    status_code=status.HTTP_204_NO_CONTENT,
    description="Archives the product (`active: false`); it is kept for the orders that "
    'refer to it. `PATCH {"active": true}` sells it again.',
)
async def archive_product(session: Session, _: CatalogueWriter, product_id: uuid.UUID) -> None:
    await service.archive_product(session, product_id)


# Product images


@router.post(
    "/products/{product_id}/images",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductRead,
    responses=problems(
        {
            400: "The bytes are not an image of the type sent.",
            409: f"The product has {service.MAX_IMAGES_PER_PRODUCT} images already (`limit`).",
            413: "The image is larger than `OMS_MAX_IMAGE_BYTES`.",
            415: "The Content-Type is not PNG, JPEG or WebP.",
        }
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {content_type: {"schema": BINARY} for content_type in service.IMAGE_TYPES},
        }
    },
)
async def add_product_image(
    product_id: uuid.UUID,
    request: Request,
    session: Session,
    _: CatalogueWriter,
    currency: ShopCurrency,
) -> Response:
    """The image's bytes as the body, its type as Content-Type; it goes after the product's
    other images. Answers the product; `Location` is the new image's URL."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    product = await service.add_image(
        session,
        product_id,
        content_type,
        await request.body(),
        max_bytes=request.app.state.settings.max_image_bytes,
    )
    shown = ProductRead.of(product, currency)
    return Response(
        shown.model_dump_json(),
        status_code=status.HTTP_201_CREATED,
        media_type="application/json",
        headers={"Location": str(request.base_url).rstrip("/") + shown.images[-1].url},
    )


@router.delete(
    "/products/{product_id}/images/{image_id}",
    responses=problems({404: "The product, or the image on it, does not exist."}),
)
async def remove_product_image(
    product_id: uuid.UUID,
    image_id: uuid.UUID,
    session: Session,
    _: CatalogueWriter,
    currency: ShopCurrency,
) -> ProductRead:
    """Answers the product without the image."""
    return ProductRead.of(await service.remove_image(session, product_id, image_id), currency)


@images_router.get(
    "/{digest}",
    responses={
        200: {
            "description": "The image.",
            "content": {t: {"schema": BINARY} for t in service.IMAGE_TYPES},
        },
        **problems({404: "No product image has this digest."}),
    },
    response_class=Response,
)
async def get_product_image(
    digest: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the bytes.")],
    session: Session,
) -> Response:
    """Public, like the shop's logo: the URL is the bytes' digest, so it never changes."""
    found = await service.image_file(session, digest)
    return Response(found.content, media_type=found.content_type, headers=IMAGE_HEADERS)
