"""GET /api/v1/orders/export.csv: the orders the listing's filters select, in the listing's
order, as CSV that a spreadsheet opens safely; staff only."""

import csv
import io
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from oms.auth.permissions import Role
from tests.actors import Actor, sign_in_as
from tests.orders.conftest import ORDERS, Product, place
from tests.pagination import all_pages

EXPORT = f"{ORDERS}/export.csv"
COLUMNS = [
    "number",
    "created_at",
    "status",
    "status_name",
    "customer_email",
    "customer_name",
    "item_count",
    "total",
    "currency",
]


def _rows(body: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(body))
    header = next(reader)
    assert header == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in reader]


async def _export(client: AsyncClient, actor: Actor, **params: Any) -> list[dict[str, str]]:
    response = await client.get(EXPORT, params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="orders.csv"'
    return _rows(response.text)


@pytest.fixture
async def orders(
    client: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    manager: Actor,
    shop: tuple[Product, Product, Product],
) -> list[dict[str, Any]]:
    placed = []
    for actor, items in (
        (customer, [{"sku": "CHAIR-1", "quantity": 2}, {"sku": "EBOOK-1", "quantity": 1}]),
        (other_customer, [{"sku": "DESK-1", "quantity": 1}]),
        (customer, [{"sku": "EBOOK-1", "quantity": 4}]),
    ):
        response = await place(client, actor, items)
        assert response.status_code == 201, response.text
        placed.append(response.json())
    moved = await client.patch(
        f"{ORDERS}/{placed[1]['id']}/status", json={"status": "confirmed"}, headers=manager.headers
    )
    assert moved.status_code == 200
    placed[1] = moved.json()
    return placed


async def test_staff_export_every_order_newest_first_with_each_column(
    client: AsyncClient, manager: Actor, orders: list[dict[str, Any]]
) -> None:
    rows = await _export(client, manager)

    chairs, desk, ebooks = orders
    assert rows == [
        {
            "number": order["number"],
            "created_at": datetime.fromisoformat(order["created_at"]).isoformat(),
            "status": order["status"],
            "status_name": name,
            "customer_email": order["customer_email"],
            "customer_name": order["customer_name"] or "",
            "item_count": units,
            "total": order["total"],
            "currency": order["currency"],
        }
        for order, name, units in (
            (ebooks, "New", "4"),
            (desk, "Confirmed", "1"),
            (chairs, "New", "3"),
        )
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "total"},
        {"sort": "-number"},
        {"status": "confirmed"},
        {"status": ["new", "confirmed"], "sort": "-total"},
        {"q": "cora"},
        {"q": "other@"},
        {"created_to": "2000-01-01T00:00:00Z"},
    ],
)
async def test_the_export_selects_and_orders_as_the_listing_does(
    client: AsyncClient, manager: Actor, orders: list[dict[str, Any]], params: dict[str, Any]
) -> None:
    pages = await all_pages(client, ORDERS, manager.headers, limit=1, params=params)

    rows = await _export(client, manager, **params)

    assert [row["number"] for row in rows] == [o["number"] for page in pages for o in page]


async def test_a_cell_a_spreadsheet_would_run_as_a_formula_stays_text(
    app: FastAPI, client: AsyncClient, manager: Actor, shop: tuple[Product, Product, Product]
) -> None:
    for n, name in enumerate(('=HYPERLINK("http://x")', "+1 555", "@SUM(A1)", "-2", "Plain")):
        shopper = await sign_in_as(
            app, f"shopper{n}@example.test", frozenset({Role.CUSTOMER}), full_name=name
        )
        placed = await place(client, shopper, [{"sku": "EBOOK-1", "quantity": 1}])
        assert placed.status_code == 201

    rows = await _export(client, manager, sort="number")

    assert [row["customer_name"] for row in rows] == [
        '\'=HYPERLINK("http://x")',
        "'+1 555",
        "'@SUM(A1)",
        "'-2",
        "Plain",
    ]


async def test_an_empty_selection_is_the_header_alone(
    client: AsyncClient, manager: Actor, orders: list[dict[str, Any]]
) -> None:
    response = await client.get(EXPORT, params={"q": "nobody-at-all"}, headers=manager.headers)

    assert response.status_code == 200
    assert response.text == ",".join(COLUMNS) + "\r\n"


async def test_only_staff_who_read_every_order_may_export(
    client: AsyncClient, customer: Actor, admin: Actor, orders: list[dict[str, Any]]
) -> None:
    refused = await client.get(EXPORT, headers=customer.headers)
    anonymous = await client.get(EXPORT)

    assert refused.status_code == 403
    assert refused.json()["permission"] == "orders:read-all"
    assert anonymous.status_code == 401
    assert len(await _export(client, admin)) == 3


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"q": "co"}, "search-too-short"),
        ({"sort": "price"}, "validation"),
        ({"created_from": "yesterday"}, "validation"),
        ({"customer_id": "not-an-id"}, "validation"),
    ],
)
async def test_bad_filters_are_a_400_problem_not_a_broken_file(
    client: AsyncClient, manager: Actor, params: dict[str, str], problem: str
) -> None:
    response = await client.get(EXPORT, params=params, headers=manager.headers)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == f"urn:oms:problem:{problem}"
