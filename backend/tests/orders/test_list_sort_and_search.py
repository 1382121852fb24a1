"""GET /api/v1/orders sorted (`sort`, keyset-paged on the sort's key) and searched by the
customer's name as well as the order number and email (`q`, answered by trigram indexes)."""

import base64
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.orders.conftest import ORDERS, Product, place
from tests.pagination import all_pages

SORTS = ("-created_at", "created_at", "-total", "total", "number", "-number")


def _cursor(*values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def _expected(orders: list[dict[str, Any]], sort: str) -> list[str]:
    """The order numbers in the order `sort` promises: its field, then the id."""
    field = sort.removeprefix("-")

    def key(order: dict[str, Any]) -> tuple[Any, ...]:
        if field == "number":
            return (int(order["number"].removeprefix("OMS-")),)
        value: Any = order[field]
        value = Decimal(value) if field == "total" else datetime.fromisoformat(value)
        return (value, uuid.UUID(order["id"]))

    ordered = sorted(orders, key=key, reverse=sort.startswith("-"))
    return [order["number"] for order in ordered]


@pytest.fixture
async def placed(
    client: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    engine: AsyncEngine,
    shop: tuple[Product, Product, Product],
) -> list[dict[str, Any]]:
    """Nine orders of two customers: totals that repeat, and three placed at one moment, so
    that every sort has ties for its id to break."""
    lines = [
        (customer, "EBOOK-1", 1),
        (other_customer, "EBOOK-1", 1),
        (customer, "EBOOK-1", 3),
        (other_customer, "CHAIR-1", 1),
        (customer, "EBOOK-1", 1),
        (customer, "CHAIR-1", 2),
        (other_customer, "EBOOK-1", 3),
        (customer, "DESK-1", 1),
        (other_customer, "EBOOK-1", 1),
    ]
    orders = []
    for actor, sku, quantity in lines:
        response = await place(client, actor, [{"sku": sku, "quantity": quantity}])
        assert response.status_code == 201, response.text
        orders.append(response.json())
    same_moment = [order["id"] for order in orders[2:5]]
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE orders SET created_at = :at WHERE id = ANY(CAST(:ids AS uuid[]))"),
            {"at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC), "ids": same_moment},
        )
    listed = await all_pages(client, ORDERS, customer.headers, limit=100)  # re-read: created_at
    theirs = await all_pages(client, ORDERS, other_customer.headers, limit=100)
    return [*listed[0], *theirs[0]]


@pytest.mark.parametrize("sort", SORTS)
async def test_each_sort_pages_through_every_order_once_in_its_order(
    client: AsyncClient, manager: Actor, placed: list[dict[str, Any]], sort: str
) -> None:
    pages = await all_pages(client, ORDERS, manager.headers, limit=2, params={"sort": sort})

    numbers = [order["number"] for page in pages for order in page]
    assert numbers == _expected(placed, sort)
    assert len(pages) == 5


async def test_the_default_sort_is_newest_first(
    client: AsyncClient, manager: Actor, placed: list[dict[str, Any]]
) -> None:
    default = await all_pages(client, ORDERS, manager.headers, limit=3)
    newest = await all_pages(
        client, ORDERS, manager.headers, limit=3, params={"sort": "-created_at"}
    )

    assert default == newest
    assert [o["number"] for page in default for o in page] == _expected(placed, "-created_at")


async def test_a_customer_sorting_still_sees_only_their_own_orders(
    client: AsyncClient, customer: Actor, placed: list[dict[str, Any]]
) -> None:
    pages = await all_pages(client, ORDERS, customer.headers, limit=2, params={"sort": "-total"})

    mine = [o for o in placed if o["customer_id"] == str(customer.user.id)]
    assert [o["number"] for page in pages for o in page] == _expected(mine, "-total")


async def test_a_cursor_belongs_to_the_sort_it_was_issued_for(
    client: AsyncClient, manager: Actor, placed: list[dict[str, Any]]
) -> None:
    issued = {}
    for sort in SORTS:
        page = await client.get(ORDERS, params={"sort": sort, "limit": 1}, headers=manager.headers)
        assert page.status_code == 200
        issued[sort] = page.json()["next_cursor"]

    for sort, cursor in issued.items():
        for other in SORTS:
            response = await client.get(
                ORDERS, params={"sort": other, "cursor": cursor}, headers=manager.headers
            )
            if other == sort:
                assert response.status_code == 200, response.text
            else:
                assert response.status_code == 400, (sort, other)
                assert response.json()["type"] == "urn:oms:problem:invalid-cursor"


@pytest.mark.parametrize(
    "cursor",
    [
        # The listing's cursor before it could be sorted: a bare order number.
        _cursor(["i", 123]),
        # The right shape with the name of a sort that does not exist.
        _cursor(["s", "-price"], ["d", "10.00"], ["u", str(uuid.uuid4())]),
        # Totals no NUMERIC(14, 2) can hold.
        _cursor(["s", "-total"], ["d", "1E+20"], ["u", str(uuid.uuid4())]),
        _cursor(["s", "-total"], ["d", "1000000000000"], ["u", str(uuid.uuid4())]),
        _cursor(["s", "-total"], ["d", "1.001"], ["u", str(uuid.uuid4())]),
        _cursor(["s", "-total"], ["d", "1E-999999"], ["u", str(uuid.uuid4())]),
        _cursor(["s", "-total"], ["d", "NaN"], ["u", str(uuid.uuid4())]),
    ],
)
async def test_a_forged_cursor_is_400(client: AsyncClient, manager: Actor, cursor: str) -> None:
    response = await client.get(
        ORDERS, params={"sort": "-total", "cursor": cursor}, headers=manager.headers
    )

    assert response.status_code == 400, response.text
    assert response.json()["type"] == "urn:oms:problem:invalid-cursor"


async def test_the_largest_total_a_cursor_may_hold_is_taken(
    client: AsyncClient, manager: Actor
) -> None:
    cursor = _cursor(["s", "-total"], ["d", "999999999999.99"], ["u", str(uuid.uuid4())])

    response = await client.get(
        ORDERS, params={"sort": "-total", "cursor": cursor}, headers=manager.headers
    )

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("sort", ["price", "-id", "created", "+total", "", "NUMBER"])
async def test_an_unknown_sort_is_400_naming_it(
    client: AsyncClient, manager: Actor, sort: str
) -> None:
    response = await client.get(ORDERS, params={"sort": sort}, headers=manager.headers)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["in"]) for e in response.json()["errors"]] == [("sort", "query")]


async def test_the_sorts_are_listed_in_the_openapi_document(client: AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()
    [sort] = [
        p for p in document["paths"]["/api/v1/orders"]["get"]["parameters"] if p["name"] == "sort"
    ]
    schema = sort["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]

    assert sorted(schema["enum"]) == sorted(SORTS)
    assert sort["schema"].get("default", schema.get("default")) == "-created_at"


# Free text.


async def test_q_matches_part_of_the_customers_name_in_any_case(
    client: AsyncClient, manager: Actor, customer: Actor, placed: list[dict[str, Any]]
) -> None:
    # The customer is "Cora Customer" (customer@example.test); the other one has no name.
    coras = {o["id"] for o in placed if o["customer_id"] == str(customer.user.id)}

    for q in ("cora", "CORA CUST", "a cus", "  Cora  "):
        pages = await all_pages(client, ORDERS, manager.headers, limit=100, params={"q": q})
        assert {o["id"] for o in pages[0]} == coras, q

    pages = await all_pages(client, ORDERS, manager.headers, limit=100, params={"q": "Dora"})
    assert pages == [[]]


async def test_q_still_matches_the_email_and_the_order_number(
    client: AsyncClient, manager: Actor, other_customer: Actor, placed: list[dict[str, Any]]
) -> None:
    theirs = {o["id"] for o in placed if o["customer_id"] == str(other_customer.user.id)}
    one = placed[0]

    by_email = await all_pages(client, ORDERS, manager.headers, limit=100, params={"q": "OTHER@"})
    by_number = await all_pages(
        client, ORDERS, manager.headers, limit=100, params={"q": one["number"]}
    )
    short_number = one["number"].removeprefix("OMS-").lstrip("0")
    by_digits = await all_pages(
        client, ORDERS, manager.headers, limit=100, params={"q": short_number}
    )

    assert {o["id"] for o in by_email[0]} == theirs
    assert [o["id"] for o in by_number[0]] == [one["id"]]
    assert one["id"] in {o["id"] for o in by_digits[0]}


async def test_q_with_wildcards_matches_them_as_text(
    client: AsyncClient, manager: Actor, placed: list[dict[str, Any]]
) -> None:
    for q in ("cor%", "cor_", "cora\\", "%%%cora"):
        pages = await all_pages(client, ORDERS, manager.headers, limit=100, params={"q": q})
        assert pages == [[]], q


async def test_a_customer_searching_another_customers_name_finds_nothing(
    client: AsyncClient, other_customer: Actor, placed: list[dict[str, Any]]
) -> None:
    pages = await all_pages(client, ORDERS, other_customer.headers, limit=100, params={"q": "cora"})

    assert pages == [[]]


@pytest.mark.parametrize("q", ["co", "a", "e.m", "a b c", "%%%", "__", "ab-cd"])
async def test_q_too_short_for_the_trigram_indexes_is_400(
    client: AsyncClient, manager: Actor, q: str
) -> None:
    response = await client.get(ORDERS, params={"q": q}, headers=manager.headers)

    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "urn:oms:problem:search-too-short"
    assert [(e["field"], e["in"]) for e in problem["errors"]] == [("q", "query")]


@pytest.mark.parametrize("q", ["7", "42", "OMS-7", "oms-000007"])
async def test_a_short_order_number_is_no_text_too_short(
    client: AsyncClient, manager: Actor, q: str
) -> None:
    response = await client.get(ORDERS, params={"q": q}, headers=manager.headers)

    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("column", "index"),
    [
        ("customer_email", "ix_orders_customer_email_trgm"),
        ("customer_name", "ix_orders_customer_name_trgm"),
    ],
)
async def test_the_text_search_can_be_answered_from_a_trigram_index(
    engine: AsyncEngine, clean_database: None, column: str, index: str
) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SET enable_seqscan = off"))
        plan = await connection.scalars(
            text(f"EXPLAIN SELECT id FROM orders WHERE {column} ILIKE '%cora%'")  # noqa: S608
        )
        lines = plan.all()

    assert any(index in line for line in lines), lines
