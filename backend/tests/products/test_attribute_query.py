"""`GET /products?category=&attributes={...}`: attribute filters checked against the
category's schema, answered from the GIN index, and paged like any listing."""

import json
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.products.attributes import attribute_query
from oms.products.repository import ProductFilter, products_page_query
from tests.actors import Actor
from tests.products.conftest import FURNITURE_SCHEMA, create_category, create_product

PRODUCTS = "/api/v1/products"


async def _skus(client: AsyncClient, actor: Actor, filters: Any, **params: Any) -> list[str]:
    response = await client.get(
        PRODUCTS,
        params={"category": "furniture", "attributes": json.dumps(filters), **params},
        headers=actor.headers,
    )
    assert response.status_code == 200, response.text
    return [item["sku"] for item in response.json()["items"]]


async def _refusal(client: AsyncClient, actor: Actor, **params: str) -> dict[str, Any]:
    response = await client.get(PRODUCTS, params=params, headers=actor.headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == "urn:oms:problem:invalid-attribute-filter"
    return problem


@pytest.fixture
async def furniture_shop(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any], electronics: dict[str, Any]
) -> None:
    for sku, attributes in [
        ("CH-RED", {"material": "oak", "width_cm": 45, "color": "red", "foldable": True}),
        ("CH-BLUE", {"material": "steel", "width_cm": 45.5, "color": "blue", "foldable": False}),
        ("TB-OAK", {"material": "oak", "width_cm": 180, "color": "red"}),
        ("TB-WAL", {"material": "walnut", "width_cm": 90}),
    ]:
        await create_product(client, admin, furniture, sku, attributes=attributes)
    await create_product(client, admin, electronics, "EL-RED", attributes={"voltage": 230})


@pytest.mark.usefixtures("furniture_shop")
async def test_exact_values_any_of_and_ranges(client: AsyncClient, customer: Actor) -> None:
    assert await _skus(client, customer, {"color": "red"}) == ["CH-RED", "TB-OAK"]
    assert await _skus(client, customer, {"color": "red", "material": "oak"}) == [
        "CH-RED",
        "TB-OAK",
    ]
    assert await _skus(client, customer, {"material": ["steel", "walnut"]}) == [
        "CH-BLUE",
        "TB-WAL",
    ]
    assert await _skus(client, customer, {"foldable": False}) == ["CH-BLUE"]
    assert await _skus(client, customer, {"width_cm": 45.50}) == ["CH-BLUE"]
    assert await _skus(client, customer, {"width_cm": 45}) == ["CH-RED"]
    assert await _skus(client, customer, {"width_cm": {"min": 45.5, "max": 90}}) == [
        "CH-BLUE",
        "TB-WAL",
    ]
    assert await _skus(client, customer, {"width_cm": {"min": 100}}) == ["TB-OAK"]
    assert await _skus(client, customer, {"width_cm": {"max": 45}}) == ["CH-RED"]
    assert await _skus(client, customer, {"width_cm": {"min": 50}, "material": "oak"}) == ["TB-OAK"]
    assert await _skus(client, customer, {"color": "green"}) == []
    assert await _skus(client, customer, {}) == ["CH-BLUE", "CH-RED", "TB-OAK", "TB-WAL"]


@pytest.mark.usefixtures("furniture_shop")
async def test_keyset_paging_works_with_attribute_filters(
    client: AsyncClient, customer: Actor
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {
            "category": "furniture",
            "attributes": json.dumps({"width_cm": {"min": 40}}),
            "limit": 1,
        }
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(PRODUCTS, params=params, headers=customer.headers)).json()
        seen += [item["sku"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["CH-BLUE", "CH-RED", "TB-OAK", "TB-WAL"]


@pytest.mark.usefixtures("furniture_shop")
async def test_filters_the_schema_does_not_allow_are_400_naming_the_attribute(
    client: AsyncClient, customer: Actor
) -> None:
    cases = {
        "attributes.shade": {"shade": "red"},
        "attributes.width_cm": {"width_cm": "wide"},
        "attributes.color": {"color": {"min": 1}},
        "attributes.foldable": {"foldable": "yes"},
        "attributes.material": {"material": []},
        "attributes.dimensions": {"dimensions": {"legs": 4}},
    }
    for field, filters in cases.items():
        problem = await _refusal(
            client, customer, category="furniture", attributes=json.dumps(filters)
        )
        assert problem["errors"][0]["field"] == field, (filters, problem)
        assert problem["errors"][0]["in"] == "query"
    for bad_range in ({"min": "1"}, {"min": True}, {"low": 1}, {}):
        problem = await _refusal(
            client, customer, category="furniture", attributes=json.dumps({"width_cm": bad_range})
        )
        assert problem["errors"][0]["field"] == "attributes.width_cm", bad_range

    for malformed in ("{", "[1]", '"red"', '{"width_cm": NaN}', "{" * 600):
        problem = await _refusal(client, customer, category="furniture", attributes=malformed)
        assert problem["errors"][0]["field"] == "attributes", malformed

    without_category = await _refusal(client, customer, attributes='{"color": "red"}')
    assert "category" in without_category["errors"][0]["message"]

    unknown = await client.get(
        PRODUCTS,
        params={"category": "no-such", "attributes": '{"color": "red"}'},
        headers=customer.headers,
    )
    assert unknown.json() == {"items": [], "next_cursor": None}


def test_values_become_exact_containment_documents() -> None:
    query = attribute_query(
        '{"width_cm": 80.50, "material": ["oak", "pine"], "height_cm": {"min": 1e1}}',
        FURNITURE_SCHEMA,
    )
    assert query.groups == [['{"width_cm":80.50}'], ['{"material":"oak"}', '{"material":"pine"}']]
    assert [(r.name, str(r.min), r.max) for r in query.ranges] == [("height_cm", "1E+1", None)]


async def test_an_equality_filter_is_answered_from_the_gin_index(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    """A few thousand products of one category: the plan of the listing's own query, with
    no planner setting forced, reads the attributes index for a rare value."""
    category = await create_category(client, admin, "bulk", FURNITURE_SCHEMA)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO products (sku, name, category_id, price, stock, attributes) "
                "SELECT 'BULK-' || n, 'Bulk ' || n, :category, 10, NULL, jsonb_build_object("
                "'material', (ARRAY['oak', 'walnut', 'steel'])[n % 3 + 1], "
                "'width_cm', n % 200 + 1, 'color', 'shade-' || (n % 500)) "
                "FROM generate_series(1, 4000) AS n"
            ),
            {"category": category["id"]},
        )
        await connection.execute(text("ANALYZE products"))
    filters = attribute_query('{"color": "shade-7"}', FURNITURE_SCHEMA)
    where = ProductFilter(category_id=category["id"], attributes=filters.groups)
    query = products_page_query(where, after_sku=None, limit=20).compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )

    async with engine.connect() as connection:
        plan = (await connection.exec_driver_sql(f"EXPLAIN {query}")).scalars().all()

    assert any("Bitmap Index Scan on ix_products_attributes" in line for line in plan), plan
    page = await client.get(
        PRODUCTS,
        params={"category": "bulk", "attributes": '{"color": "shade-7"}', "limit": 100},
        headers=admin.headers,
    )
    assert len(page.json()["items"]) == 8
