"""POST /api/v1/orders: one transaction, prices from the catalogue, nothing half-written."""

from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.orders.conftest import (
    ADDRESS,
    ORDERS,
    Catalogue,
    Product,
    assert_snapshot_of,
    count,
    outbox,
    place,
    stock_of,
)


async def _nothing_written(engine: AsyncEngine) -> None:
    assert await count(engine, "orders") == 0
    assert await count(engine, "order_items") == 0
    assert await count(engine, "outbox_events") == 0


async def test_a_customer_places_an_order_priced_by_the_catalogue(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    chair, desk, ebook = shop
    response = await place(
        client,
        customer,
        [
            {"product_id": str(chair.id), "quantity": 2},
            {"sku": "EBOOK-1", "quantity": 3},
            {"sku": "DESK-1", "quantity": 1},
        ],
        note="Leave at the door",
    )

    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["location"].endswith(f"{ORDERS}/{order['id']}")
    assert response.headers["etag"] == '"0"'
    assert order["number"].startswith("OMS-")
    assert order["status"] == "new"
    assert order["currency"] == "EUR"
    assert order["customer_id"] == str(customer.user.id)
    assert order["customer_email"] == customer.user.email
    # 2 x 19.99 + 3 x 9.50 + 249.00, as exact decimal strings.
    assert order["total"] == "317.48"
    assert [
        (i["sku"], i["unit_price"], i["quantity"], i["line_total"]) for i in order["items"]
    ] == [
        ("CHAIR-1", "19.99", 2, "39.98"),
        ("EBOOK-1", "9.50", 3, "28.50"),
        ("DESK-1", "249.00", 1, "249.00"),
    ]
    assert order["shipping_address"] == {**ADDRESS, "line2": None, "phone": None}
    assert order["note"] == "Leave at the door"
    assert order["version"] == 0
    [entry] = order["status_history"]
    assert entry["status"] == "new"
    assert entry["actor"] == {"id": str(customer.user.id), "email": customer.user.email}
    assert entry["note"] == "Leave at the door"

    assert await stock_of(engine, chair) == 3
    assert await stock_of(engine, desk) == 1
    assert await stock_of(engine, ebook) is None
    [event] = await outbox(engine, "order.created")
    assert str(event["order_id"]) == order["id"]
    assert_snapshot_of(event["order"], order)
    assert event["order"]["status"] == {"code": "new", "name": "New"}
    assert event["order"]["customer"]["name"] == "Cora Customer"
    assert event["actor"] == order["status_history"][0]["actor"]

    fetched = await client.get(response.headers["location"], headers=customer.headers)
    assert fetched.json() == order


async def test_order_numbers_increase(
    client: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    first = await place(client, customer, [{"sku": "EBOOK-1", "quantity": 1}])
    second = await place(client, customer, [{"sku": "EBOOK-1", "quantity": 1}])
    assert first.json()["number"] < second.json()["number"]


async def test_repeated_lines_for_one_product_become_one_item(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    chair = shop[0]
    response = await place(
        client,
        customer,
        [{"sku": "CHAIR-1", "quantity": 1}, {"sku": "CHAIR-1", "quantity": 2}],
    )
    assert response.status_code == 201
    assert [(i["sku"], i["quantity"]) for i in response.json()["items"]] == [("CHAIR-1", 3)]
    assert await stock_of(engine, chair) == 2


async def test_one_product_named_by_id_and_by_sku_becomes_one_item(
    client: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    chair, desk, _ = shop
    response = await place(
        client,
        customer,
        [
            {"product_id": str(chair.id), "quantity": 1},
            {"sku": desk.sku, "quantity": 1},
            {"sku": chair.sku.lower(), "quantity": 2},
        ],
    )
    assert response.status_code == 201, response.text
    assert [(i["sku"], i["quantity"]) for i in response.json()["items"]] == [
        ("CHAIR-1", 3),
        ("DESK-1", 1),
    ]


async def test_repeated_lines_summing_past_the_line_limit_are_400_and_nothing_is_written(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    # 100 lines of 100,000 would be a 10,000,000-unit item.
    response = await place(client, customer, [{"sku": "EBOOK-1", "quantity": 100_000}] * 100)
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"] == "urn:oms:problem:item-too-large"
    assert [error["field"] for error in problem["errors"]] == ["items.0.quantity"]
    await _nothing_written(engine)


async def test_totals_beyond_what_the_columns_hold_are_400_and_nothing_is_written(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    catalogue: Catalogue,
    shop: tuple[Product, Product, Product],
) -> None:
    await catalogue.product("YACHT-1", "9999999999.99", None)
    line = await place(client, customer, [{"sku": "YACHT-1", "quantity": 100_000}])
    order = await place(
        client,
        customer,
        [{"sku": "YACHT-1", "quantity": 100}, {"sku": "EBOOK-1", "quantity": 1}],
    )
    assert (line.status_code, order.status_code) == (400, 400), (line.text, order.text)
    assert [error["field"] for error in line.json()["errors"]] == ["items.0.quantity"]
    assert [error["field"] for error in order.json()["errors"]] == ["items"]
    await _nothing_written(engine)
    assert await stock_of(engine, shop[0]) == 5


async def test_an_unknown_product_is_a_4xx_and_nothing_is_written(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    chair = shop[0]
    response = await place(
        client,
        customer,
        [{"sku": "CHAIR-1", "quantity": 1}, {"sku": "NO-SUCH", "quantity": 1}],
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"
    assert await stock_of(engine, chair) == 5
    await _nothing_written(engine)


async def test_an_inactive_product_cannot_be_ordered(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    catalogue: Catalogue,
    shop: tuple[Product, Product, Product],
) -> None:
    await catalogue.product("OLD-1", "5.00", 10, active=False)
    response = await place(client, customer, [{"sku": "OLD-1", "quantity": 1}])
    assert 400 <= response.status_code < 500
    await _nothing_written(engine)


async def test_insufficient_stock_is_409_and_no_line_keeps_its_stock(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    chair, desk, _ = shop
    response = await place(
        client,
        customer,
        [{"sku": "CHAIR-1", "quantity": 5}, {"sku": "DESK-1", "quantity": 3}],
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["lines"] == [
        {"product_id": str(desk.id), "sku": "DESK-1", "requested": 3, "available": 2, "items": [1]}
    ]

    both_short = await place(
        client,
        customer,
        [
            {"sku": "DESK-1", "quantity": 1},
            {"sku": "CHAIR-1", "quantity": 6},
            {"product_id": str(desk.id), "quantity": 2},
        ],
    )
    problem = both_short.json()
    assert both_short.status_code == 409
    assert problem["type"] == "urn:oms:problem:insufficient-stock"
    assert problem["lines"] == [
        {
            "product_id": str(desk.id),
            "sku": "DESK-1",
            "requested": 3,
            "available": 2,
            "items": [0, 2],
        },
        {
            "product_id": str(chair.id),
            "sku": "CHAIR-1",
            "requested": 6,
            "available": 5,
            "items": [1],
        },
    ]
    # The first short product's figures, as the problem has always given them.
    assert (problem["sku"], problem["requested"], problem["available"]) == ("DESK-1", 3, 2)
    assert problem["product_id"] == str(desk.id)
    assert await stock_of(engine, chair) == 5
    assert await stock_of(engine, desk) == 2
    await _nothing_written(engine)


async def test_bad_bodies_are_400_naming_the_field(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    cases: dict[str, dict[str, Any]] = {
        "items.0.quantity": {"items": [{"sku": "CHAIR-1", "quantity": 0}]},
        "items": {"items": []},
        "shipping_address.country": {
            "items": [{"sku": "CHAIR-1", "quantity": 1}],
            "shipping_address": {**ADDRESS, "country": "Germany"},
        },
        "items.0.unit_price": {"items": [{"sku": "CHAIR-1", "quantity": 1, "unit_price": "0.01"}]},
        "total": {"items": [{"sku": "CHAIR-1", "quantity": 1}], "total": "0.01"},
    }
    for field, body in cases.items():
        response = await client.post(
            ORDERS, json={"shipping_address": ADDRESS, **body}, headers=customer.headers
        )
        assert response.status_code == 400, (field, response.text)
        assert field in [error["field"] for error in response.json()["errors"]], response.json()
    await _nothing_written(engine)


async def test_a_quantity_is_a_json_integer_not_a_string_or_boolean(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    for quantity in ("1", True, 1.0, "\u0661"):
        response = await place(client, customer, [{"sku": "CHAIR-1", "quantity": quantity}])
        assert response.status_code == 400, (quantity, response.text)
        assert [error["field"] for error in response.json()["errors"]] == ["items.0.quantity"]
    await _nothing_written(engine)


async def test_a_customer_cannot_order_for_someone_else(
    client: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    items = [{"sku": "CHAIR-1", "quantity": 1}]
    refused = await place(client, customer, items, customer_id=str(other_customer.user.id))
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:oms:problem:customer-choice-not-allowed"
    await _nothing_written(engine)

    own = await place(client, customer, items, customer_id=str(customer.user.id))
    assert own.status_code == 201


async def test_staff_order_for_a_customer(
    client: AsyncClient,
    manager: Actor,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    items = [{"sku": "CHAIR-1", "quantity": 1}]
    response = await place(client, manager, items, customer_id=str(customer.user.id))
    assert response.status_code == 201
    order = response.json()
    assert order["customer_id"] == str(customer.user.id)
    assert order["customer_email"] == customer.user.email
    assert order["status_history"][0]["actor"]["id"] == str(manager.user.id)
    mine = await client.get(f"{ORDERS}/{order['id']}", headers=customer.headers)
    assert mine.status_code == 200

    unknown = await place(
        client, manager, items, customer_id="00000000-0000-0000-0000-000000000000"
    )
    assert unknown.status_code == 422
    assert await count(engine, "orders") == 1


async def test_without_an_initial_status_nothing_is_written(
    client: AsyncClient, customer: Actor, engine: AsyncEngine, catalogue: Catalogue
) -> None:
    chair = await catalogue.product("CHAIR-1", "19.99", 5)
    response = await place(client, customer, [{"sku": "CHAIR-1", "quantity": 1}])
    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:workflow-not-configured"
    assert await stock_of(engine, chair) == 5
    await _nothing_written(engine)


async def test_signing_in_is_required(client: AsyncClient) -> None:
    response = await client.post(ORDERS, json={})
    assert response.status_code == 401


async def test_an_idempotent_retry_returns_the_first_order(
    client: AsyncClient,
    customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> None:
    chair = shop[0]
    key = {"Idempotency-Key": "order-0001"}
    items = [{"sku": "CHAIR-1", "quantity": 2}]
    first = await place(client, customer, items, headers=key)
    again = await place(client, customer, items, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert await count(engine, "orders") == 1
    assert await stock_of(engine, chair) == 3

    changed = await place(client, customer, [{"sku": "CHAIR-1", "quantity": 1}], headers=key)
    assert changed.status_code == 422
    assert await count(engine, "orders") == 1
    assert Decimal(first.json()["total"]) == Decimal("39.98")


async def test_a_token_without_email_takes_the_email_from_the_user(
    app: Any, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    from oms.auth import service as auth
    from oms.orders import service as orders
    from oms.orders.schemas import OrderCreate

    # An identity provider's token may carry no email; the order still records it.
    principal = auth.Principal(user_id=customer.user.id, roles=frozenset({auth.Role.CUSTOMER}))
    body = OrderCreate.model_validate(
        {"items": [{"sku": "EBOOK-1", "quantity": 1}], "shipping_address": ADDRESS}
    )
    async with app.state.sessions() as session, session.begin():
        order = await orders.create_order(session, body, principal, currency="EUR")
    assert order.customer_email == customer.user.email
    actor = {"id": str(customer.user.id), "email": customer.user.email}
    assert order.status_history[0]["actor"] == actor
