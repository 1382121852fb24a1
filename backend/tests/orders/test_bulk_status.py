"""POST /api/v1/orders/bulk-status: each order moved as PATCH /orders/{id}/status would move
it, each in a savepoint of its own, so that a refused or unknown order is reported in its
result and the others are moved all the same."""

import asyncio
import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.orders.schemas import MAX_BULK_ORDERS
from tests.actors import Actor
from tests.audit_trail import recorded
from tests.orders.conftest import ORDERS, Catalogue, Product, count, outbox, place, stock_of

BULK = f"{ORDERS}/bulk-status"


async def _orders(client: AsyncClient, actor: Actor, n: int, sku: str = "EBOOK-1") -> list[Any]:
    placed = []
    for _ in range(n):
        response = await place(client, actor, [{"sku": sku, "quantity": 1}])
        assert response.status_code == 201, response.text
        placed.append(response.json())
    return placed


async def _order(client: AsyncClient, actor: Actor, order: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"{ORDERS}/{order['id']}", headers=actor.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_staff_move_many_orders_each_as_one_change_would(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    orders = await _orders(client, customer, 3)

    response = await client.post(
        BULK,
        json={"order_ids": [o["id"] for o in orders], "to_status": "confirmed", "note": "paid"},
        headers=manager.headers,
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "results": [
            {
                "order_id": o["id"],
                "number": o["number"],
                "ok": True,
                "status": "confirmed",
                "problem": None,
            }
            for o in orders
        ]
    }
    for order in orders:
        now = await _order(client, customer, order)
        assert (now["status"], now["version"]) == ("confirmed", 1)
        assert now["status_history"][-1]["note"] == "paid"
        assert now["status_history"][-1]["actor"]["id"] == str(manager.user.id)
    events = await outbox(engine, "order.status_changed")
    assert sorted(str(e["order_id"]) for e in events) == sorted(o["id"] for o in orders)
    audited = await recorded(engine, "order.status_changed")
    assert sorted(e["entity_id"] for e in audited) == sorted(o["id"] for o in orders)
    assert {e["actor_id"] for e in audited} == {manager.user.id}


async def test_a_refused_or_unknown_order_is_reported_and_the_others_still_move(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    first, cancelled, last = await _orders(client, customer, 3, sku="CHAIR-1")
    moved = await client.patch(
        f"{ORDERS}/{cancelled['id']}/status", json={"status": "cancelled"}, headers=manager.headers
    )
    assert moved.status_code == 200
    unknown = str(uuid.uuid4())
    stock_before = await stock_of(engine, shop[0])

    response = await client.post(
        BULK,
        json={
            "order_ids": [first["id"], cancelled["id"], unknown, last["id"]],
            "to_status": "cancelled",
        },
        headers=manager.headers,
    )

    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["order_id"] for r in results] == [first["id"], cancelled["id"], unknown, last["id"]]
    assert [r["ok"] for r in results] == [True, False, False, True]
    assert [r["status"] for r in results] == ["cancelled", None, None, "cancelled"]
    assert [r["number"] for r in results] == [
        first["number"],
        cancelled["number"],
        None,
        last["number"],
    ]
    refused, missing = results[1]["problem"], results[2]["problem"]
    assert refused["type"] == "urn:oms:problem:transition-not-allowed"
    assert refused["status"] == 409
    assert refused["allowed_targets"] == []
    assert refused["instance"] == BULK
    assert missing["type"] == "urn:oms:problem:order-not-found"
    assert missing["status"] == 404
    assert unknown in missing["detail"]
    assert "errors" not in refused
    assert "errors" not in missing
    # The two moves stand, each with its stock given back; the refusal changed nothing.
    assert await stock_of(engine, shop[0]) == (stock_before or 0) + 2
    assert (await _order(client, manager, cancelled))["version"] == 1
    changes = await outbox(engine, "order.status_changed")
    assert [str(e["order_id"]) for e in changes] == [cancelled["id"], first["id"], last["id"]]
    assert len(await recorded(engine, "order.status_changed")) == 3


async def test_the_workflow_decides_by_the_callers_roles_for_each_order(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    admin: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    # A status only admins may move an order to.
    for path, body in (
        ("/api/v1/workflow/statuses", {"code": "on_hold", "name": "On hold"}),
        (
            "/api/v1/workflow/transitions",
            {"from_status": "new", "to_status": "on_hold", "roles": ["admin"]},
        ),
    ):
        created = await client.post(path, json=body, headers=admin.headers)
        assert created.status_code == 201, created.text
    orders = await _orders(client, customer, 2)
    ids = [o["id"] for o in orders]

    as_manager = await client.post(
        BULK, json={"order_ids": ids, "to_status": "on_hold"}, headers=manager.headers
    )
    as_admin = await client.post(
        BULK, json={"order_ids": ids, "to_status": "on_hold"}, headers=admin.headers
    )

    assert as_manager.status_code == 200
    assert [r["problem"]["type"] for r in as_manager.json()["results"]] == [
        "urn:oms:problem:transition-not-allowed"
    ] * 2
    assert [r["status"] for r in as_admin.json()["results"]] == ["on_hold", "on_hold"]


async def test_a_status_that_does_not_exist_is_refused_for_each_order(
    client: AsyncClient, customer: Actor, manager: Actor, shop: tuple[Product, Product, Product]
) -> None:
    [order] = await _orders(client, customer, 1)

    response = await client.post(
        BULK,
        json={"order_ids": [order["id"]], "to_status": "lost_in_space"},
        headers=manager.headers,
    )

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert (result["ok"], result["problem"]["status"]) == (False, 409)
    assert (await _order(client, manager, order))["status"] == "new"


async def test_stock_taken_back_short_refuses_that_order_only(
    client: AsyncClient,
    customer: Actor,
    admin: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    # "paused" gives the stock back and may be left for "new", which takes it again.
    for path, body in (
        (
            "/api/v1/workflow/statuses",
            {"code": "paused", "name": "Paused", "releases_stock": True},
        ),
        (
            "/api/v1/workflow/transitions",
            {"from_status": "new", "to_status": "paused", "roles": ["admin"]},
        ),
        (
            "/api/v1/workflow/transitions",
            {"from_status": "paused", "to_status": "new", "roles": ["admin"]},
        ),
    ):
        created = await client.post(path, json=body, headers=admin.headers)
        assert created.status_code == 201, created.text
    desks = (await place(client, customer, [{"sku": "DESK-1", "quantity": 2}])).json()
    ebook = (await place(client, customer, [{"sku": "EBOOK-1", "quantity": 1}])).json()
    paused = await client.post(
        BULK,
        json={"order_ids": [desks["id"], ebook["id"]], "to_status": "paused"},
        headers=admin.headers,
    )
    assert [r["ok"] for r in paused.json()["results"]] == [True, True]
    assert await stock_of(engine, shop[1]) == 2
    taken = await place(client, customer, [{"sku": "DESK-1", "quantity": 1}])
    assert taken.status_code == 201

    resumed = await client.post(
        BULK,
        json={"order_ids": [desks["id"], ebook["id"]], "to_status": "new"},
        headers=admin.headers,
    )

    short, fine = resumed.json()["results"]
    assert short["problem"]["type"] == "urn:oms:problem:insufficient-stock"
    assert short["problem"]["lines"][0]["available"] == 1
    assert fine["status"] == "new"
    assert await stock_of(engine, shop[1]) == 1
    assert (await _order(client, admin, desks))["status"] == "paused"


async def test_concurrent_bulk_changes_and_new_orders_queue_instead_of_deadlocking(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    catalogue: Catalogue,
    shop: tuple[Product, Product, Product],
) -> None:
    lamp = await catalogue.product("LAMP-1", "5.00", 1000)
    bulb = await catalogue.product("BULB-1", "1.00", 1000)
    # Cancelling them one after another gives back lamps and bulbs in turn.
    orders = []
    for product in [lamp, bulb] * 6:
        placed = await place(client, customer, [{"sku": product.sku, "quantity": 1}])
        assert placed.status_code == 201, placed.text
        orders.append(placed.json())
    ids = [o["id"] for o in orders]
    both = [{"sku": "LAMP-1", "quantity": 1}, {"sku": "BULB-1", "quantity": 1}]

    answers = await asyncio.gather(
        client.post(
            BULK, json={"order_ids": ids, "to_status": "cancelled"}, headers=manager.headers
        ),
        client.post(
            BULK,
            json={"order_ids": list(reversed(ids)), "to_status": "cancelled"},
            headers=manager.headers,
        ),
        *(place(client, customer, both) for _ in range(4)),
    )

    assert [answer.status_code for answer in answers] == [200, 200, 201, 201, 201, 201]
    first, second = (answer.json()["results"] for answer in answers[:2])
    moved = {r["order_id"]: [r["ok"]] for r in first}
    for result in second:
        moved[result["order_id"]].append(result["ok"])
    assert all(sorted(oks) == [False, True] for oks in moved.values()), moved


async def test_a_customer_may_not_change_orders_in_bulk(
    client: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    [order] = await _orders(client, customer, 1)

    response = await client.post(
        BULK, json={"order_ids": [order["id"]], "to_status": "cancelled"}, headers=customer.headers
    )
    anonymous = await client.post(BULK, json={"order_ids": [order["id"]], "to_status": "cancelled"})

    assert response.status_code == 403
    assert response.json()["permission"] == "orders:bulk-transition"
    assert anonymous.status_code == 401
    assert (await _order(client, customer, order))["status"] == "new"


def _ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"order_ids": [], "to_status": "confirmed"}, "order_ids"),
        ({"order_ids": _ids(MAX_BULK_ORDERS + 1), "to_status": "confirmed"}, "order_ids"),
        ({"order_ids": ["not-an-id"], "to_status": "confirmed"}, "order_ids.0"),
        ({"order_ids": _ids(1)}, "to_status"),
        ({"order_ids": _ids(1), "to_status": ""}, "to_status"),
        ({"order_ids": _ids(1), "to_status": "x" * 51}, "to_status"),
        ({"order_ids": _ids(1), "to_status": "confirmed", "note": "n" * 2001}, "note"),
        ({"order_ids": _ids(1), "to_status": "confirmed", "when": "now"}, "when"),
        ({"to_status": "confirmed"}, "order_ids"),
    ],
)
async def test_a_bad_body_is_400_naming_the_field(
    client: AsyncClient, manager: Actor, body: dict[str, Any], field: str
) -> None:
    response = await client.post(BULK, json=body, headers=manager.headers)

    assert response.status_code == 400, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_an_order_named_twice_is_400_and_nothing_moves(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    first, second = await _orders(client, customer, 2)
    # The same id twice, once in capitals: still the same order.
    twice = [first["id"], second["id"], first["id"].upper()]

    response = await client.post(
        BULK, json={"order_ids": twice, "to_status": "confirmed"}, headers=manager.headers
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "order_ids"
    assert "once" in error["message"]
    assert await count(engine, "outbox_events", "type = 'order.status_changed'") == 0


async def test_the_most_orders_one_request_may_move(
    client: AsyncClient, manager: Actor, shop: tuple[Product, Product, Product]
) -> None:
    response = await client.post(
        BULK,
        json={"order_ids": _ids(MAX_BULK_ORDERS), "to_status": "confirmed"},
        headers=manager.headers,
    )

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == MAX_BULK_ORDERS
    assert {r["problem"]["status"] for r in results} == {404}
