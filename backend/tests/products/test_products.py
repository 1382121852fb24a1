"""Products over HTTP: who may do what, attribute validation, exact prices, SKUs, archiving."""

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.products.conftest import create_product

PRODUCTS = "/api/v1/products"


def _payload(category: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "sku": "CH-001",
        "name": "Chair",
        "category_id": category["id"],
        "price": "19.99",
        "attributes": {"material": "oak", "width_cm": 45},
        **fields,
    }


async def test_staff_create_a_product_and_customers_read_it(
    client: AsyncClient, manager: Actor, customer: Actor, furniture: dict[str, Any]
) -> None:
    response = await client.post(
        PRODUCTS,
        json=_payload(furniture, description="Solid oak", stock=7),
        headers=manager.headers,
    )

    assert response.status_code == 201
    product = response.json()
    assert response.headers["location"].endswith(f"{PRODUCTS}/{product['id']}")
    assert product["price"] == "19.99"
    assert product["currency"] == "EUR"
    assert product["stock"] == 7
    assert product["active"] is True
    assert product["attributes"] == {"material": "oak", "width_cm": 45}
    read = await client.get(f"{PRODUCTS}/{product['id']}", headers=customer.headers)
    assert read.status_code == 200
    assert read.json() == product


async def test_a_customer_cannot_create_change_or_archive_products(
    client: AsyncClient, admin: Actor, customer: Actor, furniture: dict[str, Any]
) -> None:
    product = await create_product(client, admin, furniture, "CH-1")
    url = f"{PRODUCTS}/{product['id']}"

    attempts = [
        await client.post(PRODUCTS, json=_payload(furniture), headers=customer.headers),
        await client.patch(url, json={"price": "0.01"}, headers=customer.headers),
        await client.delete(url, headers=customer.headers),
    ]

    assert [response.status_code for response in attempts] == [403, 403, 403]
    unchanged = (await client.get(url, headers=customer.headers)).json()
    assert unchanged["price"] == "10.00"
    assert unchanged["active"] is True


async def test_without_a_token_products_are_401(
    client: AsyncClient, furniture: dict[str, Any]
) -> None:
    assert (await client.get(PRODUCTS)).status_code == 401
    assert (await client.post(PRODUCTS, json=_payload(furniture))).status_code == 401


async def test_attributes_breaking_the_schema_are_a_400_naming_each_attribute(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    attributes = {"material": "plastic", "width_cm": "wide", "legs": 4}

    response = await client.post(
        PRODUCTS, json=_payload(furniture, attributes=attributes), headers=admin.headers
    )

    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "urn:oms:problem:invalid-attributes"
    fields = {error["field"]: error["message"] for error in problem["errors"]}
    assert set(fields) == {"attributes.material", "attributes.width_cm", "attributes.legs"}
    assert "plastic" in fields["attributes.material"]
    assert fields["attributes.legs"] == "is not allowed"
    assert "attributes.width_cm" in problem["detail"]
    listing = await client.get(PRODUCTS, headers=admin.headers)
    assert listing.json()["items"] == []


async def test_a_missing_required_attribute_is_named(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    response = await client.post(
        PRODUCTS, json=_payload(furniture, attributes={"material": "oak"}), headers=admin.headers
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "attributes.width_cm", "message": "is required"}]


async def test_changed_attributes_are_validated_against_the_category(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any], electronics: dict[str, Any]
) -> None:
    product = await create_product(client, admin, furniture, "CH-1")
    url = f"{PRODUCTS}/{product['id']}"

    bad_value = await client.patch(
        url, json={"attributes": {"material": "oak", "width_cm": -3}}, headers=admin.headers
    )
    # Moving to a category whose schema the current attributes do not satisfy.
    moved = await client.patch(url, json={"category_id": electronics["id"]}, headers=admin.headers)
    moved_with_attributes = await client.patch(
        url,
        json={"category_id": electronics["id"], "attributes": {"voltage": 12}},
        headers=admin.headers,
    )

    assert bad_value.status_code == 400
    assert bad_value.json()["errors"][0]["field"] == "attributes.width_cm"
    assert moved.status_code == 400
    assert moved.json()["errors"][0]["field"] == "attributes.voltage"
    assert moved_with_attributes.status_code == 200
    assert moved_with_attributes.json()["category_id"] == electronics["id"]


async def test_an_unknown_category_is_422(client: AsyncClient, admin: Actor) -> None:
    fake = {"id": "00000000-0000-4000-8000-000000000000"}

    response = await client.post(PRODUCTS, json=_payload(fake), headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category_id"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("0.10", "0.10"),
        ("0.1", "0.10"),
        ("20", "20.00"),
        (20, "20.00"),
        ("9999999999.99", "9999999999.99"),
    ],
)
async def test_prices_are_exact_decimals_written_as_strings(
    client: AsyncClient,
    admin: Actor,
    furniture: dict[str, Any],
    engine: AsyncEngine,
    sent: str | int,
    stored: str,
) -> None:
    product = await create_product(client, admin, furniture, "CH-1", price=sent)

    assert product["price"] == stored
    read = await client.get(f"{PRODUCTS}/{product['id']}", headers=admin.headers)
    assert read.json()["price"] == stored
    async with engine.connect() as connection:
        in_db = await connection.scalar(text("SELECT price FROM products WHERE sku = 'CH-1'"))
    assert in_db == Decimal(stored)


async def test_prices_add_up_exactly(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any], engine: AsyncEngine
) -> None:
    await create_product(client, admin, furniture, "A", price="0.10")
    await create_product(client, admin, furniture, "B", price="0.20")

    async with engine.connect() as connection:
        total = await connection.scalar(text("SELECT sum(price) FROM products"))
    listed = (await client.get(PRODUCTS, headers=admin.headers)).json()["items"]

    assert total == Decimal("0.30")
    assert sum(Decimal(item["price"]) for item in listed) == Decimal("0.30")


@pytest.mark.parametrize(
    "price",
    [19.99, 20.0, "19.999", "-1.00", "1e3", "abc", "12345678901.00", True, None, "١٢", " 1", "1 "],
)
async def test_floats_and_malformed_prices_are_refused(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any], price: object
) -> None:
    response = await client.post(
        PRODUCTS, json=_payload(furniture, price=price), headers=admin.headers
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "price"


@pytest.mark.parametrize(
    ("field", "value"),
    [("active", 0), ("active", "true"), ("stock", "3"), ("stock", True), ("stock", 3.0)],
)
async def test_booleans_and_counts_are_json_booleans_and_integers(
    client: AsyncClient,
    admin: Actor,
    engine: AsyncEngine,
    furniture: dict[str, Any],
    field: str,
    value: object,
) -> None:
    response = await client.post(
        PRODUCTS, json=_payload(furniture, **{field: value}), headers=admin.headers
    )

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM products")) == 0


async def test_a_zero_price_is_allowed(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    product = await create_product(client, admin, furniture, "FREE", price="0")

    assert product["price"] == "0.00"


async def test_skus_are_unique_ignoring_case(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    first = await create_product(client, admin, furniture, "CH-001")
    other = await create_product(client, admin, furniture, "CH-002")

    duplicate = await client.post(
        PRODUCTS, json=_payload(furniture, sku="ch-001"), headers=admin.headers
    )
    renamed_onto = await client.patch(
        f"{PRODUCTS}/{other['id']}", json={"sku": "Ch-001"}, headers=admin.headers
    )
    same_sku_other_case = await client.patch(
        f"{PRODUCTS}/{first['id']}", json={"sku": "ch-001"}, headers=admin.headers
    )

    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == "urn:oms:problem:sku-taken"
    assert renamed_onto.status_code == 409
    assert same_sku_other_case.status_code == 200
    assert same_sku_other_case.json()["sku"] == "ch-001"


async def test_stock_is_null_when_untracked_and_never_negative(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    product = await create_product(client, admin, furniture, "CH-1", stock=5)
    url = f"{PRODUCTS}/{product['id']}"

    negative = await client.patch(url, json={"stock": -1}, headers=admin.headers)
    untracked = await client.patch(url, json={"stock": None}, headers=admin.headers)

    assert negative.status_code == 400
    assert untracked.status_code == 200
    assert untracked.json()["stock"] is None


async def test_a_patch_changes_only_the_fields_sent(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    product = await create_product(client, admin, furniture, "CH-1", stock=5, description="Old")

    response = await client.patch(
        f"{PRODUCTS}/{product['id']}",
        json={"name": "New name", "price": "12.50"},
        headers=admin.headers,
    )

    assert response.status_code == 200
    changed = response.json()
    assert changed["name"] == "New name"
    assert changed["price"] == "12.50"
    assert {k: changed[k] for k in ("sku", "stock", "description", "attributes")} == {
        k: product[k] for k in ("sku", "stock", "description", "attributes")
    }


async def test_unknown_fields_are_refused(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    response = await client.post(
        PRODUCTS, json=_payload(furniture, currency="USD"), headers=admin.headers
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "currency"


async def test_archiving_hides_a_product_from_customers_but_not_staff(
    client: AsyncClient, admin: Actor, customer: Actor, furniture: dict[str, Any]
) -> None:
    product = await create_product(client, admin, furniture, "CH-1")
    url = f"{PRODUCTS}/{product['id']}"

    archived = await client.delete(url, headers=admin.headers)
    archived_again = await client.delete(url, headers=admin.headers)

    assert archived.status_code == 204
    assert archived_again.status_code == 204
    assert (await client.get(url, headers=customer.headers)).status_code == 404
    assert (await client.get(PRODUCTS, headers=customer.headers)).json()["items"] == []
    staff_view = await client.get(url, headers=admin.headers)
    assert staff_view.status_code == 200
    assert staff_view.json()["active"] is False

    restored = await client.patch(url, json={"active": True}, headers=admin.headers)
    assert restored.status_code == 200
    assert (await client.get(url, headers=customer.headers)).status_code == 200


async def test_an_unknown_product_is_404(client: AsyncClient, admin: Actor) -> None:
    missing = f"{PRODUCTS}/00000000-0000-4000-8000-000000000000"

    assert (await client.get(missing, headers=admin.headers)).status_code == 404
    assert (
        await client.patch(missing, json={"name": "X"}, headers=admin.headers)
    ).status_code == 404
    assert (await client.delete(missing, headers=admin.headers)).status_code == 404
    assert (await client.get(f"{PRODUCTS}/not-a-uuid", headers=admin.headers)).status_code == 400


async def test_concurrent_creates_of_one_sku_give_one_product_and_409s(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    # Half write the SKU in upper case: the unique index ignores case.
    skus = ["race-x" if i % 2 else "RACE-X" for i in range(10)]
    responses = await asyncio.gather(
        *(
            client.post(PRODUCTS, json=_payload(furniture, sku=sku), headers=admin.headers)
            for sku in skus
        )
    )

    codes = sorted(response.status_code for response in responses)
    assert codes == [201] + [409] * 9
    assert {r.json()["type"] for r in responses if r.status_code == 409} == {
        "urn:oms:problem:sku-taken"
    }
