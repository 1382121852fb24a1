"""End to end through the real order API: orders placed and moved through the demo workflow
produce the right emails, signed webhooks and warehouse movements, exactly once each, and
the inventory worker never gives stock back a second time."""

import json
import uuid
from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from oms.pipeline import Pipeline
from oms.products import service as products
from oms.products.schemas import CategoryCreate, ProductCreate
from oms.workflow import demo as workflow_demo
from tests.actors import Actor
from tests.events.services import HttpReceiver, SmtpServer, eventually
from tests.events.test_pipeline import create_configuration, deliveries, webhook_secret
from tests.products.conftest import LIMITS

ADDRESS: dict[str, str] = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}


async def _shop(sessions: async_sessionmaker[AsyncSession]) -> uuid.UUID:
    async with sessions() as session, session.begin():
        await workflow_demo.seed_demo_workflow(session)
        category = await products.create_category(
            session,
            CategoryCreate(code="kettles", name="Kettles"),
            limits=LIMITS,
        )
        product = await products.create_product(
            session,
            ProductCreate(
                sku="KETTLE-1",
                name="Kettle",
                category_id=category.id,
                price=Decimal("19.99"),
                stock=5,
            ),
            limits=LIMITS,
        )
        return product.id


async def _stock(sessions: async_sessionmaker[AsyncSession], product_id: uuid.UUID) -> int | None:
    async with sessions() as session:
        product = await products.get_product(session, product_id, include_inactive=True)
        return product.stock


async def _place(client: AsyncClient, actor: Actor, product_id: uuid.UUID, quantity: int) -> str:
    response = await client.post(
        "/api/v1/orders",
        json={
            "items": [{"product_id": str(product_id), "quantity": quantity}],
            "shipping_address": ADDRESS,
        },
        headers=actor.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _move(client: AsyncClient, actor: Actor, order_id: str, status: str) -> dict[str, Any]:
    response = await client.patch(
        f"/api/v1/orders/{order_id}/status",
        json={"status": status, "note": f"now {status}"},
        headers=actor.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_orders_through_the_api_reach_every_worker_exactly_once(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    manager: Actor,
    customer: Actor,
    receiver: HttpReceiver,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    product_id = await _shop(sessions)
    await create_configuration(
        client,
        admin,
        {
            "worker_type": "email",
            "name": "Customer notifications",
            "trigger_statuses": ["new", "shipped", "cancelled"],
            "settings": {"send_to_customer": True},
        },
    )
    webhook_id = await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    await create_configuration(
        client,
        admin,
        {
            "worker_type": "inventory",
            "name": "Warehouse",
            "trigger_events": ["order.status_changed"],
            "trigger_statuses": ["cancelled", "returned"],
            "settings": {"warehouse_url": receiver.url("/warehouse")},
        },
    )

    shipped = await _place(client, customer, product_id, 2)
    for status in ("confirmed", "processing", "shipped"):
        await _move(client, manager, shipped, status)
    cancelled = await _place(client, customer, product_id, 1)
    await _move(client, customer, cancelled, "cancelled")

    async def all_done() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 4 + 6 + 1

    await eventually(all_done)

    # Stock: 5 - 2 - 1 + 1 (the orders module releases the cancelled order) = 3, and the
    # inventory worker, set to tell the warehouse only, did not release it again.
    assert await _stock(sessions, product_id) == 3

    hooks = receiver.at("/hook")
    verifier = Webhook(await webhook_secret(sessions, webhook_id))
    seen = [verifier.verify(hook.body, hook.headers) for hook in hooks]
    assert len({event["id"] for event in seen}) == len(seen) == 6
    changes = sorted(
        (
            event["order_id"],
            event["data"]["previous_status"]["code"],
            event["data"]["order"]["status"]["code"],
        )
        for event in seen
        if event["type"] == "order.status_changed"
    )
    assert changes == sorted(
        [
            (shipped, "new", "confirmed"),
            (shipped, "confirmed", "processing"),
            (shipped, "processing", "shipped"),
            (cancelled, "new", "cancelled"),
        ]
    )

    [movement] = [json.loads(request.body) for request in receiver.at("/warehouse")]
    assert movement["order_id"] == cancelled
    assert movement["items"] == [{"product_id": str(product_id), "sku": "KETTLE-1", "quantity": 1}]

    subjects = sorted(mail.message["Subject"] for mail in smtp.mails)
    assert len(subjects) == 4
    assert sum(subject.startswith("Thank you for your order") for subject in subjects) == 2
    assert sum(subject.endswith("has shipped") for subject in subjects) == 1
    assert sum(subject.endswith("was cancelled") for subject in subjects) == 1
    assert all(mail.recipients == [customer.user.email] for mail in smtp.mails)
