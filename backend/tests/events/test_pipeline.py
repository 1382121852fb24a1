"""Events flow from the outbox through the transport to the workers: the right emails,
signed webhooks and stock movements, exactly once each; retries, dead letters and replay.
Every test runs on RabbitMQ and on the embedded PostgreSQL queue."""

import json
import uuid
from email.message import Message
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from oms.integrations.models import Delivery
from oms.outbox.events import ENVELOPE_VERSION
from oms.outbox.models import OutboxEvent
from oms.pipeline import Pipeline
from tests.actors import Actor
from tests.events.conftest import record_created, record_status
from tests.events.services import HttpReceiver, SmtpServer, eventually


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def create_configuration(client: AsyncClient, admin: Actor, body: dict[str, Any]) -> str:
    response = await client.post("/api/v1/worker-configurations", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def webhook_secret(sessions: async_sessionmaker[AsyncSession], configuration_id: str) -> str:
    from oms.integrations.models import WorkerConfiguration

    async with sessions() as session:
        row = await session.get(WorkerConfiguration, uuid.UUID(configuration_id))
        assert row is not None
        return str(row.settings["secret"])


async def deliveries(sessions: async_sessionmaker[AsyncSession], **filters: Any) -> list[Delivery]:
    async with sessions() as session:
        query = select(Delivery).order_by(Delivery.started_at)
        for name, value in filters.items():
            query = query.where(getattr(Delivery, name) == value)
        return list((await session.scalars(query)).all())


async def unpublished(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        count = await session.scalar(select(func.count()).where(OutboxEvent.published_at.is_(None)))
        return int(count or 0)


async def test_events_reach_email_webhook_and_inventory_exactly_once(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    current = await client.get("/api/v1/branding")
    branded = await client.put(
        "/api/v1/branding",
        json={
            "shop_name": "Kettle & Co",
            "primary_colour": "#112233",
            "accent_colour": "#445566",
            "currency": "EUR",
            "locale": "de-DE",
        },
        headers={**admin.headers, "If-Match": current.headers["ETag"]},
    )
    assert branded.status_code == 200, branded.text
    email_id = await create_configuration(
        client,
        admin,
        {
            "worker_type": "email",
            "name": "Customer notifications",
            "trigger_statuses": ["pending", "shipped", "cancelled"],
            "settings": {"send_to_customer": True, "recipients": ["ops@example.com"]},
        },
    )
    webhook_id = await create_configuration(
        client,
        admin,
        {
            "worker_type": "webhook",
            "name": "ERP",
            "settings": {"url": receiver.url("/hook")},
        },
    )
    inventory_id = await create_configuration(
        client,
        admin,
        {
            "worker_type": "inventory",
            "name": "Warehouse returns",
            "trigger_events": ["order.status_changed"],
            "trigger_statuses": ["cancelled"],
            "settings": {"warehouse_url": receiver.url("/warehouse"), "direction": "in"},
        },
    )
    order_id = uuid.uuid4()
    created = await record_created(sessions, order_id)
    confirmed = await record_status(sessions, order_id, "pending", "confirmed")
    shipped = await record_status(sessions, order_id, "confirmed", "shipped")
    cancelled = await record_status(
        sessions, order_id, "shipped", "cancelled", note="<script>alert(1)</script>"
    )

    async def all_done() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 3 + 4 + 1

    await eventually(all_done)

    # Webhooks: one per event, each verified with the configuration's secret. (Workers
    # handle messages concurrently, so arrival order is not asserted.)
    hooks = sorted(receiver.at("/hook"), key=lambda hook: json.loads(hook.body)["occurred_at"])
    assert sorted(json.loads(hook.body)["id"] for hook in hooks) == sorted(
        str(event) for event in (created, confirmed, shipped, cancelled)
    )
    verifier = Webhook(await webhook_secret(sessions, webhook_id))
    for hook in hooks:
        payload = verifier.verify(hook.body, hook.headers)
        assert payload["order_id"] == str(order_id)
        assert payload["version"] == ENVELOPE_VERSION == 2
        assert hook.headers["webhook-id"] == payload["id"]
    by_id = {json.loads(hook.body)["id"]: json.loads(hook.body) for hook in hooks}
    assert by_id[str(cancelled)]["data"]["order"]["status"]["code"] == "cancelled"
    assert by_id[str(created)]["type"] == "order.created"

    # Stock: one movement, for the cancellation only, signed as well.
    movements = receiver.at("/warehouse")
    assert len(movements) == 1
    movement = json.loads(movements[0].body)
    assert movement["direction"] == "in"
    assert movement["items"] == [
        {"product_id": str(uuid.UUID(int=1)), "sku": "KET-1", "quantity": 2}
    ]
    Webhook(await webhook_secret(sessions, inventory_id)).verify(
        movements[0].body, movements[0].headers
    )

    # Mail: created, shipped and cancelled (not confirmed), to the customer and ops.
    subjects = sorted(mail.message["Subject"] for mail in smtp.mails)
    assert subjects == [
        "Thank you for your order OMS-001001",
        "Your order OMS-001001 has shipped",
        "Your order OMS-001001 was cancelled",
    ]
    for mail in smtp.mails:
        assert mail.recipients == ["buyer@example.test", "ops@example.com"]
    cancel_mail = next(m.message for m in smtp.mails if "cancelled" in m.message["Subject"])
    html = next(p for p in cancel_mail.walk() if p.get_content_type() == "text/html")
    text = next(p for p in cancel_mail.walk() if p.get_content_type() == "text/plain")
    html_body = _decoded(html)
    text_body = _decoded(text)
    assert "Kettle &amp; Co" in html_body
    assert "#112233" in html_body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_body
    assert "<script>" not in html_body
    assert "Kettle &lt;Deluxe&gt;" in html_body
    assert "Reason: <script>alert(1)</script>" in text_body
    assert "Kettle & Co" in text_body

    # Nothing more arrives: each effect happened once.
    assert await unpublished(sessions) == 0
    assert len(await deliveries(sessions, configuration_id=uuid.UUID(email_id))) == 3
    assert len(receiver.requests) == 5
    assert len(smtp.mails) == 3


async def test_a_redelivered_event_is_not_acted_on_twice(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    webhook_id = await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    await create_configuration(
        client,
        admin,
        {"worker_type": "email", "name": "Mail", "settings": {"send_to_customer": True}},
    )
    order_id = uuid.uuid4()
    event_id = await record_created(sessions, order_id)

    async def delivered() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 2

    await eventually(delivered)
    # The same event arrives again (as after a lost ack), for every worker.
    async with sessions() as session, session.begin():
        original = await session.scalar(select(OutboxEvent).where(OutboxEvent.id == event_id))
        assert original is not None
        for worker, configuration in (("webhook", webhook_id), ("email", None)):
            session.add(
                OutboxEvent(
                    id=original.id,
                    type=original.type,
                    version=original.version,
                    order_id=original.order_id,
                    data=original.data,
                    target_worker=worker,
                    target_configuration_id=uuid.UUID(configuration) if configuration else None,
                )
            )

    async def republished() -> bool:
        return await unpublished(sessions) == 0

    await eventually(republished)
    # Let the workers take the duplicates: a marker event after them is handled in turn.
    marker = await record_status(sessions, order_id, "pending", "confirmed")

    async def marker_done() -> bool:
        return len(await deliveries(sessions, event_id=marker)) == 2

    await eventually(marker_done)
    assert sorted(json.loads(r.body)["id"] for r in receiver.requests) == sorted(
        [str(event_id), str(marker)]
    )
    assert len(smtp.mails) == 2
    assert len(await deliveries(sessions, event_id=event_id)) == 2


async def test_a_receiver_failing_twice_then_succeeding_gets_three_attempts(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    receiver.script = [500, 502]
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    event_id = await record_created(sessions, uuid.uuid4())

    async def succeeded() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 1

    await eventually(succeeded)
    log = await deliveries(sessions, event_id=event_id)
    assert [(d.attempt, d.status, d.response) for d in log] == [
        (1, "failed", "500"),
        (2, "failed", "502"),
        (3, "succeeded", "200"),
    ]
    assert "HTTP 500" in (log[0].error or "")
    assert len(receiver.requests) == 3
    assert {r.headers["webhook-id"] for r in receiver.requests} == {str(event_id)}


async def test_an_always_failing_receiver_is_dead_lettered_after_four_attempts_then_replayed(
    pipeline: Pipeline,
    mode: str,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    receiver.default_status = 503
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    event_id = await record_created(sessions, uuid.uuid4())

    async def dead() -> bool:
        return len(await deliveries(sessions, status="dead")) == 1

    await eventually(dead)
    log = await deliveries(sessions, event_id=event_id)
    assert [(d.attempt, d.status) for d in log] == [
        (1, "failed"),
        (2, "failed"),
        (3, "failed"),
        (4, "dead"),
    ]
    assert len(receiver.requests) == 4
    assert await dead_letters(pipeline, mode, "webhook") == 1

    listed = await client.get(
        "/api/v1/deliveries", params={"status": "dead", "worker": "webhook"}, headers=admin.headers
    )
    assert listed.status_code == 200
    [dead_delivery] = listed.json()["items"]

    receiver.default_status = 204
    replay = await client.post(
        f"/api/v1/deliveries/{dead_delivery['id']}/replay", headers=admin.headers
    )
    assert replay.status_code == 202, replay.text
    assert replay.json()["event_id"] == str(event_id)

    async def replayed() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 1

    await eventually(replayed)
    final = await deliveries(sessions, event_id=event_id)
    assert [(d.attempt, d.status) for d in final][-1] == (5, "succeeded")
    assert len(receiver.requests) == 5

    again = await client.post(
        f"/api/v1/deliveries/{dead_delivery['id']}/replay", headers=admin.headers
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


async def dead_letters(pipeline: Pipeline, mode: str, worker: str) -> int:
    if mode == "rabbitmq":
        import aio_pika

        from oms.outbox.transport.amqp import dead_queue

        assert pipeline.settings.amqp_url
        connection = await aio_pika.connect(pipeline.settings.amqp_url)
        try:
            channel = await connection.channel()
            queue = await channel.get_queue(dead_queue(worker), ensure=True)
            declared = await queue.declare()
            return int(declared.message_count or 0)
        finally:
            await connection.close()
    from oms.outbox.models import QueueMessage

    async with pipeline.sessions() as session:
        count = await session.scalar(
            select(func.count()).where(QueueMessage.worker == worker, QueueMessage.state == "dead")
        )
        return int(count or 0)


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_a_failing_smtp_server_is_retried_and_the_mail_sent_once(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    smtp.collector.failures_left = 1
    await create_configuration(
        client,
        admin,
        {"worker_type": "email", "name": "Mail", "settings": {"send_to_customer": True}},
    )
    event_id = await record_created(sessions, uuid.uuid4())

    async def sent() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 1

    await eventually(sent)
    log = await deliveries(sessions, event_id=event_id)
    assert [d.status for d in log] == ["failed", "succeeded"]
    assert "451" in (log[0].error or "")
    assert (
        (log[1].response or "").startswith("Message accepted")
        or "250" in (log[1].response or "")
        or "accepted" in (log[1].response or "")
    )
    assert len(smtp.mails) == 1


async def _product_with_stock(sessions: async_sessionmaker[AsyncSession], stock: int) -> uuid.UUID:
    from oms.products import service as products
    from oms.products.schemas import CategoryCreate, ProductCreate

    async with sessions() as session, session.begin():
        category = await products.create_category(
            session, CategoryCreate(code=f"c{uuid.uuid4().hex[:8]}", name="Kettles")
        )
        product = await products.create_product(
            session,
            ProductCreate(
                sku=f"KET-{uuid.uuid4().hex[:6]}",
                name="Kettle",
                category_id=category.id,
                price="19.99",
                stock=stock,
            ),
        )
        return product.id


async def _stock(sessions: async_sessionmaker[AsyncSession], product_id: uuid.UUID) -> int | None:
    from oms.products import service as products

    async with sessions() as session:
        product = await products.get_product(session, product_id, include_inactive=True)
        return product.stock


async def test_a_configured_local_release_moves_stock_once_even_after_a_failed_attempt(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    product_id = await _product_with_stock(sessions, 10)
    receiver.script = [500]  # the warehouse fails once: the local release is rolled back
    await create_configuration(
        client,
        admin,
        {
            "worker_type": "inventory",
            "name": "Lost parcels back to stock",
            "trigger_statuses": ["parcel_lost"],
            "settings": {"apply_locally": True, "warehouse_url": receiver.url("/warehouse")},
        },
    )
    await create_configuration(
        client,
        admin,
        {
            "worker_type": "inventory",
            "name": "Warehouse only",
            "trigger_statuses": ["parcel_lost"],
            "settings": {"warehouse_url": receiver.url("/warehouse-only")},
        },
    )
    order_id = uuid.uuid4()
    event_id = await record_status(
        sessions, order_id, "shipped", "parcel_lost", product_id=product_id
    )

    async def moved() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 2

    await eventually(moved)
    assert await _stock(sessions, product_id) == 12
    local = [d for d in await deliveries(sessions, event_id=event_id) if d.attempt > 0]
    assert sorted((d.attempt, d.status) for d in local) == [
        (1, "failed"),
        (1, "succeeded"),
        (2, "succeeded"),
    ]
    assert len(receiver.at("/warehouse")) == 2
    assert len(receiver.at("/warehouse-only")) == 1


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_internal_targets_are_refused_and_disabled_configurations_do_nothing(
    event_settings: Any,
    pipeline_engine: Any,
    clean_database: None,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Loopback is not in the allowed networks here, as in a default deployment.
    settings = event_settings.model_copy(
        update={"webhook_allowed_networks": [], "retry_delays": [0.1]}
    )
    refused = await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "Internal", "settings": {"url": receiver.url()}},
    )
    disabled = await create_configuration(
        client,
        admin,
        {
            "worker_type": "webhook",
            "name": "Off",
            "enabled": False,
            "settings": {"url": "https://erp.example.com/hook"},
        },
    )
    pipeline = Pipeline(settings, pipeline_engine, concurrency=2)
    await pipeline.start()
    try:
        event_id = await record_created(sessions, uuid.uuid4())

        async def dead() -> bool:
            return len(await deliveries(sessions, status="dead")) == 1

        await eventually(dead)
    finally:
        await pipeline.stop()
    log = await deliveries(sessions, event_id=event_id)
    by_configuration = {str(d.configuration_id): d for d in log if d.status == "dead"}
    assert "internal address" in (by_configuration[refused].error or "")
    assert all(str(d.configuration_id) != disabled for d in log)
    assert receiver.requests == []
    assert smtp.mails == []
