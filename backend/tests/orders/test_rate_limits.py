"""Placing orders is rate-limited per user and per client address (429 with `Retry-After`);
the limits of one user, of one address and of anonymous sign-in are counted apart."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response

from oms.core.settings import Settings
from tests.actors import Actor
from tests.auth.conftest import client_from
from tests.auth.helpers import login
from tests.orders.conftest import Product, place


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "rate_limit_orders_per_user": "2/minute",
            "rate_limit_orders_per_address": "3/minute",
            "rate_limit_password_checks_per_address": "1/minute",
        }
    )


@pytest.fixture
async def office(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with client_from(app, "10.0.0.1") as client:
        yield client


async def _order(client: AsyncClient, actor: Actor, product: Product) -> Response:
    return await place(client, actor, [{"product_id": str(product.id), "quantity": 1}])


async def test_a_user_placing_orders_too_fast_gets_429_with_retry_after(
    office: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    ebook = shop[2]
    placed = [await _order(office, customer, ebook) for _ in range(2)]
    refused = await _order(office, customer, ebook)

    assert [response.status_code for response in placed] == [201, 201]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:oms:problem:too-many-requests"
    assert 1 <= int(refused.headers["retry-after"]) <= 60


async def test_one_users_limit_leaves_another_user_at_the_same_address_alone(
    office: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    ebook = shop[2]
    for _ in range(2):
        await _order(office, customer, ebook)

    assert (await _order(office, customer, ebook)).status_code == 429
    assert (await _order(office, other_customer, ebook)).status_code == 201


async def test_an_address_is_limited_for_all_its_users_together(
    app: FastAPI,
    office: AsyncClient,
    customer: Actor,
    other_customer: Actor,
    shop: tuple[Product, Product, Product],
) -> None:
    ebook = shop[2]
    for actor in (customer, customer, other_customer):
        assert (await _order(office, actor, ebook)).status_code == 201
    refused_here = await _order(office, other_customer, ebook)
    async with client_from(app, "10.0.0.2") as home:
        from_elsewhere = await _order(home, other_customer, ebook)

    assert refused_here.status_code == 429
    assert from_elsewhere.status_code == 201


async def test_anonymous_sign_in_limits_and_a_users_order_limits_are_apart(
    office: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    await login(office, "nobody@example.com", "not a password")
    sign_in_refused = await login(office, "nobody@example.com", "not a password")
    order = await _order(office, customer, shop[2])

    assert sign_in_refused.status_code == 429
    assert order.status_code == 201


async def test_a_request_without_a_token_is_401_not_counted(
    office: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> None:
    anonymous = [await office.post("/api/v1/orders", json={}) for _ in range(4)]

    assert [response.status_code for response in anonymous] == [401] * 4
    assert (await _order(office, customer, shop[2])).status_code == 201
