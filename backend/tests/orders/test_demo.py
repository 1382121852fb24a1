"""The demo seed places a few orders for the demo customer, once."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth import service as auth
from oms.seed import seed_demo
from tests.actors import Actor
from tests.orders.conftest import ORDERS, count, outbox


async def test_the_demo_seed_places_orders_once(
    app: Any, client: AsyncClient, engine: AsyncEngine, monkeypatch: Any
) -> None:
    monkeypatch.setenv("OMS_DEMO_PASSWORD", "demo-password-123")
    for _ in range(2):
        async with app.state.sessions() as session, session.begin():
            await seed_demo(session)

    assert await count(engine, "orders") == 4
    assert len(await outbox(engine, "order.created")) == 4
    assert len(await outbox(engine, "order.status_changed")) == 5
    ring = await app.state.keys.ring()
    async with app.state.sessions() as session:
        [found] = (await auth.list_users(session, search="customer@example.com")).items
        user = await auth.require_user(session, found.id)
    actor = Actor(user=user, token=auth.access_token_for(user, ring, app.state.settings))
    page = (await client.get(ORDERS, headers=actor.headers)).json()
    assert sorted(order["status"] for order in page["items"]) == [
        "cancelled",
        "confirmed",
        "new",
        "shipped",
    ]
