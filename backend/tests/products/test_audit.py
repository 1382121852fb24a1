"""Catalogue changes land in the audit log: categories, products and stock corrections."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.audit_trail import TEST_CLIENT_ADDRESS, only, recorded
from tests.products.conftest import create_category, create_product

PRODUCTS = "/api/v1/products"
CATEGORIES = "/api/v1/categories"


async def test_a_category_created_changed_and_deleted_is_recorded(
    client: AsyncClient, manager: Actor, engine: AsyncEngine
) -> None:
    category = await create_category(client, manager, "lamps")
    url = f"{CATEGORIES}/{category['id']}"
    renamed = await client.patch(url, json={"name": "Lights"}, headers=manager.headers)
    deleted = await client.delete(url, headers=manager.headers)

    assert (renamed.status_code, deleted.status_code) == (200, 204)
    entry = await only(engine, "category.created")
    assert (entry["actor_id"], entry["address"]) == (manager.user.id, TEST_CLIENT_ADDRESS)
    assert entry["actor_roles"] == ["manager"]
    assert (entry["entity_id"], entry["after"]["code"]) == (category["id"], "lamps")
    update = await only(engine, "category.updated")
    assert (update["before"], update["after"]) == ({"name": "Lamps"}, {"name": "Lights"})
    assert (await only(engine, "category.deleted"))["before"]["code"] == "lamps"


async def test_a_category_still_in_use_is_not_deleted_and_nothing_is_recorded(
    client: AsyncClient, manager: Actor, engine: AsyncEngine, electronics: dict[str, Any]
) -> None:
    await create_product(client, manager, electronics, "KETTLE-1")

    refused = await client.delete(f"{CATEGORIES}/{electronics['id']}", headers=manager.headers)

    assert refused.status_code == 409
    assert await recorded(engine, "category.deleted") == []


async def test_product_changes_stock_corrections_and_archiving_are_told_apart(
    client: AsyncClient, manager: Actor, engine: AsyncEngine, electronics: dict[str, Any]
) -> None:
    product = await create_product(client, manager, electronics, "KETTLE-1", stock=5)
    url = f"{PRODUCTS}/{product['id']}"
    priced = await client.patch(url, json={"price": "12.50"}, headers=manager.headers)
    counted = await client.patch(url, json={"stock": 3}, headers=manager.headers)
    archived = await client.delete(url, headers=manager.headers)

    assert [r.status_code for r in (priced, counted, archived)] == [200, 200, 204]
    created = await only(engine, "product.created")
    assert created["after"]["sku"] == "KETTLE-1"
    assert (created["after"]["price"], created["after"]["stock"]) == ("10.00", 5)
    update = await only(engine, "product.updated")
    assert (update["before"], update["after"]) == ({"price": "10.00"}, {"price": "12.50"})
    stock = await only(engine, "product.stock_changed")
    assert (stock["before"], stock["after"]) == ({"stock": 5}, {"stock": 3})
    assert stock["entity_id"] == product["id"]
    archive = await only(engine, "product.archived")
    assert (archive["before"], archive["after"]) == ({"active": True}, {"active": False})


async def test_a_refused_product_change_records_nothing(
    client: AsyncClient, manager: Actor, engine: AsyncEngine, electronics: dict[str, Any]
) -> None:
    await create_product(client, manager, electronics, "KETTLE-1")
    other = await create_product(client, manager, electronics, "KETTLE-2")

    taken = await client.patch(
        f"{PRODUCTS}/{other['id']}", json={"sku": "kettle-1"}, headers=manager.headers
    )

    assert taken.status_code == 409
    assert await recorded(engine, "product.updated") == []


async def test_a_save_that_changes_nothing_records_nothing(
    client: AsyncClient, manager: Actor, engine: AsyncEngine, electronics: dict[str, Any]
) -> None:
    product = await create_product(client, manager, electronics, "KETTLE-1", price="10.00")

    same = await client.patch(
        f"{PRODUCTS}/{product['id']}", json={"price": "10.00"}, headers=manager.headers
    )

    assert same.status_code == 200
    assert await recorded(engine, "product.updated") == []
