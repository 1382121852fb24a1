"""`POST /categories/{id}/schema-check`: which products a proposed attribute schema would
refuse, without changing anything."""

import copy
import time
import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.products.conftest import FURNITURE_SCHEMA, create_category, create_product

CATEGORIES = "/api/v1/categories"


def check_url(category: dict[str, Any]) -> str:
    return f"{CATEGORIES}/{category['id']}/schema-check"


def needing_seat_height() -> dict[str, Any]:
    schema = copy.deepcopy(FURNITURE_SCHEMA)
    schema["properties"]["seat_cm"] = {"type": "number"}
    schema["required"] = [*schema["required"], "seat_cm"]
    return schema


async def seed_products(engine: AsyncEngine, category_id: str, count: int, attributes: str) -> None:
    """`count` products straight into the table: the schema check reads them as they are."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO products (sku, name, category_id, price, attributes)"
                " SELECT 'SEED-' || lpad(n::text, 6, '0'), 'Seeded ' || n, :category, 1,"
                " CAST(:attributes AS jsonb) FROM generate_series(1, :count) AS n"
            ),
            {"category": category_id, "attributes": attributes, "count": count},
        )


async def test_the_products_a_schema_would_refuse_are_listed_with_their_errors(
    client: AsyncClient, manager: Actor, furniture: dict[str, Any]
) -> None:
    fits = await create_product(
        client, manager, furniture, "CH-2", attributes={"material": "oak", "width_cm": 5}
    )
    await create_product(
        client,
        manager,
        furniture,
        "CH-1",
        name="Chair",
        attributes={"material": "oak", "width_cm": 5, "color": "red"},
    )
    schema = needing_seat_height()
    schema["properties"]["color"] = {"enum": ["blue"]}
    del schema["required"][-1]

    response = await client.post(
        check_url(furniture), json={"attribute_schema": schema}, headers=manager.headers
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["valid_schema"], body["schema_errors"]) == (True, [])
    assert (body["checked"], body["broken_count"]) == (2, 1)
    [broken] = body["broken"]
    assert (broken["sku"], broken["name"]) == ("CH-1", "Chair")
    assert broken["product_id"] != fits["id"]
    assert [error["path"] for error in broken["errors"]] == ["attributes.color"]


async def test_nothing_changes_when_a_schema_is_checked(
    client: AsyncClient, manager: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(client, manager, furniture, "CH-1")

    checked = await client.post(
        check_url(furniture),
        json={"attribute_schema": needing_seat_height()},
        headers=manager.headers,
    )
    after = await client.get(f"{CATEGORIES}/{furniture['id']}", headers=manager.headers)

    assert checked.json()["broken_count"] == 1
    assert after.json()["attribute_schema"] == furniture["attribute_schema"]


async def test_the_check_agrees_with_what_the_update_would_answer(
    client: AsyncClient, manager: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(client, manager, furniture, "CH-1")
    await create_product(client, manager, furniture, "CH-2")
    schema = needing_seat_height()

    checked = await client.post(
        check_url(furniture), json={"attribute_schema": schema}, headers=manager.headers
    )
    refused = await client.patch(
        f"{CATEGORIES}/{furniture['id']}",
        json={"attribute_schema": schema},
        headers=manager.headers,
    )

    assert refused.status_code == 409
    assert checked.json()["broken_count"] == refused.json()["total"] == 2
    assert [p["sku"] for p in checked.json()["broken"]] == [
        p["sku"] for p in refused.json()["products"]
    ]
    assert [p["errors"] for p in refused.json()["products"]] == [
        [{"field": e["path"], "message": e["message"]} for e in p["errors"]]
        for p in checked.json()["broken"]
    ]


async def test_a_schema_every_product_fits_breaks_none(
    client: AsyncClient, manager: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(client, manager, furniture, "CH-1")
    empty = await create_category(client, manager, "empty")

    fits = await client.post(
        check_url(furniture), json={"attribute_schema": {"type": "object"}}, headers=manager.headers
    )
    nothing = await client.post(
        check_url(empty), json={"attribute_schema": FURNITURE_SCHEMA}, headers=manager.headers
    )

    assert (fits.json()["checked"], fits.json()["broken_count"], fits.json()["broken"]) == (
        1,
        0,
        [],
    )
    assert (nothing.json()["checked"], nothing.json()["broken_count"]) == (0, 0)


async def test_a_schema_the_update_would_refuse_is_reported_in_the_body(
    client: AsyncClient, manager: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(client, manager, furniture, "CH-1")
    unusable = {
        "not a json schema": {"type": "object", "properties": {"width_cm": {"type": "wide"}}},
        "another dialect": {"$schema": "http://json-schema.org/draft-04/schema#"},
        "unresolvable reference": {"$ref": "https://example.com/schema.json"},
        "too large": {"description": "x" * 70_000},
    }
    for name, schema in unusable.items():
        checked = await client.post(
            check_url(furniture), json={"attribute_schema": schema}, headers=manager.headers
        )
        update = await client.patch(
            f"{CATEGORIES}/{furniture['id']}",
            json={"attribute_schema": schema},
            headers=manager.headers,
        )

        assert checked.status_code == 200, (name, checked.text)
        body = checked.json()
        assert body["valid_schema"] is False, name
        assert (body["checked"], body["broken_count"], body["broken"]) == (0, 0, []), name
        assert update.status_code == 400, name
        assert body["schema_errors"] == [
            {"field": e["field"], "message": e["message"]} for e in update.json()["errors"]
        ], name


async def test_a_reference_loop_a_product_reaches_makes_the_schema_unusable(
    client: AsyncClient, manager: Actor, engine: AsyncEngine
) -> None:
    category = await create_category(client, manager, "loops")
    await seed_products(engine, category["id"], 1, '{"x": "loop"}')
    # No trial value the schema is checked with is "loop": only the product reaches the cycle.
    schema = {"properties": {"x": {"if": {"const": "loop"}, "then": {"$ref": "#/properties/x"}}}}

    checked = await client.post(
        check_url(category), json={"attribute_schema": schema}, headers=manager.headers
    )
    update = await client.patch(
        f"{CATEGORIES}/{category['id']}", json={"attribute_schema": schema}, headers=manager.headers
    )

    assert checked.status_code == 200, checked.text
    assert checked.json()["valid_schema"] is False
    [error] = checked.json()["schema_errors"]
    assert error["field"] == "attribute_schema"
    assert "cannot be applied" in error["message"]
    assert update.status_code == 422


async def test_at_most_a_hundred_are_listed_and_all_are_counted(
    client: AsyncClient, manager: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    await seed_products(engine, furniture["id"], 150, '{"material": "oak", "width_cm": 1}')

    checked = await client.post(
        check_url(furniture),
        json={"attribute_schema": needing_seat_height()},
        headers=manager.headers,
    )

    body = checked.json()
    assert (body["checked"], body["broken_count"], len(body["broken"])) == (150, 150, 100)
    assert [p["sku"] for p in body["broken"]] == [f"SEED-{n:06}" for n in range(1, 101)]


async def test_ten_thousand_products_are_checked_in_one_request(
    client: AsyncClient, manager: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    await seed_products(engine, furniture["id"], 10_000, '{"material": "oak", "width_cm": 1}')
    schema = needing_seat_height()

    started = time.perf_counter()
    checked = await client.post(
        check_url(furniture), json={"attribute_schema": schema}, headers=manager.headers
    )
    elapsed = time.perf_counter() - started

    body = checked.json()
    assert (body["checked"], body["broken_count"], len(body["broken"])) == (10_000, 10_000, 100)
    print(f"schema check of 10,000 products: {elapsed:.2f} s")


async def test_an_unknown_category_is_404(client: AsyncClient, manager: Actor) -> None:
    response = await client.post(
        f"{CATEGORIES}/{uuid.uuid4()}/schema-check",
        json={"attribute_schema": {}},
        headers=manager.headers,
    )

    assert response.status_code == 404
    assert response.json()["type"] == "urn:oms:problem:category-not-found"


async def test_a_body_that_is_not_a_schema_request_is_400(
    client: AsyncClient, manager: Actor, furniture: dict[str, Any]
) -> None:
    bodies: list[object] = [{}, {"attribute_schema": []}, {"attribute_schema": {}, "x": 1}, []]
    for body in bodies:
        response = await client.post(check_url(furniture), json=body, headers=manager.headers)

        assert response.status_code == 400, (body, response.text)
        assert response.json()["type"] == "urn:oms:problem:validation"


async def test_only_staff_who_may_write_the_catalogue_check_schemas(
    client: AsyncClient, customer: Actor, furniture: dict[str, Any]
) -> None:
    refused = await client.post(
        check_url(furniture), json={"attribute_schema": {}}, headers=customer.headers
    )
    anonymous = await client.post(check_url(furniture), json={"attribute_schema": {}})

    assert refused.status_code == 403
    assert refused.json()["permission"] == "catalogue:write"
    assert anonymous.status_code == 401
