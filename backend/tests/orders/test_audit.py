"""Every order status change lands in the audit log: the order, from -> to, the note."""

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.audit_trail import TEST_CLIENT_ADDRESS, only, recorded
from tests.orders.conftest import ORDERS, Product, place


async def test_a_status_change_records_the_order_from_to_and_note(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    order = (await place(client, customer, [{"sku": "CHAIR-1", "quantity": 1}])).json()
    url = f"{ORDERS}/{order['id']}/status"

    moved = await client.patch(
        url, json={"status": "confirmed", "note": "paid"}, headers=manager.headers
    )

    assert moved.status_code == 200, moved.text
    entry = await only(engine, "order.status_changed")
    assert (entry["entity"], entry["entity_id"]) == ("order", order["id"])
    assert (entry["actor_id"], entry["address"]) == (manager.user.id, TEST_CLIENT_ADDRESS)
    assert entry["before"] == {"status": "new"}
    assert entry["after"] == {"status": "confirmed", "note": "paid", "number": order["number"]}


async def test_a_refused_status_change_records_nothing(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    order = (await place(client, customer, [{"sku": "CHAIR-1", "quantity": 1}])).json()
    url = f"{ORDERS}/{order['id']}/status"

    skipped = await client.patch(url, json={"status": "delivered"}, headers=manager.headers)
    stale = await client.patch(
        url, json={"status": "confirmed"}, headers={**manager.headers, "If-Match": '"7"'}
    )

    assert (skipped.status_code, stale.status_code) == (409, 412)
    assert await recorded(engine, "order.status_changed") == []
