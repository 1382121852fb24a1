"""The orders module's ids for the no-leak walk: another customer's order, staff's note on it,
another customer's saved address."""

from typing import Any

from httpx import ASGITransport, AsyncClient

from oms.workflow.demo import seed_demo_workflow
from tests.leak_registry import LeakWorld, owned, sample_body, victim_data

_ORDERS: dict[int, dict[str, Any]] = {}


async def _victims_order(world: LeakWorld) -> dict[str, Any]:
    """One order of the other customer per world, placed through the API."""
    if id(world) in _ORDERS:
        return _ORDERS[id(world)]
    async with world.app.state.sessions() as session, session.begin():
        await seed_demo_workflow(session)
    transport = ASGITransport(app=world.app)
    async with AsyncClient(transport=transport, base_url="http://leaks") as client:
        category = await client.post(
            "/api/v1/categories",
            json={"code": "leak-goods", "name": "Leak goods", "attribute_schema": {}},
            headers=world.staff.headers,
        )
        assert category.status_code == 201, category.text
        product = await client.post(
            "/api/v1/products",
            json={
                "sku": "LEAK-1",
                "name": "Leak lamp",
                "category_id": category.json()["id"],
                "price": "12.34",
                "stock": 10,
            },
            headers=world.staff.headers,
        )
        assert product.status_code == 201, product.text
        placed = await client.post(
            "/api/v1/orders",
            json={
                "items": [{"sku": "LEAK-1", "quantity": 1}],
                "shipping_address": {
                    "name": "Vera's Secret Address",
                    "line1": "7 Hidden Lane",
                    "city": "Nowhere",
                    "postal_code": "99999",
                    "country": "NO",
                },
                "note": "victim's private note",
            },
            headers=world.victim.headers,
        )
        assert placed.status_code == 201, placed.text
    order: dict[str, Any] = placed.json()
    world.remember(
        order["number"], "Vera's Secret Address", "7 Hidden Lane", "victim's private note"
    )
    _ORDERS[id(world)] = order
    return order


@victim_data
async def other_customers_orders(world: LeakWorld) -> None:
    await _victims_order(world)


@owned("order_id", prefix="/api/v1/orders")
async def other_customers_order(world: LeakWorld) -> str:
    return str((await _victims_order(world))["id"])


sample_body("PATCH", "/api/v1/orders/{order_id}/status", {"status": "cancelled"})


@owned("note_id", prefix="/api/v1/orders")
async def staffs_note_on_other_customers_order(world: LeakWorld) -> str:
    """A note staff wrote on the other customer's order: no customer may read it, not even
    the order's own customer."""
    order = await _victims_order(world)
    transport = ASGITransport(app=world.app)
    async with AsyncClient(transport=transport, base_url="http://leaks") as client:
        noted = await client.post(
            f"/api/v1/orders/{order['id']}/notes",
            json={"text": "staff only: refund pending"},
            headers=world.staff.headers,
        )
    assert noted.status_code == 201, noted.text
    world.remember("staff only: refund pending")
    return str(noted.json()["id"])


sample_body("POST", "/api/v1/orders/{order_id}/notes", {"text": "a customer's try"})


@owned("address_id", prefix="/api/v1/me/addresses")
async def other_customers_address(world: LeakWorld) -> str:
    transport = ASGITransport(app=world.app)
    async with AsyncClient(transport=transport, base_url="http://leaks") as client:
        saved = await client.post(
            "/api/v1/me/addresses",
            json={
                "label": "Vera's hideout",
                "name": "Vera Q. Victim",
                "line1": "13 Secret Mews",
                "city": "Nowhere",
                "postal_code": "99999",
                "country": "NO",
            },
            headers=world.victim.headers,
        )
    assert saved.status_code == 201, saved.text
    world.remember("Vera's hideout", "13 Secret Mews")
    return str(saved.json()["id"])


sample_body("PATCH", "/api/v1/me/addresses/{address_id}", {"city": "Elsewhere"})


@owned("customer_id", prefix="/api/v1/customers")
async def other_customer_as_staff_see_them(world: LeakWorld) -> str:
    return str(world.victim.user.id)
