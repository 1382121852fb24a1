"""Request and response bodies of the catalogue API."""

import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)

from oms.core.money import Money, MoneyInput
from oms.core.patches import Patch
from oms.products.models import Product, ProductImage

CategoryCode = Annotated[
    str,
    StringConstraints(max_length=64, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    Field(description="Lower-case slug: letters, digits and single hyphens.", examples=["chairs"]),
]
Sku = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$"
    ),
    Field(description="Unique ignoring case: letters, digits, `.`, `_`, `-`.", examples=["CH-001"]),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=10_000)]
Stock = Annotated[
    StrictInt | None,
    Field(ge=0, le=2_147_483_647, description="Units in stock; null means not tracked."),
]
AttributeSchema = Annotated[
    dict[str, Any],
    Field(description="JSON Schema (2020-12) the attributes of the category's products satisfy."),
]


# Examples in the OpenAPI document: one product, as created, read and listed.
_PRODUCT_SENT_EXAMPLE: dict[str, Any] = {
    "sku": "FUR-CHAIR-OAK",
    "name": "Oak dining chair",
    "description": "Solid oak, oiled; seat height 46 cm.",
    "category_id": "5b9d3e1f-2a4c-4e6b-8d0f-1a3c5e7b9d2f",
    "price": "149.00",
    "stock": 40,
    "active": True,
    "attributes": {"material": "oak", "width_cm": 45, "height_cm": 92, "depth_cm": 50},
}
_PRODUCT_EXAMPLE: dict[str, Any] = {
    "id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
    **_PRODUCT_SENT_EXAMPLE,
    "currency": "EUR",
    "version": 3,
    "images": [
        {
            "id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
            "url": "/api/v1/product-images/"
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "content_type": "image/png",
            "width": 800,
            "height": 600,
        }
    ],
    "created_at": "2025-03-01T08:00:00Z",
    "updated_at": "2025-03-14T09:26:53Z",
}
PRODUCT_PAGE_EXAMPLE: dict[str, Any] = {
    "items": [_PRODUCT_EXAMPLE],
    "next_cursor": "W1sicyIsImZ1ci1jaGFpci1vYWsiXV0",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CategoryCreate(Strict):
    code: CategoryCode
    name: Name
    attribute_schema: AttributeSchema = Field(default_factory=dict)


class CategoryUpdate(Patch):
    code: CategoryCode | None = None
    name: Name | None = None
    attribute_schema: AttributeSchema | None = None


class CategoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    attribute_schema: dict[str, Any]
    version: int = Field(description="One more with every change; `PATCH` takes it as `If-Match`.")
    created_at: datetime
    updated_at: datetime


class SchemaCheckRequest(Strict):
    """A proposed attribute schema for a category, as `PATCH /categories/{id}` takes it."""

    attribute_schema: AttributeSchema


class SchemaProblem(BaseModel):
    field: str = Field(description="Where in the schema: `attribute_schema.properties.x.type`.")
    message: str


class AttributeProblem(BaseModel):
    path: str = Field(description="The attribute at fault: `attributes.width_cm`.")
    message: str


class BrokenProduct(BaseModel):
    product_id: uuid.UUID
    sku: str
    name: str
    errors: list[AttributeProblem]


class SchemaCheckRead(BaseModel):
    """What changing the category's schema to the one sent would meet; nothing is changed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "valid_schema": True,
                    "schema_errors": [],
                    "checked": 240,
                    "broken_count": 1,
                    "broken": [
                        {
                            "product_id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
                            "sku": "FUR-CHAIR-OAK",
                            "name": "Oak dining chair",
                            "errors": [{"path": "attributes.seat_cm", "message": "is required"}],
                        }
                    ],
                }
            ]
        }
    )

    valid_schema: bool = Field(
        description="False when the category update would refuse the schema itself (400);"
        " `schema_errors` says why, and no product is checked."
    )
    schema_errors: list[SchemaProblem]
    checked: int = Field(description="How many products of the category were checked.")
    broken_count: int = Field(description="How many of them the schema would refuse.")
    broken: list[BrokenProduct] = Field(
        description="The first 100 of those, in SKU order, with what is wrong with each."
    )


ImportOutcome = Literal["created", "updated", "failed"]


class ImportProblem(BaseModel):
    field: str = Field(
        description="The column at fault (`price`), an attribute (`attributes.width_cm`), or"
        " `row` for the row as a whole."
    )
    message: str


class ImportRowRead(BaseModel):
    row: int = Field(description="The line of the file the row starts on.")
    sku: str | None = Field(description="The row's SKU; null when the cell is empty.")
    outcome: ImportOutcome
    errors: list[ImportProblem] = Field(description="Why the row failed; empty otherwise.")


class ProductImportRead(BaseModel):
    """What the import did (or, with `dry_run`, would do), row by row, in file order."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "created": 1,
                    "updated": 1,
                    "failed": 1,
                    "rows": [
                        {"row": 2, "sku": "FUR-CHAIR-OAK", "outcome": "updated", "errors": []},
                        {"row": 3, "sku": "FUR-TABLE-ASH", "outcome": "created", "errors": []},
                        {
                            "row": 4,
                            "sku": "FUR-BENCH",
                            "outcome": "failed",
                            "errors": [
                                {"field": "price", "message": "is required for a new product"}
                            ],
                        },
                    ],
                }
            ]
        }
    )

    created: int
    updated: int
    failed: int
    rows: list[ImportRowRead]


class ProductCreate(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [_PRODUCT_SENT_EXAMPLE]})

    sku: Sku
    name: Name
    description: Description = ""
    category_id: uuid.UUID
    price: MoneyInput
    stock: Stock = None
    active: StrictBool = True
    attributes: dict[str, Any] = Field(default_factory=dict)


class ProductUpdate(Patch):
    """Only the fields sent change; `stock: null` stops tracking stock."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset({"stock"})

    sku: Sku | None = None
    name: Name | None = None
    description: Description | None = None
    category_id: uuid.UUID | None = None
    price: MoneyInput | None = None
    stock: Stock = None
    active: StrictBool | None = None
    attributes: dict[str, Any] | None = None


IMAGE_PATH = "/api/v1/product-images/"
"""Where a product image is served, by the SHA-256 of its bytes."""


class ProductImageRead(BaseModel):
    id: uuid.UUID
    url: str = Field(description="Public and immutable: the image's bytes, cacheable for good.")
    content_type: str
    width: int
    height: int

    @classmethod
    def of(cls, image: ProductImage) -> "ProductImageRead":
        return cls(
            id=image.id,
            url=f"{IMAGE_PATH}{image.digest}",
            content_type=image.content_type,
            width=image.width,
            height=image.height,
        )


class ProductRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_PRODUCT_EXAMPLE]}
    )

    id: uuid.UUID
    sku: str
    name: str
    description: str
    category_id: uuid.UUID
    price: Money
    currency: str
    stock: int | None
    active: bool
    attributes: dict[str, Any]
    version: int = Field(
        description="One more with every change (stock and images too); `PATCH` takes it as"
        " `If-Match`."
    )
    images: list[ProductImageRead] = Field(description="In the order they are shown.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, product: Product, currency: str) -> "ProductRead":
        """The product as the API shows it (its images loaded); prices are in the
        deployment's currency."""
        fields = {
            name: getattr(product, name)
            for name in cls.model_fields
            if name not in {"currency", "images"}
        }
        images = [ProductImageRead.of(image) for image in product.images]
        return cls.model_validate({**fields, "currency": currency, "images": images})
