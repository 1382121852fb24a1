"""The event contract as it travels: envelopes the orders module records for an order placed
and moved through the API, really published on each transport, satisfy the AsyncAPI
document; a worker dead-letters an envelope of another shape at once."""

import asyncio
import json
import uuid
from decimal import Decimal
from typing import Any

import aio_pika
import jsonschema
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.core.settings import Settings
from oms.outbox.asyncapi import asyncapi_document
from oms.outbox.events import EXCHANGE, Envelope, WorkerType
from oms.outbox.models import OutboxEvent, QueueMessage
from oms.outbox.relay import relay_pending_events
from oms.outbox.transport.amqp import AmqpTransport, declare_topology
from oms.outbox.transport.base import Transport
from oms.outbox.transport.embedded import EmbeddedTransport
from oms.pipeline import Pipeline
from oms.products import service as products
from oms.products.schemas import CategoryCreate, ProductCreate
from tests.actors import Actor
from tests.events.services import eventually
from tests.products.conftest import LIMITS

ADDRESS = {
    "name": "Cora Customer",
    "line1": "1 Contract Lane",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


def _validator(message: str) -> jsonschema.protocols.Validator:
    document = asyncapi_document()
    payload = document["components"]["messages"][message]["payload"]
    schema = {**payload, "components": document["components"]}
    validator_class = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=jsonschema.FormatChecker())


async def _published_on_rabbitmq(settings: Settings, publish: Any) -> list[dict[str, Any]]:
    """Bodies of what the relay published, read from a queue bound to the exchange."""
    assert settings.amqp_url
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel()
        await declare_topology(channel, settings)
        exchange = await channel.get_exchange(EXCHANGE)
        tap = await channel.declare_queue(exclusive=True)
        await tap.bind(exchange, routing_key="order.#")
        await publish(AmqpTransport(settings))
        bodies: list[dict[str, Any]] = []
        for _ in range(100):
            message = await tap.get(no_ack=True, fail=False)
            if message is None:
                if len(bodies) >= 2:
                    break
                await asyncio.sleep(0.05)
                continue
            assert message.content_type == "application/json"
            assert message.type == json.loads(message.body)["type"]
            bodies.append(json.loads(message.body))
        return bodies
    finally:
        await connection.close()


async def _published_on_the_embedded_queue(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, settings: Settings
) -> list[dict[str, Any]]:
    async def publish(transport: Transport) -> None:
        await relay_pending_events(sessions, transport)

    await publish(EmbeddedTransport(settings, engine))
    async with sessions() as session:
        rows = await session.scalars(
            select(QueueMessage)
            .where(QueueMessage.worker == WorkerType.WEBHOOK)
            .order_by(QueueMessage.id)
        )
        return [row.body["envelope"] for row in rows]


async def _order_placed_and_confirmed(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    sessions: async_sessionmaker[AsyncSession],
) -> str:
    """An order placed by the customer and confirmed by a manager through the API: the orders
    module records one `order.created` and one `order.status_changed`."""
    async with sessions() as session, session.begin():
        category = await products.create_category(
            session, CategoryCreate(code="kettles", name="Kettles"), limits=LIMITS
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
    placed = await client.post(
        "/api/v1/orders",
        json={
            "items": [{"product_id": str(product.id), "quantity": 2}],
            "shipping_address": ADDRESS,
            "note": "ring twice",
        },
        headers=customer.headers,
    )
    assert placed.status_code == 201, placed.text
    order_id = str(placed.json()["id"])
    moved = await client.patch(
        f"/api/v1/orders/{order_id}/status",
        json={"status": "confirmed", "note": "paid"},
        headers=manager.headers,
    )
    assert moved.status_code == 200, moved.text
    return order_id


async def test_published_envelopes_of_both_types_satisfy_the_asyncapi_document(
    event_settings: Settings,
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    pipeline_engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    order_id = await _order_placed_and_confirmed(client, customer, manager, sessions)

    if event_settings.amqp_url:

        async def publish(transport: Transport) -> None:
            try:
                await relay_pending_events(sessions, transport)
            finally:
                await transport.close()

        published = await _published_on_rabbitmq(event_settings, publish)
    else:
        published = await _published_on_the_embedded_queue(
            sessions, pipeline_engine, event_settings
        )

    assert [body["type"] for body in published] == ["order.created", "order.status_changed"]
    assert {body["order_id"] for body in published} == {order_id}
    validators = {
        "order.created": _validator("orderCreated"),
        "order.status_changed": _validator("orderStatusChanged"),
    }
    for body in published:
        validators[body["type"]].validate(body)
        other = next(v for t, v in validators.items() if t != body["type"])
        assert not other.is_valid(body), "each message type has a schema of its own"
    created, status_change = published
    assert created["version"] == status_change["version"] == 2
    assert created["test"] is status_change["test"] is False
    # What a receiver needs without calling back, as the orders module filled it in.
    order = created["data"]["order"]
    assert order["id"] == order_id
    assert order["status"] == {"code": "new", "name": "New"}
    assert order["customer"] == {
        "id": str(customer.user.id),
        "email": customer.user.email,
        "name": "Cora Customer",
    }
    assert order["items"] == [
        {
            "product_id": order["items"][0]["product_id"],
            "sku": "KETTLE-1",
            "name": "Kettle",
            "quantity": 2,
            "unit_price": "19.99",
            "line_total": "39.98",
        }
    ]
    assert order["totals"] == {"items": "39.98", "total": "39.98"}
    assert order["shipping_address"]["line1"] == ADDRESS["line1"]
    assert order["note"] == "ring twice"
    assert created["data"]["actor"] == {"id": str(customer.user.id), "email": customer.user.email}
    assert status_change["data"]["previous_status"] == {"code": "new", "name": "New"}
    assert status_change["data"]["order"]["status"] == {"code": "confirmed", "name": "Confirmed"}
    assert status_change["data"]["actor"] == {
        "id": str(manager.user.id),
        "email": manager.user.email,
    }
    assert status_change["data"]["note"] == "paid"
    # The document refuses what the contract refuses: an envelope of version 1's shape.
    legacy = {**status_change, "version": 1, "data": {"status": "confirmed"}}
    assert not validators["order.status_changed"].is_valid(legacy)


async def test_an_envelope_of_another_version_is_dead_lettered_without_an_attempt(
    event_settings: Settings,
    clean_database: None,
    pipeline_engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """An event recorded before an upgrade changed the envelope cannot be read by the new
    workers: it goes to the dead letters at once, where it can be seen, not round the
    retries."""
    event_id = uuid.uuid4()
    async with sessions() as session, session.begin():
        session.add(
            OutboxEvent(
                id=event_id,
                type="order.created",
                version=1,
                order_id=uuid.uuid4(),
                data={"id": str(uuid.uuid4()), "status": "new"},
            )
        )
    pipeline = Pipeline(event_settings, pipeline_engine, workers=[WorkerType.WEBHOOK])
    await pipeline.start()
    try:
        if event_settings.amqp_url:
            connection = await aio_pika.connect(event_settings.amqp_url)
            try:
                channel = await connection.channel()
                dead = await channel.declare_queue(
                    "oms.webhook.dead", durable=True, arguments={"x-queue-type": "quorum"}
                )
                found: list[Envelope] = []

                async def dead_lettered() -> bool:
                    message = await dead.get(no_ack=True, fail=False)
                    if message is not None:
                        found.append(Envelope.model_validate_json(message.body))
                    return bool(found)

                await eventually(dead_lettered)
                assert found[0].id == event_id
            finally:
                await connection.close()
        else:

            async def dead_row() -> bool:
                async with sessions() as session:
                    row = await session.scalar(
                        select(QueueMessage).where(
                            QueueMessage.event_id == event_id,
                            QueueMessage.worker == WorkerType.WEBHOOK,
                        )
                    )
                return row is not None and row.state == "dead"

            await eventually(dead_row)
            async with sessions() as session:
                row = await session.scalar(
                    select(QueueMessage).where(
                        QueueMessage.event_id == event_id,
                        QueueMessage.worker == WorkerType.WEBHOOK,
                    )
                )
            assert row is not None
            assert row.attempt == 1
            assert "envelope version 2" in (row.last_error or "")
    finally:
        await pipeline.stop()
