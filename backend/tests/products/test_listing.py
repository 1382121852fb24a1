"""Listing products: filters, attribute filters on the GIN index, and keyset pagination."""

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.products.attributes import attribute_filters
from oms.products.repository import ProductFilter, filtered_products
from tests.actors import Actor
from tests.products.conftest import create_product

PRODUCTS = "/api/v1/products"


async def _skus(client: AsyncClient, actor: Actor, params: Any = None) -> list[str]:
    response = await client.get(PRODUCTS, params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    return [item["sku"] for item in response.json()["items"]]


@pytest.fixture
async def catalogue(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any], electronics: dict[str, Any]
) -> None:
    await create_product(
        client, admin, furniture, "CH-RED", name="Red chair", price="49.00",
        attributes={"material": "oak", "width_cm": 45, "color": "red", "foldable": True},
    )  # fmt: skip
    await create_product(
        client, admin, furniture, "CH-BLUE", name="Blue chair", price="59.50",
        attributes={"material": "steel", "width_cm": 45.5, "color": "blue", "foldable": False},
    )  # fmt: skip
    await create_product(
        client, admin, furniture, "TB-OAK", name="Oak table", price="450.00",
        attributes={"material": "oak", "width_cm": 180, "color": "red",
                    "dimensions": {"legs": 4}},
    )  # fmt: skip
    await create_product(
        client, admin, electronics, "EL-LAMP", name="Desk lamp 100%", price="19.99",
        attributes={"voltage": 230, "model": "2020"},
    )  # fmt: skip
    await create_product(
        client, admin, electronics, "el-radio", name="Car radio", price="89.00",
        attributes={"voltage": 12, "model": "R_1"},
    )  # fmt: skip
    archived = await create_product(client, admin, furniture, "CH-OLD", name="Old red chair")
    response = await client.delete(f"{PRODUCTS}/{archived['id']}", headers=admin.headers)
    assert response.status_code == 204


@pytest.mark.usefixtures("catalogue")
async def test_customers_list_active_products_ordered_by_sku(
    client: AsyncClient, customer: Actor
) -> None:
    assert await _skus(client, customer) == ["CH-BLUE", "CH-RED", "EL-LAMP", "el-radio", "TB-OAK"]


@pytest.mark.usefixtures("catalogue")
async def test_only_staff_see_and_filter_archived_products(
    client: AsyncClient, admin: Actor, customer: Actor
) -> None:
    assert "CH-OLD" in await _skus(client, admin)
    assert await _skus(client, admin, {"active": "false"}) == ["CH-OLD"]
    assert await _skus(client, customer, {"active": "false"}) == []
    assert "CH-OLD" not in await _skus(client, customer, {"active": "true"})
    assert "CH-OLD" not in await _skus(client, admin, {"active": "true"})


@pytest.mark.usefixtures("catalogue")
async def test_filter_by_category_id_or_code(
    client: AsyncClient, customer: Actor, electronics: dict[str, Any]
) -> None:
    by_code = await _skus(client, customer, {"category": "electronics"})
    by_id = await _skus(client, customer, {"category": electronics["id"]})

    assert by_code == by_id == ["EL-LAMP", "el-radio"]
    assert await _skus(client, customer, {"category": "no-such-category"}) == []


@pytest.mark.usefixtures("catalogue")
async def test_filter_by_price_range_is_inclusive_and_exact(
    client: AsyncClient, customer: Actor
) -> None:
    assert await _skus(client, customer, {"min_price": "49", "max_price": "59.50"}) == [
        "CH-BLUE",
        "CH-RED",
    ]
    assert await _skus(client, customer, {"max_price": "19.99"}) == ["EL-LAMP"]
    assert await _skus(client, customer, {"min_price": "450.01"}) == []
    bad = await client.get(PRODUCTS, params={"min_price": "1.234"}, headers=customer.headers)
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "min_price"


@pytest.mark.usefixtures("catalogue")
async def test_free_text_matches_sku_or_name_ignoring_case(
    client: AsyncClient, customer: Actor
) -> None:
    assert await _skus(client, customer, {"q": "chair"}) == ["CH-BLUE", "CH-RED"]
    assert await _skus(client, customer, {"q": "el-"}) == ["EL-LAMP", "el-radio"]
    # LIKE wildcards are matched literally.
    assert await _skus(client, customer, {"q": "100%"}) == ["EL-LAMP"]
    assert await _skus(client, customer, {"q": "_"}) == []


@pytest.mark.usefixtures("catalogue")
async def test_attribute_filters(client: AsyncClient, customer: Actor) -> None:
    assert await _skus(client, customer, {"attr.color": "red"}) == ["CH-RED", "TB-OAK"]
    assert await _skus(client, customer, {"attr.color": "red", "attr.material": "oak"}) == [
        "CH-RED",
        "TB-OAK",
    ]
    assert await _skus(client, customer, {"attr.color": "red", "attr.width_cm": "45"}) == ["CH-RED"]
    # Numbers compare as numbers, exactly.
    assert await _skus(client, customer, {"attr.width_cm": "45.50"}) == ["CH-BLUE"]
    assert await _skus(client, customer, {"attr.voltage": "230"}) == ["EL-LAMP"]
    # Booleans as booleans; a number-looking string attribute is still found.
    assert await _skus(client, customer, {"attr.foldable": "false"}) == ["CH-BLUE"]
    assert await _skus(client, customer, {"attr.model": "2020"}) == ["EL-LAMP"]
    # Repeated name: any of the values; dotted name: nested objects.
    assert await _skus(client, customer, [("attr.color", "blue"), ("attr.color", "red")]) == [
        "CH-BLUE",
        "CH-RED",
        "TB-OAK",
    ]
    assert await _skus(client, customer, {"attr.dimensions.legs": "4"}) == ["TB-OAK"]
    assert await _skus(client, customer, {"attr.color": "green"}) == []


async def test_a_malformed_attribute_filter_is_400(client: AsyncClient, customer: Actor) -> None:
    response = await client.get(PRODUCTS, params={"attr.co lor": "red"}, headers=customer.headers)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "attr.co lor"


async def _plan(engine: AsyncEngine, where: ProductFilter) -> list[str]:
    query = filtered_products(where).compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )
    async with engine.connect() as connection:
        # With a handful of rows a sequential scan is cheapest; forbid it to see the index.
        await connection.execute(text("SET enable_seqscan = off"))
        plan = (await connection.exec_driver_sql(f"EXPLAIN {query}")).scalars().all()
        await connection.execute(text("RESET enable_seqscan"))
    return list(plan)


async def test_an_attribute_filter_can_use_the_gin_index(engine: AsyncEngine) -> None:
    where = ProductFilter(attributes=attribute_filters([("attr.width_cm", "45")]))

    plan = await _plan(engine, where)

    assert any("ix_products_attributes" in line for line in plan), plan


async def test_free_text_can_use_the_trigram_indexes(engine: AsyncEngine) -> None:
    plan = await _plan(engine, ProductFilter(text="chair"))

    assert any("ix_products_name_trgm" in line for line in plan), plan
    assert any("ix_products_sku_trgm" in line for line in plan), plan


async def test_pages_have_no_duplicates_or_gaps_when_rows_arrive_between_pages(
    client: AsyncClient, admin: Actor, customer: Actor, furniture: dict[str, Any]
) -> None:
    originals = [f"P-{number:03d}" for number in range(0, 50, 2)]  # P-000, P-002, ... P-048
    for sku in originals:
        await create_product(client, admin, furniture, sku)

    seen: list[str] = []
    cursor: str | None = None
    for page_number in range(30):
        params: dict[str, Any] = {"limit": 4}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(PRODUCTS, params=params, headers=customer.headers)
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 4
        seen += [item["sku"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        # Rows land before and after the cursor while the client pages.
        await create_product(client, admin, furniture, f"P-{2 * page_number + 1:03d}")
        await create_product(client, admin, furniture, f"A-{page_number:03d}")

    assert cursor is None
    assert len(seen) == len(set(seen))
    assert set(originals) <= set(seen)
    assert seen == sorted(seen, key=str.lower)


@pytest.mark.usefixtures("catalogue")
async def test_the_last_page_has_no_cursor(client: AsyncClient, customer: Actor) -> None:
    exactly = await client.get(PRODUCTS, params={"limit": 5}, headers=customer.headers)
    more = await client.get(PRODUCTS, params={"limit": 4}, headers=customer.headers)

    assert len(exactly.json()["items"]) == 5
    assert exactly.json()["next_cursor"] is None
    assert more.json()["next_cursor"] is not None


@pytest.mark.parametrize(
    "cursor", ["not-base64!", "bm90IGpzb24", "W1sidSIsIngiXV0", "W1siaSIsMV1d", "W10"]
)
async def test_a_malformed_cursor_is_400(client: AsyncClient, customer: Actor, cursor: str) -> None:
    response = await client.get(PRODUCTS, params={"cursor": cursor}, headers=customer.headers)

    assert response.status_code == 400
    assert response.json()["type"] == "urn:oms:problem:invalid-cursor"


@pytest.mark.parametrize("limit", ["0", "101", "x"])
async def test_the_limit_is_1_to_100(client: AsyncClient, customer: Actor, limit: str) -> None:
    response = await client.get(PRODUCTS, params={"limit": limit}, headers=customer.headers)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"
