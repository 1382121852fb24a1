"""GET /api/v1/orders (scoped, filtered, keyset-paginated) and GET /api/v1/orders/{id}."""

from datetime import UTC, datetime, timedelta
from typing import Any

from httpx import AsyncClient

from tests.actors import Actor
from tests.orders.conftest import ORDERS, Product, place


async def _orders(client: AsyncClient, actor: Actor, n: int) -> list[dict[str, Any]]:
    placed = []
    for _ in range(n):
        response = await place(client, actor, [{"sku": "EBOOK-1", "quantity": 1}])
        assert response.status_code == 201
        placed.append(response.json())
    return placed


async def _all_pages(
    client: AsyncClient, actor: Actor, params: dict[str, Any]
) -> tuple[list[dict[str, Any]], int]:
    seen: list[dict[str, Any]] = []
    cursor = None
    for pages in range(1, 50):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(ORDERS, params=query, headers=actor.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, pages
    raise AssertionError("pagination did not end")


async def test_customers_list_their_own_orders_and_staff_all(
    client: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    manager: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    mine = await _orders(client, customer, 3)
    theirs = await _orders(client, other_customer, 2)

    own, _ = await _all_pages(client, customer, {})
    assert [o["id"] for o in own] == [o["id"] for o in reversed(mine)]
    assert "items" not in own[0]
    # A customer naming someone else still sees only their own orders.
    snooping, _ = await _all_pages(client, customer, {"customer_id": str(other_customer.user.id)})
    assert snooping == []
    everything, _ = await _all_pages(client, manager, {})
    assert {o["id"] for o in everything} == {o["id"] for o in mine + theirs}
    filtered, _ = await _all_pages(client, manager, {"customer_id": str(other_customer.user.id)})
    assert {o["id"] for o in filtered} == {o["id"] for o in theirs}


async def test_keyset_pages_cover_every_order_once_in_a_stable_order(
    client: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    placed = await _orders(client, customer, 7)
    seen, pages = await _all_pages(client, customer, {"limit": 3})
    assert pages == 3
    assert [o["number"] for o in seen] == sorted((o["number"] for o in placed), reverse=True)


async def test_filters_by_status_text_and_creation_time(
    client: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    manager: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    first, second = await _orders(client, customer, 2)
    third = (await _orders(client, other_customer, 1))[0]
    await client.patch(
        f"{ORDERS}/{second['id']}/status", json={"status": "confirmed"}, headers=manager.headers
    )

    async def ids(**params: Any) -> set[str]:
        found, _ = await _all_pages(client, manager, params)
        return {o["id"] for o in found}

    assert await ids(status="confirmed") == {second["id"]}
    assert await ids(status=["confirmed", "new"]) == {first["id"], second["id"], third["id"]}
    assert await ids(q=first["number"]) == {first["id"]}
    assert await ids(q=first["number"].removeprefix("OMS-").lstrip("0")) == {first["id"]}
    assert await ids(q="OTHER@example") == {third["id"]}
    assert await ids(q="nobody") == set()
    hour = timedelta(hours=1)
    now = datetime.now(UTC)
    assert len(await ids(created_from=(now - hour).isoformat())) == 3
    assert await ids(created_to=(now - hour).isoformat()) == set()


async def test_list_parameters_are_validated(client: AsyncClient, customer: Actor) -> None:
    for params in (
        {"limit": 0},
        {"limit": 101},
        {"created_from": "yesterday"},
        {"cursor": "not-a-cursor"},
    ):
        response = await client.get(ORDERS, params=params, headers=customer.headers)
        assert response.status_code == 400, params
    assert (await client.get(ORDERS)).status_code == 401


async def test_get_answers_304_when_the_copy_is_current(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    [order] = await _orders(client, customer, 1)
    url = f"{ORDERS}/{order['id']}"
    first = await client.get(url, headers=customer.headers)
    assert first.headers["etag"] == '"0"'

    unchanged = await client.get(url, headers={**customer.headers, "If-None-Match": '"0"'})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    await client.patch(f"{url}/status", json={"status": "confirmed"}, headers=manager.headers)
    changed = await client.get(url, headers={**customer.headers, "If-None-Match": '"0"'})
    assert changed.status_code == 200
    assert changed.json()["status"] == "confirmed"


async def test_an_unknown_order_is_404(client: AsyncClient, manager: Actor) -> None:
    response = await client.get(
        f"{ORDERS}/00000000-0000-0000-0000-000000000001", headers=manager.headers
    )
    assert response.status_code == 404
    assert (await client.get(f"{ORDERS}/not-a-uuid", headers=manager.headers)).status_code == 400
