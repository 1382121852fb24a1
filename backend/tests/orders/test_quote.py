"""POST /api/v1/orders/quote: a cart priced as placing it would, with nothing written."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.orders.conftest import ADDRESS, ORDERS, Product, count, place, stock_of

QUOTE = f"{ORDERS}/quote"


async def _quote(client: AsyncClient, actor: Actor, body: dict[str, Any]) -> Any:
    return await client.post(QUOTE, json=body, headers=actor.headers)


async def test_a_quote_prices_like_the_order_and_writes_nothing(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    chair, _, _ = shop
    items = [
        {"product_id": str(chair.id), "quantity": 2},
        {"sku": "ebook-1", "quantity": 3},
        {"sku": "CHAIR-1", "quantity": 1},
    ]
    quoted = await _quote(client, customer, {"items": items})

    assert quoted.status_code == 200, quoted.text
    quote = quoted.json()
    assert quote["currency"] == "EUR"
    assert quote["problems"] == []
    assert [
        (i["sku"], i["quantity"], i["unit_price"], i["line_total"], i["available"], i["in_stock"])
        for i in quote["items"]
    ] == [
        ("CHAIR-1", 3, "19.99", "59.97", 5, True),
        ("EBOOK-1", 3, "9.50", "28.50", None, True),
    ]
    assert await count(engine, "orders") == 0
    assert await count(engine, "outbox_events") == 0
    assert await stock_of(engine, chair) == 5

    placed = await place(client, customer, items)
    assert placed.status_code == 201
    order = placed.json()
    assert order["total"] == quote["total"] == "88.47"
    assert [
        {k: i[k] for k in ("product_id", "sku", "name", "quantity", "unit_price", "line_total")}
        for i in order["items"]
    ] == [
        {k: i[k] for k in ("product_id", "sku", "name", "quantity", "unit_price", "line_total")}
        for i in quote["items"]
    ]


async def test_short_stock_is_no_error_in_a_quote_but_a_line_and_a_problem(
    client: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    quoted = await _quote(
        client,
        customer,
        {
            "items": [{"sku": "DESK-1", "quantity": 3}, {"sku": "CHAIR-1", "quantity": 5}],
            "shipping_address": ADDRESS,
        },
    )

    assert quoted.status_code == 200, quoted.text
    quote = quoted.json()
    assert [(i["sku"], i["available"], i["in_stock"]) for i in quote["items"]] == [
        ("DESK-1", 2, False),
        ("CHAIR-1", 5, True),
    ]
    assert quote["total"] == "846.95"
    assert quote["problems"] == ["Only 2 of 'DESK-1' in stock, 3 requested."]


async def test_a_quote_refuses_what_an_order_refuses(
    client: AsyncClient,
    customer: Actor,
    admin: Actor,
    catalogue: Any,
    shop: tuple[Product, Product, Product],
) -> None:
    await catalogue.product("OLD-1", "5.00", 3, active=False)
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"items": [{"sku": "NOPE", "quantity": 1}]}, 422, "unknown-product"),
        ({"items": [{"sku": "OLD-1", "quantity": 1}]}, 422, "product-inactive"),
        ({"items": []}, 400, "validation"),
        ({"items": [{"sku": "CHAIR-1", "quantity": 0}]}, 400, "validation"),
        ({"items": [{"sku": "CHAIR-1", "quantity": 1}], "total": "1.00"}, 400, "validation"),
        (
            {"items": [{"sku": "CHAIR-1", "quantity": 1}], "shipping_address": {"name": "A"}},
            400,
            "validation",
        ),
        (
            {"items": [{"sku": "CHAIR-1", "quantity": 1}], "customer_id": str(admin.user.id)},
            403,
            "customer-choice-not-allowed",
        ),
    ]
    bad_country = await _quote(
        client,
        customer,
        {
            "items": [{"sku": "CHAIR-1", "quantity": 1}],
            "shipping_address": {**ADDRESS, "country": "XX"},
        },
    )
    assert [error["field"] for error in bad_country.json()["errors"]] == [
        "shipping_address.country"
    ]
    for body, status, slug in cases:
        response = await _quote(client, customer, body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == f"urn:oms:problem:{slug}"
    assert (await client.post(QUOTE, json={"items": []})).status_code == 401


async def test_staff_quote_for_a_customer(
    client: AsyncClient, manager: Actor, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    quoted = await _quote(
        client,
        manager,
        {"items": [{"sku": "CHAIR-1", "quantity": 1}], "customer_id": str(customer.user.id)},
    )
    assert quoted.status_code == 200, quoted.text
    assert quoted.json()["total"] == "19.99"


async def test_the_quote_path_is_no_order(client: AsyncClient, customer: Actor) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        refused = await client.request(method, QUOTE, headers=customer.headers)
        assert refused.status_code == 405, method
        assert refused.headers["allow"] == "POST"
    malformed = await client.get(f"{ORDERS}/not-an-id", headers=customer.headers)
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["field"] == "order_id"
