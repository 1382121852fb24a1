"""PATCH /api/v1/orders/{id}/status and GET /api/v1/orders/{id}/transitions."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.orders.conftest import ORDERS, Product, assert_snapshot_of, outbox, place, stock_of

STATUSES = "/api/v1/workflow/statuses"


async def _order(client: AsyncClient, actor: Actor, **item: Any) -> dict[str, Any]:
    response = await place(client, actor, [item or {"sku": "CHAIR-1", "quantity": 2}])
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def _move(
    client: AsyncClient, actor: Actor, order: dict[str, Any], status: str, **extra: Any
) -> Any:
    headers = {**actor.headers, **extra.pop("headers", {})}
    return await client.patch(
        f"{ORDERS}/{order['id']}/status", json={"status": status, **extra}, headers=headers
    )


async def test_staff_move_an_order_along_the_workflow(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer)
    response = await _move(client, manager, order, "confirmed", note="paid")

    assert response.status_code == 200, response.text
    moved = response.json()
    assert response.headers["etag"] == '"1"'
    assert moved["status"] == "confirmed"
    assert moved["version"] == 1
    assert [entry["status"] for entry in moved["status_history"]] == ["new", "confirmed"]
    latest = moved["status_history"][-1]
    assert latest["actor"] == {"id": str(manager.user.id), "email": manager.user.email}
    assert latest["note"] == "paid"

    [event] = await outbox(engine, "order.status_changed")
    assert str(event["order_id"]) == order["id"]
    assert event["previous_status"] == {"code": "new", "name": "New"}
    assert event["order"]["status"] == {"code": "confirmed", "name": "Confirmed"}
    assert event["actor"] == latest["actor"]
    assert event["note"] == "paid"
    # The order as the API shows it after the change, as in order.created.
    assert_snapshot_of(event["order"], moved)

    for status in ("processing", "shipped", "delivered"):
        assert (await _move(client, manager, order, status)).status_code == 200
    fetched = await client.get(f"{ORDERS}/{order['id']}", headers=customer.headers)
    assert fetched.json()["version"] == 4
    assert fetched.headers["etag"] == '"4"'


async def test_a_refused_move_is_409_naming_the_allowed_targets(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer)
    response = await _move(client, manager, order, "shipped")

    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "urn:oms:problem:transition-not-allowed"
    assert problem["allowed_targets"] == ["confirmed", "cancelled"]
    assert problem["current_status"] == "new"
    unknown = await _move(client, manager, order, "teleported")
    assert unknown.status_code == 409
    after = (await client.get(f"{ORDERS}/{order['id']}", headers=manager.headers)).json()
    assert after["version"] == 0
    assert await outbox(engine, "order.status_changed") == []


async def test_a_customer_may_cancel_a_new_order_and_gets_stock_back(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    chair = shop[0]
    order = await _order(client, customer)
    assert await stock_of(engine, chair) == 3

    response = await _move(client, customer, order, "cancelled")
    assert response.status_code == 200
    assert await stock_of(engine, chair) == 5
    # Terminal: nothing leaves it, and stock is not given back twice.
    again = await _move(client, customer, order, "cancelled")
    assert again.status_code == 409
    assert again.json()["allowed_targets"] == []
    assert await stock_of(engine, chair) == 5


async def test_customer_cannot_cancel_a_confirmed_order(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer)
    await _move(client, manager, order, "confirmed")
    response = await _move(client, customer, order, "cancelled")

    assert response.status_code == 409
    assert response.json()["allowed_targets"] == []
    assert await stock_of(engine, shop[0]) == 3
    staff = await _move(client, manager, order, "cancelled")
    assert staff.status_code == 200
    assert await stock_of(engine, shop[0]) == 5


async def test_a_return_gives_stock_back(
    client: AsyncClient,
    customer: Actor,
    admin: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer, sku="DESK-1", quantity=2)
    for status in ("confirmed", "processing", "shipped", "delivered"):
        await _move(client, admin, order, status)
    assert await stock_of(engine, shop[1]) == 0
    assert (await _move(client, admin, order, "returned")).status_code == 200
    assert await stock_of(engine, shop[1]) == 2


async def test_leaving_a_stock_releasing_status_takes_the_stock_again(
    client: AsyncClient,
    customer: Actor,
    admin: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    # A deployment whose workflow lets staff put an order on hold (stock back) and resume it.
    await client.post(
        STATUSES,
        json={"code": "on_hold", "name": "On hold", "releases_stock": True},
        headers=admin.headers,
    )
    for source, target in (("new", "on_hold"), ("on_hold", "new")):
        created = await client.post(
            "/api/v1/workflow/transitions",
            json={"from_status": source, "to_status": target, "roles": ["admin"]},
            headers=admin.headers,
        )
        assert created.status_code == 201
    order = await _order(client, customer, sku="CHAIR-1", quantity=4)
    other = await _order(client, customer, sku="CHAIR-1", quantity=1)
    assert await stock_of(engine, shop[0]) == 0

    assert (await _move(client, admin, order, "on_hold")).status_code == 200
    assert await stock_of(engine, shop[0]) == 4
    assert (await _move(client, admin, order, "new")).status_code == 200
    assert await stock_of(engine, shop[0]) == 0

    # Resuming fails when the stock went to someone else meanwhile, and changes nothing.
    assert (await _move(client, admin, order, "on_hold")).status_code == 200
    await _order(client, customer, sku="CHAIR-1", quantity=2)
    refused = await _move(client, admin, order, "new")
    assert refused.status_code == 409
    after = (await client.get(f"{ORDERS}/{order['id']}", headers=admin.headers)).json()
    assert after["status"] == "on_hold"
    assert await stock_of(engine, shop[0]) == 2
    assert other["status"] == "new"


async def test_if_match_with_a_stale_etag_is_412(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer)
    fresh = await _move(client, manager, order, "confirmed", headers={"If-Match": '"0"'})
    assert fresh.status_code == 200

    stale = await _move(client, manager, order, "processing", headers={"If-Match": '"0"'})
    assert stale.status_code == 412
    assert stale.json()["type"] == "urn:oms:problem:stale-order"
    assert stale.headers["etag"] == '"1"'
    after = (await client.get(f"{ORDERS}/{order['id']}", headers=manager.headers)).json()
    assert after["status"] == "confirmed"
    assert len(await outbox(engine, "order.status_changed")) == 1


async def test_another_customers_order_is_404_everywhere(
    client: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer)
    url = f"{ORDERS}/{order['id']}"
    assert (await client.get(url, headers=other_customer.headers)).status_code == 404
    assert (
        await client.get(f"{url}/transitions", headers=other_customer.headers)
    ).status_code == 404
    moved = await _move(client, other_customer, order, "cancelled")
    assert moved.status_code == 404
    assert (await client.get(url, headers=customer.headers)).json()["status"] == "new"


async def test_transitions_are_what_the_caller_may_do(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer)
    url = f"{ORDERS}/{order['id']}/transitions"
    mine = (await client.get(url, headers=customer.headers)).json()
    assert [t["code"] for t in mine] == ["cancelled"]
    assert mine[0] == {
        "code": "cancelled",
        "name": "Cancelled",
        "colour": "#dc2626",
        "is_terminal": True,
    }
    staff = (await client.get(url, headers=manager.headers)).json()
    assert [t["code"] for t in staff] == ["confirmed", "cancelled"]


async def test_a_status_in_use_by_an_order_cannot_be_deleted_or_renamed(
    client: AsyncClient,
    customer: Actor,
    admin: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    await client.post(STATUSES, json={"code": "limbo", "name": "Limbo"}, headers=admin.headers)
    await client.post(
        "/api/v1/workflow/transitions",
        json={"from_status": "new", "to_status": "limbo", "roles": ["admin"]},
        headers=admin.headers,
    )
    order = await _order(client, customer)
    assert (await _move(client, admin, order, "limbo")).status_code == 200
    transitions = (
        await client.get(
            "/api/v1/workflow/transitions", params={"status": "limbo"}, headers=admin.headers
        )
    ).json()
    await client.delete(
        f"/api/v1/workflow/transitions/{transitions[0]['id']}", headers=admin.headers
    )

    deleted = await client.delete(f"{STATUSES}/limbo", headers=admin.headers)
    assert deleted.status_code == 409
    assert deleted.json()["type"] == "urn:oms:problem:status-in-use"
    for change in ({"code": "gone"}, {"code": "gone", "is_initial": True, "name": "Gone"}):
        renamed = await client.patch(f"{STATUSES}/limbo", json=change, headers=admin.headers)
        assert renamed.status_code == 409, renamed.text
        assert renamed.json()["type"] == "urn:oms:problem:status-in-use"
    statuses = (await client.get(STATUSES, headers=admin.headers)).json()
    assert [s["code"] for s in statuses if s["is_initial"]] == ["new"]
    assert "gone" not in {s["code"] for s in statuses}
    assert (await client.get(f"{ORDERS}/{order['id']}", headers=admin.headers)).json()[
        "status"
    ] == "limbo"


async def test_bad_status_changes_are_400_or_404(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    order = await _order(client, customer)
    url = f"{ORDERS}/{order['id']}/status"
    for body in ({}, {"status": ""}, {"status": "confirmed", "colour": "red"}):
        response = await client.patch(url, json=body, headers=manager.headers)
        assert response.status_code == 400, body
    missing = f"{ORDERS}/00000000-0000-0000-0000-000000000009"
    moved = await client.patch(
        f"{missing}/status", json={"status": "confirmed"}, headers=manager.headers
    )
    assert moved.status_code == 404
    assert (await client.get(f"{missing}/transitions", headers=manager.headers)).status_code == 404
    assert (await client.patch(url, json={"status": "confirmed"})).status_code == 401
    after = (await client.get(f"{ORDERS}/{order['id']}", headers=manager.headers)).json()
    assert after["version"] == 0
