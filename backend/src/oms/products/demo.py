"""Demo catalogue for `oms seed --demo`: two categories and a handful of products."""

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.products import repository
from oms.products.attributes import check_attribute_schema, validate_attributes
from oms.products.models import Category, Product
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
        await repository.add(session, Product(**spec.model_dump()))
