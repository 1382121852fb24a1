"""Creating catalogue entries honours `Idempotency-Key` like every creating POST."""

from httpx import AsyncClient

from tests.actors import Actor
from tests.products.conftest import create_category


async def test_a_retried_product_creation_returns_the_stored_product(
    client: AsyncClient, manager: Actor
) -> None:
    category = await create_category(client, manager, "lamps")
    body = {"sku": "LAMP-1", "name": "Desk lamp", "category_id": category["id"], "price": "25.00"}
    headers = {**manager.headers, "Idempotency-Key": "lamp-create-1"}

    first = await client.post("/api/v1/products", json=body, headers=headers)
    retry = await client.post("/api/v1/products", json=body, headers=headers)
    listing = await client.get("/api/v1/products", params={"q": "LAMP"}, headers=manager.headers)

    assert first.status_code == 201
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["location"] == first.headers["location"]
    assert [item["sku"] for item in listing.json()["items"]] == ["LAMP-1"]


async def test_the_same_key_with_another_body_is_422_and_creates_nothing(
    client: AsyncClient, manager: Actor
) -> None:
    headers = {**manager.headers, "Idempotency-Key": "category-1"}
    first = await client.post(
        "/api/v1/categories", json={"code": "garden", "name": "Garden"}, headers=headers
    )
    other = await client.post(
        "/api/v1/categories", json={"code": "kitchen", "name": "Kitchen"}, headers=headers
    )
    listing = await client.get("/api/v1/categories", headers=manager.headers)

    assert first.status_code == 201
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert [item["code"] for item in listing.json()["items"]] == ["garden"]
