"""Fixtures of the orders tests: the demo workflow, products to sell, and small helpers."""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.workflow.conftest import demo_workflow

__all__ = ["demo_workflow"]

ORDERS = "/api/v1/orders"
ADDRESS: dict[str, str] = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}


@dataclass(frozen=True)
class Product:
    id: uuid.UUID
    sku: str
    price: Decimal


class Catalogue:
    """Creates products through the catalogue's API, as an admin would."""

    def __init__(self, client: AsyncClient, admin: Actor) -> None:
        self.client = client
        self.admin = admin
        self.category_id: str | None = None

    async def product(
        self, sku: str, price: str, stock: int | None, *, active: bool = True
    ) -> Product:
        if self.category_id is None:
            created = await self.client.post(
                "/api/v1/categories",
                json={"code": "goods", "name": "Goods", "attribute_schema": {}},
                headers=self.admin.headers,
            )
            assert created.status_code == 201, created.text
            self.category_id = created.json()["id"]
        response = await self.client.post(
            "/api/v1/products",
            json={
                "sku": sku,
                "name": f"Product {sku}",
                "category_id": self.category_id,
                "price": price,
                "stock": stock,
                "active": active,
            },
            headers=self.admin.headers,
        )
        assert response.status_code == 201, response.text
        return Product(uuid.UUID(response.json()["id"]), sku, Decimal(price))


@pytest.fixture
async def catalogue(client: AsyncClient, admin: Actor) -> Catalogue:
    return Catalogue(client, admin)


@pytest.fixture
async def shop(demo_workflow: None, catalogue: Catalogue) -> tuple[Product, Product, Product]:
    """A chair (stock 5), a desk (stock 2) and a download (stock not tracked)."""
    return (
        await catalogue.product("CHAIR-1", "19.99", 5),
        await catalogue.product("DESK-1", "249.00", 2),
        await catalogue.product("EBOOK-1", "9.50", None),
    )


async def place(
    client: AsyncClient,
    actor: Actor,
    items: list[dict[str, Any]],
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = {"items": items, "shipping_address": ADDRESS, **extra}
    return await client.post(ORDERS, json=body, headers={**actor.headers, **(headers or {})})


async def stock_of(engine: AsyncEngine, product: Product) -> int | None:
    async with engine.connect() as connection:
        value = await connection.scalar(
            text("SELECT stock FROM products WHERE id = :id"), {"id": product.id}
        )
        return None if value is None else int(value)


async def count(engine: AsyncEngine, table: str, where: str = "true", **params: Any) -> int:
    async with engine.connect() as connection:
        value = await connection.scalar(
            text(f"SELECT count(*) FROM {table} WHERE {where}"),  # noqa: S608 - test-chosen names
            params,
        )
        return int(value or 0)


async def outbox(engine: AsyncEngine, event_type: str) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT order_id, data FROM outbox_events WHERE type = :t ORDER BY position"),
            {"t": event_type},
        )
        return [{"order_id": row.order_id, **row.data} for row in rows]


SNAPSHOT_ITEM_FIELDS = ("product_id", "sku", "name", "quantity", "unit_price", "line_total")


def assert_snapshot_of(snapshot: dict[str, Any], order: dict[str, Any]) -> None:
    """The event's order snapshot says what the API's order says."""
    assert snapshot["id"] == order["id"]
    assert snapshot["number"] == order["number"]
    assert snapshot["status"]["code"] == order["status"]
    assert snapshot["customer"]["id"] == order["customer_id"]
    assert snapshot["customer"]["email"] == order["customer_email"]
    assert snapshot["customer"]["name"] == order["customer_name"]
    assert snapshot["items"] == [
        {
            key: item[key]
            for key in ("product_id", "sku", "name", "quantity", "unit_price", "line_total")
        }
        for item in order["items"]
    ]
    assert snapshot["totals"] == {"items": order["total"], "total": order["total"]}
    assert snapshot["currency"] == order["currency"]
    assert snapshot["shipping_address"] == order["shipping_address"]
    assert snapshot["note"] == order["note"]
    assert snapshot["version"] == order["version"]
    assert snapshot["created_at"] == order["created_at"]
    assert snapshot["updated_at"] == order["updated_at"]
