"""`GET /metrics` of the API: request counts and latencies by route template, what committed
(orders, status changes, events), the outbox backlog and the queues read when scraped, the
pool; and who may read it."""

import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from prometheus_client import REGISTRY
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from oms.app import create_app
from oms.core.db import create_engine
from oms.core.metrics import watch_pool
from oms.core.settings import Settings
from oms.outbox.relay import relay_pending_events
from oms.outbox.transport.amqp import dead_queue, retry_queue, worker_queue
from oms.outbox.transport.embedded import EmbeddedTransport
from tests.actors import Actor
from tests.events.conftest import purge_broker
from tests.events.services import eventually
from tests.fault_proxy import FaultProxy, Mode
from tests.monitoring.scrape import value
from tests.orders.conftest import Product, place
from tests.processes import free_port


async def scrape(client: AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


async def test_requests_are_counted_by_route_template_method_and_status(
    client: AsyncClient, customer: Actor
) -> None:
    missing = uuid.uuid4()
    labels = {"method": "GET", "route": "/api/v1/orders/{order_id}", "status": "404"}
    before = await scrape(client)
    for _ in range(3):
        response = await client.get(f"/api/v1/orders/{missing}", headers=customer.headers)
        assert response.status_code == 404
    unrouted = await client.get(f"/api/v1/no-such-thing/{missing}")
    assert unrouted.status_code == 404
    after = await scrape(client)

    assert (
        value(after, "oms_http_requests_total", **labels)
        - value(before, "oms_http_requests_total", **labels)
        == 3
    )
    duration = "oms_http_request_duration_seconds_count"
    assert value(after, duration, **labels) - value(before, duration, **labels) == 3
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert value(after, "oms_http_requests_total", **unmatched) > value(
        before, "oms_http_requests_total", **unmatched
    )
    # Ids and unrouted paths never become labels.
    assert str(missing) not in after
    assert "no-such-thing" not in after


async def test_an_order_counts_once_committed_and_a_refused_one_never(
    app: FastAPI, client: AsyncClient, customer: Actor, admin: Actor, shop: tuple[Product, ...]
) -> None:
    chair, desk, _ = shop
    before = await scrape(client)
    placed = await place(client, customer, [{"sku": chair.sku, "quantity": 1}])
    assert placed.status_code == 201, placed.text
    refused = await place(client, customer, [{"sku": desk.sku, "quantity": 99}])
    assert refused.status_code == 409  # not enough desks: rolled back, counted nowhere
    changed = await client.patch(
        f"/api/v1/orders/{placed.json()['id']}/status",
        json={"status": "confirmed"},
        headers={**admin.headers, "If-Match": placed.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text

    async def counted() -> bool:
        after = await scrape(client)
        return value(after, "oms_outbox_pending_events", type="order.status_changed") == 1

    await eventually(counted, within=10)
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("oms_orders_created_total") == 1
    assert grew("oms_order_status_changes_total", status="confirmed") == 1
    assert grew("oms_outbox_events_recorded_total", type="order.created") == 1
    assert grew("oms_outbox_events_recorded_total", type="order.status_changed") == 1
    # No relay runs here: both events wait in the outbox.
    assert value(after, "oms_outbox_pending_events", type="order.created") == 1
    assert value(after, "oms_outbox_oldest_pending_age_seconds") >= 0
    assert value(after, "oms_dependency_up", dependency="database") == 1

    # Relayed to the embedded queue: the outbox is empty, each worker has a message ready.
    transport = EmbeddedTransport(app.state.settings, app.state.engine)
    assert (await relay_pending_events(app.state.sessions, transport))[0] == 2

    async def relayed() -> bool:
        text_now = await scrape(client)
        return value(text_now, "oms_outbox_pending_events", type="order.created") == 0

    await eventually(relayed, within=10)
    relayed_text = await scrape(client)
    assert value(relayed_text, "oms_outbox_oldest_pending_age_seconds") == 0
    for worker in ("email", "webhook", "inventory"):
        assert value(relayed_text, "oms_queue_messages", worker=worker, state="ready") == 2
        assert value(relayed_text, "oms_queue_messages", worker=worker, state="dead") == 0
    published = "oms_outbox_events_published_total"
    assert (
        value(relayed_text, published, type="order.created")
        - value(before, published, type="order.created")
        == 1
    )


async def test_dead_letters_of_the_embedded_queue_are_shown_per_worker(
    app: FastAPI, client: AsyncClient
) -> None:
    async with app.state.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO queue_messages (worker, event_id, body, state) "
                "VALUES ('webhook', gen_random_uuid(), '{}', 'dead')"
            )
        )

    async def shown() -> bool:
        scraped = await scrape(client)
        return value(scraped, "oms_queue_messages", worker="webhook", state="dead") == 1

    await eventually(shown, within=10)
    scraped = await scrape(client)
    assert value(scraped, "oms_queue_messages", worker="email", state="dead") == 0


async def test_the_pool_of_the_api_is_shown(client: AsyncClient, settings: Settings) -> None:
    scraped = await scrape(client)
    limit = settings.db_pool_size + settings.db_max_overflow
    assert value(scraped, "oms_db_pool_limit", pool="api") == limit
    assert 0 <= value(scraped, "oms_db_pool_connections_in_use", pool="api") <= limit
    assert value(scraped, "oms_build_info") == 1


async def test_a_checkout_that_cannot_reconnect_leaves_the_pool_gauge_at_zero(
    database_url: str,
) -> None:
    """A pooled connection whose pre-ping fails while the database is away is checked in
    without having been checked out."""
    proxy = FaultProxy.to_url(database_url, 5432).start()
    engine = create_engine(proxy.url(database_url), pool_size=1, max_overflow=0, connect_timeout=1)
    pool = f"outage-{uuid.uuid4().hex[:8]}"
    watch_pool(engine, pool, limit=1)

    def in_use() -> float | None:
        return REGISTRY.get_sample_value("oms_db_pool_connections_in_use", {"pool": pool})

    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            assert in_use() == 1
        assert in_use() == 0
        proxy.set(Mode.RESET)
        for _ in range(3):
            with pytest.raises((DBAPIError, OSError)):
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
            assert in_use() == 0
        proxy.pass_through()
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        assert in_use() == 0
    finally:
        await engine.dispose()
        proxy.stop()


@pytest.fixture
async def guarded(settings: Settings, clean_database: None) -> AsyncIterator[AsyncClient]:
    application = create_app(
        settings.model_copy(update={"metrics_token": SecretStr("scrape-me-7f3a")})
    )
    async with LifespanManager(application):
        transport = ASGITransport(app=application, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", "Bearer scrape-me-7f3a-and-more", "scrape-me-7f3a"]
)
async def test_with_a_metrics_token_only_its_bearer_may_scrape(
    guarded: AsyncClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    refused = await guarded.get("/metrics", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["status"] == 401
    assert "oms_" not in refused.text


async def test_with_a_metrics_token_its_bearer_scrapes(guarded: AsyncClient) -> None:
    response = await guarded.get("/metrics", headers={"Authorization": "Bearer scrape-me-7f3a"})
    assert response.status_code == 200
    assert "oms_http_requests_total" in response.text


async def test_metrics_answer_only_get(client: AsyncClient) -> None:
    response = await client.post("/metrics")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert "GET" in response.headers["allow"]


@pytest.fixture
async def with_rabbitmq(
    settings: Settings, amqp_url: str, clean_database: None
) -> AsyncIterator[AsyncClient]:
    broker_settings = settings.model_copy(update={"amqp_url": amqp_url, "retry_delays": [0.5]})
    await purge_broker(amqp_url, broker_settings)
    application = create_app(
        # A retry delay whose queue nobody declared: it counts 0, it is not created.
        broker_settings.model_copy(update={"retry_delays": [0.5, 7.25]})
    )
    async with LifespanManager(application):
        transport = ASGITransport(app=application, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_with_rabbitmq_the_queues_are_read_from_the_broker(
    with_rabbitmq: AsyncClient, amqp_url: str
) -> None:
    connection = await aio_pika.connect(amqp_url, timeout=5)
    try:
        channel = await connection.channel()
        for queue in (dead_queue("webhook"), dead_queue("webhook"), worker_queue("email")):
            await channel.default_exchange.publish(aio_pika.Message(b"{}"), routing_key=queue)
        await channel.default_exchange.publish(
            aio_pika.Message(b"{}"), routing_key=retry_queue("inventory", 0.5)
        )
    finally:
        await connection.close()

    async def read() -> bool:
        scraped = await scrape(with_rabbitmq)
        return value(scraped, "oms_queue_messages", worker="webhook", state="dead") == 2

    await eventually(read, within=15)
    scraped = await scrape(with_rabbitmq)
    assert value(scraped, "oms_queue_messages", worker="email", state="ready") == 1
    assert value(scraped, "oms_queue_messages", worker="inventory", state="waiting") == 1
    assert value(scraped, "oms_queue_messages", worker="email", state="dead") == 0
    assert value(scraped, "oms_dependency_up", dependency="broker") == 1
    assert value(scraped, "oms_dependency_up", dependency="database") == 1
    connection = await aio_pika.connect(amqp_url, timeout=5)
    try:
        channel = await connection.channel()
        with pytest.raises(aio_pika.exceptions.ChannelClosed):
            await channel.declare_queue(retry_queue("email", 7.25), passive=True)
    finally:
        await connection.close()


async def test_with_the_broker_away_a_scrape_says_so_and_still_answers(
    settings: Settings, clean_database: None
) -> None:
    away = settings.model_copy(update={"amqp_url": f"amqp://guest:guest@127.0.0.1:{free_port()}/"})
    application = create_app(away)
    async with LifespanManager(application):
        transport = ASGITransport(app=application, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            scraped = await scrape(http)
    assert value(scraped, "oms_dependency_up", dependency="broker") == 0
    assert value(scraped, "oms_dependency_up", dependency="database") == 1
    assert "oms_queue_messages{" not in scraped
    assert value(scraped, "oms_outbox_pending_events", type="order.created") == 0
