"""Every price is in the shop's currency: the branding's, read when the order is placed."""

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.orders.conftest import Product, outbox, place


async def test_an_order_takes_the_currency_the_branding_has_now(
    client: AsyncClient,
    admin: Actor,
    customer: Actor,
    shop: tuple[Product, Product, Product],
    engine: AsyncEngine,
) -> None:
    chair = shop[0]
    first = await place(client, customer, [{"product_id": str(chair.id), "quantity": 1}])
    assert first.json()["currency"] == "EUR"

    current = await client.get("/api/v1/branding")
    body = {**current.json(), "currency": "CHF"}
    for read_only in ("logo_url", "favicon_url", "version", "updated_at"):
        del body[read_only]
    changed = await client.put(
        "/api/v1/branding",
        json=body,
        headers={**admin.headers, "If-Match": current.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text

    second = await place(client, customer, [{"product_id": str(chair.id), "quantity": 1}])
    assert second.status_code == 201, second.text
    assert second.json()["currency"] == "CHF"
    product = await client.get(f"/api/v1/products/{chair.id}", headers=customer.headers)
    assert product.json()["currency"] == "CHF"
    events = await outbox(engine, "order.created")
    assert [event["order"]["currency"] for event in events] == ["EUR", "CHF"]
    assert (
        await client.get(f"/api/v1/orders/{first.json()['id']}", headers=customer.headers)
    ).json()["currency"] == "EUR"
