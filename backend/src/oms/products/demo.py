"""Demo catalogue for `oms seed --demo`: two categories and a handful of products, some with
a picture."""

import hashlib
import io
import uuid
from decimal import Decimal
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy.ext.asyncio import AsyncSession

from oms.products import repository
from oms.products.attributes import check_attribute_schema, validate_attributes
from oms.products.models import Category, Product, ProductImage
from oms.products.schemas import CategoryCreate, ProductCreate

_DIMENSION = {"type": "number", "exclusiveMinimum": 0, "maximum": 1000}

DEMO_CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "furniture",
        "name": "Furniture",
        "attribute_schema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "material": {"enum": ["oak", "walnut", "pine", "steel", "fabric", "leather"]},
                "width_cm": _DIMENSION,
                "height_cm": _DIMENSION,
                "depth_cm": _DIMENSION,
                "color": {"type": "string", "minLength": 1, "maxLength": 40},
            },
            "required": ["material", "width_cm"],
            "additionalProperties": False,
        },
    },
    {
        "code": "electronics",
        "name": "Electronics",
        "attribute_schema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "voltage": {"type": "integer", "enum": [5, 12, 110, 230]},
                "warranty_months": {"type": "integer", "minimum": 0, "maximum": 120},
                "power_w": {"type": "number", "minimum": 0},
                "wireless": {"type": "boolean"},
                "color": {"type": "string", "minLength": 1, "maxLength": 40},
            },
            "required": ["voltage", "warranty_months"],
            "additionalProperties": False,
        },
    },
]

# (category, sku, name, price, stock (None: not tracked), attributes)
DEMO_PRODUCTS: list[tuple[str, str, str, str, int | None, dict[str, Any]]] = [
    ("furniture", "FUR-CHAIR-OAK", "Oak dining chair", "149.00", 40,
     {"material": "oak", "width_cm": 45, "height_cm": 92, "depth_cm": 50, "color": "natural"}),
    ("furniture", "FUR-TABLE-WAL", "Walnut table 180", "1249.50", 6,
     {"material": "walnut", "width_cm": 180, "height_cm": 75, "depth_cm": 90}),
    ("furniture", "FUR-SHELF-PINE", "Pine shelf", "89.90", 25,
     {"material": "pine", "width_cm": 80, "height_cm": 180, "depth_cm": 30, "color": "white"}),
    ("furniture", "FUR-SOFA-FAB", "Three-seat sofa", "899.00", None,
     {"material": "fabric", "width_cm": 210, "height_cm": 85, "depth_cm": 95, "color": "grey"}),
    ("furniture", "FUR-STOOL-STL", "Steel bar stool", "69.99", 3,
     {"material": "steel", "width_cm": 38.5, "height_cm": 76, "color": "black"}),
    ("electronics", "ELE-LAMP-LED", "LED desk lamp", "39.95", 120,
     {"voltage": 230, "warranty_months": 24, "power_w": 8.5, "color": "black"}),
    ("electronics", "ELE-SPK-BT", "Bluetooth speaker", "79.00", 15,
     {"voltage": 5, "warranty_months": 12, "wireless": True, "color": "red"}),
    ("electronics", "ELE-KETTLE", "Electric kettle", "34.50", 0,
     {"voltage": 230, "warranty_months": 24, "power_w": 2200}),
    ("electronics", "ELE-CHARGER-65", "USB-C charger 65 W", "29.99", None,
     {"voltage": 230, "warranty_months": 24, "power_w": 65}),
    ("electronics", "ELE-RADIO-12V", "Car radio", "119.00", 8,
     {"voltage": 12, "warranty_months": 36, "wireless": True}),
]  # fmt: skip


async def seed_demo_catalogue(session: AsyncSession) -> None:
    """Create the demo categories and products that are missing; never changes existing ones."""
    categories: dict[str, Category] = {}
    for data in DEMO_CATEGORIES:
        wanted = CategoryCreate.model_validate(data)
        existing = await repository.category_by_code(session, wanted.code)
        if existing is None:
            check_attribute_schema(wanted.attribute_schema)
            existing = Category(**wanted.model_dump())
            await repository.add(session, existing)
        categories[wanted.code] = existing
    for code, sku, name, price, stock, attributes in DEMO_PRODUCTS:
        if await repository.product_by_sku(session, sku) is not None:
            continue
        spec = ProductCreate(
            sku=sku,
            name=name,
            category_id=categories[code].id,
            price=Decimal(price),
            stock=stock,
            attributes=attributes,
        )
        category = categories[code]
        validate_attributes(category.code, category.attribute_schema, spec.attributes)
        product = Product(**spec.model_dump())
        await repository.add(session, product)
        if sku in DEMO_IMAGE_COLOURS:
            await _add_demo_image(session, product, DEMO_IMAGE_COLOURS[sku])


# A picture for some demo products, drawn when seeding: a tile of the product's colour with
# a lighter band, so a storefront shows something without shipping image files.
DEMO_IMAGE_COLOURS = {
    "FUR-CHAIR-OAK": ("#b5895a", "#e8d3b5"),
    "FUR-TABLE-WAL": ("#5d4030", "#a07b62"),
    "ELE-LAMP-LED": ("#222222", "#f4d35e"),
    "ELE-SPK-BT": ("#c0392b", "#f5b7b1"),
}
DEMO_IMAGE_SIZE = (640, 480)


def demo_image(colours: tuple[str, str]) -> bytes:
    background, band = colours
    image = Image.new("RGB", DEMO_IMAGE_SIZE, background)
    width, height = DEMO_IMAGE_SIZE
    ImageDraw.Draw(image).rectangle((0, height // 3, width, 2 * height // 3), fill=band)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def _add_demo_image(
    session: AsyncSession, product: Product, colours: tuple[str, str]
) -> None:
    data = demo_image(colours)
    digest = hashlib.sha256(data).hexdigest()
    await repository.add_image_file(session, digest, "image/png", data)
    width, height = DEMO_IMAGE_SIZE
    await repository.add_image(
        session,
        ProductImage(
            id=uuid.uuid4(),
            product_id=product.id,
            position=1,
            digest=digest,
            content_type="image/png",
            width=width,
            height=height,
        ),
    )
