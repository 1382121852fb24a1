"""Catalogue fixtures: categories and products created through the API, as staff would."""

from typing import Any

import pytest
from httpx import AsyncClient

from oms.core.settings import Settings
from oms.products import service as products
from tests.actors import Actor

LIMITS = products.DocumentLimits(
    schema_bytes=Settings.model_fields["max_attribute_schema_bytes"].default,
    attributes_bytes=Settings.model_fields["max_attributes_bytes"].default,
)
"""The default bounds, for tests that call the catalogue's service directly."""

FURNITURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "material": {"enum": ["oak", "walnut", "steel"]},
        "width_cm": {"type": "number", "exclusiveMinimum": 0},
        "height_cm": {"type": "number", "exclusiveMinimum": 0},
        "color": {"type": "string"},
        "foldable": {"type": "boolean"},
        "dimensions": {"type": "object"},
    },
    "required": ["material", "width_cm"],
    "additionalProperties": False,
}

ELECTRONICS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "voltage": {"type": "integer", "enum": [12, 230]},
        "warranty_months": {"type": "integer", "minimum": 0},
        "model": {"type": "string"},
    },
    "required": ["voltage"],
}


async def create_category(
    client: AsyncClient, actor: Actor, code: str, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/categories",
        json={"code": code, "name": code.title(), "attribute_schema": schema or {}},
        headers=actor.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_product(
    client: AsyncClient, actor: Actor, category: dict[str, Any], sku: str, **fields: Any
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "sku": sku,
        "name": fields.pop("name", f"Product {sku}"),
        "category_id": category["id"],
        "price": fields.pop("price", "10.00"),
        **fields,
    }
    if "attributes" not in payload and category["code"] == "furniture":
        payload["attributes"] = {"material": "oak", "width_cm": 50}
    if "attributes" not in payload and category["code"] == "electronics":
        payload["attributes"] = {"voltage": 230}
    response = await client.post("/api/v1/products", json=payload, headers=actor.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def furniture(client: AsyncClient, admin: Actor) -> dict[str, Any]:
    return await create_category(client, admin, "furniture", FURNITURE_SCHEMA)


@pytest.fixture
async def electronics(client: AsyncClient, admin: Actor) -> dict[str, Any]:
    return await create_category(client, admin, "electronics", ELECTRONICS_SCHEMA)
