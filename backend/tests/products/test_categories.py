"""Categories over HTTP: permissions, schema validation, and the guards that keep products valid."""

import asyncio
from typing import Any

from httpx import AsyncClient

from tests.actors import Actor
from tests.products.conftest import FURNITURE_SCHEMA, create_category, create_product

CATEGORIES = "/api/v1/categories"


async def test_staff_create_a_category_and_everyone_signed_in_reads_it(
    client: AsyncClient, manager: Actor, customer: Actor
) -> None:
    response = await client.post(
        CATEGORIES,
        json={"code": "chairs", "name": "Chairs", "attribute_schema": FURNITURE_SCHEMA},
        headers=manager.headers,
    )

    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"].endswith(f"{CATEGORIES}/{created['id']}")
    assert created["code"] == "chairs"
    assert created["attribute_schema"] == FURNITURE_SCHEMA
    read = await client.get(f"{CATEGORIES}/{created['id']}", headers=customer.headers)
    assert read.status_code == 200
    assert read.json() == created


async def test_a_customer_cannot_write_categories(
    client: AsyncClient, customer: Actor, furniture: dict[str, Any]
) -> None:
    url = f"{CATEGORIES}/{furniture['id']}"
    attempts = [
        await client.post(CATEGORIES, json={"code": "x", "name": "X"}, headers=customer.headers),
        await client.patch(url, json={"name": "Mine"}, headers=customer.headers),
        await client.delete(url, headers=customer.headers),
    ]

    assert [response.status_code for response in attempts] == [403, 403, 403]
    assert (await client.get(url, headers=customer.headers)).json()["name"] == "Furniture"


async def test_without_a_token_categories_are_401(client: AsyncClient) -> None:
    assert (await client.get(CATEGORIES)).status_code == 401
    assert (await client.post(CATEGORIES, json={"code": "x", "name": "X"})).status_code == 401


async def test_an_invalid_json_schema_is_a_400_naming_the_problem(
    client: AsyncClient, admin: Actor
) -> None:
    schema = {"type": "object", "properties": {"width_cm": {"type": "nummber"}}}

    response = await client.post(
        CATEGORIES,
        json={"code": "broken", "name": "Broken", "attribute_schema": schema},
        headers=admin.headers,
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:oms:problem:invalid-attribute-schema"
    assert problem["errors"][0]["field"] == "attribute_schema.properties.width_cm.type"
    assert "nummber" in problem["detail"]
    assert (await client.get(CATEGORIES, headers=admin.headers)).json()["items"] == []


async def test_a_schema_with_an_unloadable_reference_is_refused(
    client: AsyncClient, admin: Actor
) -> None:
    schema = {"$ref": "https://example.test/schemas/chair.json"}

    response = await client.post(
        CATEGORIES,
        json={"code": "remote", "name": "Remote", "attribute_schema": schema},
        headers=admin.headers,
    )

    assert response.status_code == 400
    assert response.json()["type"] == "urn:oms:problem:invalid-attribute-schema"


async def test_another_dialect_is_refused(client: AsyncClient, admin: Actor) -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}

    response = await client.post(
        CATEGORIES,
        json={"code": "old", "name": "Old", "attribute_schema": schema},
        headers=admin.headers,
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "attribute_schema.$schema"


async def test_codes_are_unique_and_slug_like(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    taken = await client.post(
        CATEGORIES, json={"code": "furniture", "name": "Again"}, headers=admin.headers
    )
    badly_formed = await client.post(
        CATEGORIES, json={"code": "Big Chairs", "name": "Chairs"}, headers=admin.headers
    )

    assert taken.status_code == 409
    assert taken.json()["type"] == "urn:oms:problem:category-code-taken"
    assert badly_formed.status_code == 400
    assert badly_formed.json()["errors"][0]["field"] == "code"


async def test_listing_pages_through_categories_by_code(client: AsyncClient, admin: Actor) -> None:
    for code in ["delta", "alpha", "charlie", "bravo", "echo"]:
        await create_category(client, admin, code)

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(CATEGORIES, params=params, headers=admin.headers)).json()
        seen += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == ["alpha", "bravo", "charlie", "delta", "echo"]


async def test_a_category_in_use_cannot_be_deleted(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(client, admin, furniture, "CH-1")

    response = await client.delete(f"{CATEGORIES}/{furniture['id']}", headers=admin.headers)

    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:category-in-use"
    assert response.json()["products"] == 1


async def test_an_unused_category_is_deleted(client: AsyncClient, admin: Actor) -> None:
    category = await create_category(client, admin, "spare")

    deleted = await client.delete(f"{CATEGORIES}/{category['id']}", headers=admin.headers)

    assert deleted.status_code == 204
    again = await client.get(f"{CATEGORIES}/{category['id']}", headers=admin.headers)
    assert again.status_code == 404


async def test_the_code_is_fixed_once_products_use_the_category(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    spare = await create_category(client, admin, "spare")
    renamed = await client.patch(
        f"{CATEGORIES}/{spare['id']}", json={"code": "extra"}, headers=admin.headers
    )
    await create_product(client, admin, furniture, "CH-1")

    refused = await client.patch(
        f"{CATEGORIES}/{furniture['id']}", json={"code": "seating"}, headers=admin.headers
    )
    name_change = await client.patch(
        f"{CATEGORIES}/{furniture['id']}", json={"name": "Seating"}, headers=admin.headers
    )

    assert renamed.status_code == 200
    assert renamed.json()["code"] == "extra"
    assert refused.status_code == 409
    assert name_change.status_code == 200
    assert name_change.json()["code"] == "furniture"
    assert name_change.json()["name"] == "Seating"


async def test_a_schema_change_that_existing_products_break_is_409_naming_them(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(
        client, admin, furniture, "CH-STEEL", attributes={"material": "steel", "width_cm": 40}
    )
    await create_product(
        client, admin, furniture, "CH-OAK", attributes={"material": "oak", "width_cm": 40}
    )
    stricter = {
        **FURNITURE_SCHEMA,
        "properties": {**FURNITURE_SCHEMA["properties"], "material": {"enum": ["oak"]}},
    }

    response = await client.patch(
        f"{CATEGORIES}/{furniture['id']}",
        json={"attribute_schema": stricter},
        headers=admin.headers,
    )

    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "urn:oms:problem:schema-breaks-products"
    assert problem["total"] == 1
    assert [item["sku"] for item in problem["products"]] == ["CH-STEEL"]
    assert problem["products"][0]["errors"][0]["field"] == "attributes.material"
    current = await client.get(f"{CATEGORIES}/{furniture['id']}", headers=admin.headers)
    assert current.json()["attribute_schema"] == FURNITURE_SCHEMA


async def test_a_schema_change_all_products_satisfy_is_applied(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(client, admin, furniture, "CH-OAK")
    looser = {**FURNITURE_SCHEMA, "required": ["material"]}

    response = await client.patch(
        f"{CATEGORIES}/{furniture['id']}", json={"attribute_schema": looser}, headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["attribute_schema"]["required"] == ["material"]


async def test_null_for_a_required_field_is_refused(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    response = await client.patch(
        f"{CATEGORIES}/{furniture['id']}", json={"name": None}, headers=admin.headers
    )

    assert response.status_code == 400


async def test_an_unknown_category_is_404(client: AsyncClient, admin: Actor) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    assert (await client.get(f"{CATEGORIES}/{missing}", headers=admin.headers)).status_code == 404
    patched = await client.patch(
        f"{CATEGORIES}/{missing}", json={"name": "X"}, headers=admin.headers
    )
    assert patched.status_code == 404
    assert (
        await client.delete(f"{CATEGORIES}/{missing}", headers=admin.headers)
    ).status_code == 404


async def test_concurrent_creates_of_one_code_give_one_category_and_409s(
    client: AsyncClient, admin: Actor
) -> None:
    responses = await asyncio.gather(
        *(
            client.post(CATEGORIES, json={"code": "lamps", "name": "Lamps"}, headers=admin.headers)
            for _ in range(8)
        )
    )

    assert sorted(response.status_code for response in responses) == [201] + [409] * 7
