"""`/customers` for staff: the users with the customer role, their order figures and their
saved addresses."""

import uuid
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth.permissions import Role
from tests.actors import Actor, sign_in_as
from tests.orders.conftest import ADDRESS, Product, place

CUSTOMERS = "/api/v1/customers"


def emails(page: dict[str, Any]) -> list[str]:
    return [item["email"] for item in page["items"]]


async def test_staff_list_only_customers_oldest_first_with_their_order_figures(
    client: AsyncClient,
    admin: Actor,
    manager: Actor,
    customer: Actor,
    other_customer: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    chair = shop[0]
    first = await place(client, customer, [{"sku": chair.sku, "quantity": 1}])
    second = await place(client, customer, [{"sku": chair.sku, "quantity": 1}])
    assert (first.status_code, second.status_code) == (201, 201)

    for staff in (admin, manager):
        response = await client.get(CUSTOMERS, headers=staff.headers)

        assert response.status_code == 200, response.text
        page = response.json()
        assert page["next_cursor"] is None
        assert emails(page) == ["customer@example.test", "other@example.test"]
        cora, other = page["items"]
        assert set(cora) == {
            "id",
            "email",
            "name",
            "active",
            "created_at",
            "order_count",
            "last_order_at",
        }
        assert (cora["id"], cora["name"], cora["active"]) == (
            str(customer.user.id),
            "Cora Customer",
            True,
        )
        assert cora["order_count"] == 2
        assert datetime.fromisoformat(cora["last_order_at"]) == datetime.fromisoformat(
            second.json()["created_at"]
        )
        assert (other["order_count"], other["last_order_at"], other["name"]) == (0, None, "")


async def test_the_list_pages_by_cursor(app: FastAPI, client: AsyncClient, admin: Actor) -> None:
    for number in range(5):
        await sign_in_as(app, f"c{number}@example.test", frozenset({Role.CUSTOMER}))

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(CUSTOMERS, params=params, headers=admin.headers)).json()
        seen += emails(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [f"c{number}@example.test" for number in range(5)]


async def test_q_finds_part_of_the_email_or_the_name_ignoring_case(
    app: FastAPI, client: AsyncClient, admin: Actor
) -> None:
    await sign_in_as(app, "ada@shop.test", frozenset({Role.CUSTOMER}), full_name="Ada Byron")
    await sign_in_as(app, "bob@shop.test", frozenset({Role.CUSTOMER}), full_name="Bob 100%")
    await sign_in_as(app, "byron@staff.test", frozenset({Role.MANAGER}), full_name="Byron")

    async def found(q: str) -> list[str]:
        response = await client.get(CUSTOMERS, params={"q": q}, headers=admin.headers)
        assert response.status_code == 200, response.text
        return emails(response.json())

    assert await found("BYRON") == ["ada@shop.test"], "staff are no customers"
    assert await found("Bob@") == ["bob@shop.test"]
    assert await found("shop.TEST") == ["ada@shop.test", "bob@shop.test"]
    assert await found("100%") == ["bob@shop.test"]
    assert await found("%") == ["bob@shop.test"], "% is searched for literally"
    assert await found("nobody") == []


async def test_a_customer_is_read_with_their_saved_addresses(
    client: AsyncClient, manager: Actor, customer: Actor, other_customer: Actor
) -> None:
    for label in ("Home", "Work"):
        saved = await client.post(
            "/api/v1/me/addresses", json={**ADDRESS, "label": label}, headers=customer.headers
        )
        assert saved.status_code == 201, saved.text
    await client.post(
        "/api/v1/me/addresses", json={**ADDRESS, "label": "Other's"}, headers=other_customer.headers
    )

    response = await client.get(f"{CUSTOMERS}/{customer.user.id}", headers=manager.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["email"], body["order_count"], body["last_order_at"]) == (
        "customer@example.test",
        0,
        None,
    )
    assert [address["label"] for address in body["addresses"]] == ["Home", "Work"]
    assert body["addresses"][0]["city"] == ADDRESS["city"]
    own = await client.get("/api/v1/me/addresses", headers=customer.headers)
    assert body["addresses"] == own.json()["items"]


async def test_a_deactivated_customer_is_listed_as_inactive(
    client: AsyncClient, admin: Actor, customer: Actor
) -> None:
    deactivated = await client.patch(
        f"/api/v1/users/{customer.user.id}", json={"is_active": False}, headers=admin.headers
    )
    assert deactivated.status_code == 200

    listed = await client.get(CUSTOMERS, headers=admin.headers)
    read = await client.get(f"{CUSTOMERS}/{customer.user.id}", headers=admin.headers)

    assert [item["active"] for item in listed.json()["items"]] == [False]
    assert read.json()["active"] is False


async def test_a_user_who_is_no_customer_or_no_user_is_404(
    client: AsyncClient, admin: Actor, manager: Actor
) -> None:
    for user_id in (manager.user.id, admin.user.id, uuid.uuid4()):
        response = await client.get(f"{CUSTOMERS}/{user_id}", headers=admin.headers)

        assert response.status_code == 404, response.text
        assert response.json()["type"] == "urn:oms:problem:customer-not-found"
    malformed = await client.get(f"{CUSTOMERS}/not-an-id", headers=admin.headers)
    assert malformed.status_code == 400


async def test_customers_and_anonymous_callers_cannot_read_customers(
    client: AsyncClient, customer: Actor, other_customer: Actor
) -> None:
    for url in (CUSTOMERS, f"{CUSTOMERS}/{other_customer.user.id}"):
        refused = await client.get(url, headers=customer.headers)
        anonymous = await client.get(url)

        assert refused.status_code == 403, url
        assert refused.json()["permission"] == "customers:read"
        assert "other@example.test" not in refused.text
        assert anonymous.status_code == 401, url


async def test_bad_query_parameters_are_400(client: AsyncClient, admin: Actor) -> None:
    for params in ({"q": ""}, {"q": "x" * 321}, {"limit": 0}, {"cursor": "not-a-cursor"}):
        response = await client.get(CUSTOMERS, params=params, headers=admin.headers)

        assert response.status_code == 400, (params, response.text)


async def test_a_search_is_answered_from_the_trigram_indexes(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO users (email, full_name, roles)"
                " SELECT 'user' || n || '@shop' || (n % 50) || '.test', 'Name ' || n,"
                " ARRAY['customer'] FROM generate_series(1, 20000) AS n"
            )
        )
        await connection.execute(text("ANALYZE users"))
        plan = "\n".join(
            row[0]
            for row in await connection.execute(
                text(
                    "EXPLAIN SELECT * FROM users WHERE (email ILIKE '%user1234@%'"
                    " OR full_name ILIKE '%user1234@%') AND roles @> ARRAY['customer']"
                    " ORDER BY created_at, id LIMIT 21"
                )
            )
        )

    assert "ix_users_email_trgm" in plan, plan
    assert "ix_users_full_name_trgm" in plan, plan
    found = await client.get(CUSTOMERS, params={"q": "user1234@"}, headers=admin.headers)
    assert emails(found.json()) == ["user1234@shop34.test"]
