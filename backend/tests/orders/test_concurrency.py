"""Correctness under load, against the real PostgreSQL through the real app over HTTP."""

import asyncio
from collections import Counter
from itertools import pairwise
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.core.logging import configure_logging
from oms.outbox import service as outbox_service
from tests.actors import Actor
from tests.orders.conftest import ORDERS, Catalogue, Product, count, outbox, place, stock_of


async def test_fifty_concurrent_orders_for_stock_ten_sell_exactly_ten(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    catalogue: Catalogue,
    demo_workflow: None,
) -> None:
    lamp = await catalogue.product("LAMP-1", "30.00", 10)
    responses = await asyncio.gather(
        *(place(client, customer, [{"product_id": str(lamp.id), "quantity": 1}]) for _ in range(50))
    )

    codes = Counter(response.status_code for response in responses)
    assert codes == {201: 10, 409: 40}
    assert await stock_of(engine, lamp) == 0
    assert await count(engine, "orders") == 10
    assert await count(engine, "order_items") == 10
    created = await outbox(engine, "order.created")
    assert sorted(str(e["order_id"]) for e in created) == sorted(
        r.json()["id"] for r in responses if r.status_code == 201
    )


async def test_twenty_concurrent_status_changes_leave_a_valid_history(
    client: AsyncClient,
    customer: Actor,
    admin: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    # Let staff go back from processing to confirmed, so that many changes can succeed.
    added = await client.post(
        "/api/v1/workflow/transitions",
        json={"from_status": "processing", "to_status": "confirmed", "roles": ["admin"]},
        headers=admin.headers,
    )
    assert added.status_code == 201
    order = (await place(client, customer, [{"sku": "CHAIR-1", "quantity": 1}])).json()
    url = f"{ORDERS}/{order['id']}/status"
    assert (
        await client.patch(url, json={"status": "confirmed"}, headers=admin.headers)
    ).status_code == 200

    targets = ["processing", "confirmed"] * 10
    responses = await asyncio.gather(
        *(
            client.patch(url, json={"status": t, "note": f"#{i}"}, headers=admin.headers)
            for i, t in enumerate(targets)
        )
    )

    codes = Counter(response.status_code for response in responses)
    assert set(codes) <= {200, 409}, codes
    succeeded = codes[200]
    assert succeeded >= 1
    final = (await client.get(f"{ORDERS}/{order['id']}", headers=admin.headers)).json()
    history = [entry["status"] for entry in final["status_history"]]
    rules = (await client.get("/api/v1/workflow/transitions", headers=admin.headers)).json()
    # The history starts at the initial status and each step follows a transition.
    edges = {(t["from_status"], t["to_status"]) for t in rules}
    assert history[0] == "new", history
    assert all(step in edges for step in pairwise(history)), history
    # One entry per successful change (plus creation and the first confirmation), none lost.
    assert len(history) == succeeded + 2
    notes = [entry["note"] for entry in final["status_history"][2:]]
    assert sorted(notes) == sorted(f"#{i}" for i, r in enumerate(responses) if r.status_code == 200)
    assert final["version"] == succeeded + 1
    changed = await outbox(engine, "order.status_changed")
    assert [e["order"]["version"] for e in changed] == list(range(1, final["version"] + 1))
    assert [e["order"]["status"]["code"] for e in changed] == history[1:]


async def test_twenty_concurrent_posts_with_one_key_make_one_order(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    items = [{"sku": "CHAIR-1", "quantity": 1}]
    headers = {"Idempotency-Key": "checkout-42"}
    responses = await asyncio.gather(
        *(place(client, customer, items, headers=headers) for _ in range(20))
    )

    assert {r.status_code for r in responses} <= {201, 409}
    fresh = [
        r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers
    ]
    assert len(fresh) == 1
    replayed = [r for r in responses if r.headers.get("idempotent-replayed") == "true"]
    assert all(r.json() == fresh[0].json() for r in replayed)
    assert await count(engine, "orders") == 1
    assert await stock_of(engine, shop[0]) == 4
    assert len(await outbox(engine, "order.created")) == 1


async def test_every_order_and_change_has_exactly_one_outbox_row(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    orders = await asyncio.gather(
        *(place(client, customer, [{"sku": "EBOOK-1", "quantity": 1}]) for _ in range(8))
    )
    ids = [r.json()["id"] for r in orders]
    moves = await asyncio.gather(
        *(
            client.patch(f"{ORDERS}/{i}/status", json={"status": s}, headers=manager.headers)
            for i in ids[:4]
            for s in ("confirmed", "cancelled")
        )
    )
    assert {m.status_code for m in moves} <= {200, 409}

    created = Counter(str(e["order_id"]) for e in await outbox(engine, "order.created"))
    changed = Counter(str(e["order_id"]) for e in await outbox(engine, "order.status_changed"))
    for order_id in ids:
        order = (await client.get(f"{ORDERS}/{order_id}", headers=manager.headers)).json()
        assert created[order_id] == 1
        assert changed[order_id] == order["version"] == len(order["status_history"]) - 1


@pytest.fixture
def plain_error_logs() -> None:
    # The development console renderer prints every local of a traceback, which takes
    # seconds for an app's frames; the production JSON format does not.
    configure_logging("info", "json")


async def test_a_failure_after_the_order_insert_leaves_nothing(
    plain_error_logs: None,
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chair = shop[0]
    inserted: list[int] = []

    async def broken(session: Any, *args: Any, **kwargs: Any) -> Any:
        # The order and its items are already flushed when the event is recorded.
        inserted.append(await count_in(session, "orders"))
        raise RuntimeError("the outbox is on fire")

    monkeypatch.setattr(outbox_service, "record_event", broken)
    response = await place(
        client, customer, [{"sku": "CHAIR-1", "quantity": 2}], headers={"Idempotency-Key": "boom"}
    )

    assert response.status_code == 500
    assert inserted == [1]
    assert await count(engine, "orders") == 0
    assert await count(engine, "order_items") == 0
    assert await count(engine, "outbox_events") == 0
    assert await count(engine, "idempotency_keys") == 0
    assert await stock_of(engine, chair) == 5

    monkeypatch.undo()
    retried = await place(
        client, customer, [{"sku": "CHAIR-1", "quantity": 2}], headers={"Idempotency-Key": "boom"}
    )
    assert retried.status_code == 201
    assert await stock_of(engine, chair) == 3


async def test_a_failure_while_cancelling_changes_nothing(
    plain_error_logs: None,
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order = (await place(client, customer, [{"sku": "CHAIR-1", "quantity": 2}])).json()

    async def broken(session: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the outbox is on fire")

    monkeypatch.setattr(outbox_service, "record_event", broken)
    response = await client.patch(
        f"{ORDERS}/{order['id']}/status", json={"status": "cancelled"}, headers=customer.headers
    )

    assert response.status_code == 500
    after = (await client.get(f"{ORDERS}/{order['id']}", headers=customer.headers)).json()
    assert after["status"] == "new"
    assert after["version"] == 0
    assert await stock_of(engine, shop[0]) == 3
    assert len(await outbox(engine, "order.status_changed")) == 0


async def count_in(session: Any, table: str) -> int:
    value = await session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
    return int(value)


async def test_concurrent_orders_and_cancellations_keep_stock_consistent(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    engine: AsyncEngine,
    catalogue: Catalogue,
    demo_workflow: None,
) -> None:
    chair = await catalogue.product("CHAIR-9", "10.00", 20)
    desk = await catalogue.product("DESK-9", "50.00", 20)
    both = [{"sku": "DESK-9", "quantity": 2}, {"sku": "CHAIR-9", "quantity": 2}]
    first = [(await place(client, customer, both)).json() for _ in range(5)]

    async def cancel(order: dict[str, Any]) -> int:
        url = f"{ORDERS}/{order['id']}/status"
        response = await client.patch(url, json={"status": "cancelled"}, headers=manager.headers)
        return response.status_code

    async def order_more() -> int:
        return (await place(client, customer, list(reversed(both)))).status_code

    codes = await asyncio.gather(*(cancel(o) for o in first), *(order_more() for _ in range(10)))

    assert set(codes) <= {200, 201, 409}, codes
    assert codes[:5] == [200] * 5
    live = await count(engine, "orders", "status <> 'cancelled'")
    assert live == codes[5:].count(201)
    assert await stock_of(engine, chair) == await stock_of(engine, desk) == 20 - 2 * live
