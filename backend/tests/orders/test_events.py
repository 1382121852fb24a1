"""GET /api/v1/orders/events against a real OMS process: server-sent events fed by the
outbox's NOTIFY, owner-scoped, replayed from `Last-Event-ID`, surviving a lost listener."""

import asyncio
import contextlib
import json
import signal
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth import service as auth
from oms.auth.permissions import Role
from oms.core.db import create_sessionmaker
from oms.outbox.live import ORDER_EVENTS_CHANNEL
from oms.workflow.demo import seed_demo_workflow
from tests.api_process import Api, running
from tests.auth.helpers import PASSWORD, bearer, tokens
from tests.orders.conftest import ADDRESS, ORDERS
from tests.processes import start_api

EVENTS = f"{ORDERS}/events"
LISTENER = f"oms listen {ORDER_EVENTS_CHANNEL}"


@dataclass
class Stream:
    """The events one client has read from its open stream so far."""

    events: list[dict[str, Any]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    status: int | None = None
    content_type: str = ""
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def next_event(self, seconds: float = 5.0) -> dict[str, Any]:
        """The first event not yet taken, waiting at most `seconds`."""
        async with asyncio.timeout(seconds):
            while not self.events:
                self.arrived.clear()
                await self.arrived.wait()
        return self.events.pop(0)


async def _read(response: httpx.Response, stream: Stream) -> None:
    current: dict[str, Any] = {}
    async for line in response.aiter_lines():
        if line.startswith(":"):
            stream.comments.append(line[1:].strip())
        elif not line:
            if current:
                current["data"] = json.loads(current["data"])
                stream.events.append(current)
                stream.arrived.set()
            current = {}
        else:
            name, _, value = line.partition(":")
            current[name] = value.removeprefix(" ")


@contextlib.asynccontextmanager
async def following(
    client: httpx.AsyncClient, token: str, **headers_and_params: str
) -> AsyncIterator[Stream]:
    """An open event stream read in the background until the block ends."""
    params = {k: v for k, v in headers_and_params.items() if k != "last_event_id"}
    headers = bearer(token)
    if "last_event_id" in headers_and_params:
        headers["Last-Event-ID"] = headers_and_params["last_event_id"]
    stream = Stream()
    async with client.stream("GET", EVENTS, headers=headers, params=params) as response:
        stream.status, stream.content_type = response.status_code, response.headers["content-type"]
        reader = asyncio.create_task(_read(response, stream))
        try:
            yield stream
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await reader


@dataclass
class Shop:
    http: httpx.AsyncClient
    admin: str
    cora: str
    dan: str
    product_id: str
    manager: str

    async def place(self, token: str) -> dict[str, Any]:
        placed = await self.http.post(
            ORDERS,
            json={
                "items": [{"product_id": self.product_id, "quantity": 1}],
                "shipping_address": ADDRESS,
            },
            headers=bearer(token),
        )
        assert placed.status_code == 201, placed.text
        order: dict[str, Any] = placed.json()
        return order

    async def move(self, order: dict[str, Any], status: str) -> float:
        """Moves the order as the admin; when it was answered (monotonic clock)."""
        moved = await self.http.patch(
            f"{ORDERS}/{order['id']}/status", json={"status": status}, headers=bearer(self.admin)
        )
        assert moved.status_code == 200, moved.text
        return time.monotonic()


@pytest.fixture
def api(database_url: str, clean_database: None, tmp_path: Path) -> Iterator[Api]:
    with running("api", tmp_path / "api.log", {"OMS_DATABASE_URL": database_url}) as process:
        yield process


@pytest.fixture
async def shop(api: Api, engine: AsyncEngine) -> AsyncIterator[Shop]:
    async with create_sessionmaker(engine)() as session, session.begin():
        await seed_demo_workflow(session)
        for email, role in (
            ("root@example.com", Role.ADMIN),
            ("mia@example.com", Role.MANAGER),
            ("cora@example.com", Role.CUSTOMER),
            ("dan@example.com", Role.CUSTOMER),
        ):
            await auth.create_user(session, email=email, password=PASSWORD, roles=frozenset({role}))
    async with httpx.AsyncClient(base_url=api.url, timeout=10) as http:
        admin = (await tokens(http, "root@example.com"))["access_token"]
        category = await http.post(
            "/api/v1/categories", json={"code": "goods", "name": "Goods"}, headers=bearer(admin)
        )
        product = await http.post(
            "/api/v1/products",
            json={
                "sku": "LAMP-1",
                "name": "Lamp",
                "category_id": category.json()["id"],
                "price": "10.00",
                "stock": 100,
            },
            headers=bearer(admin),
        )
        assert product.status_code == 201, product.text
        yield Shop(
            http,
            admin,
            (await tokens(http, "cora@example.com"))["access_token"],
            (await tokens(http, "dan@example.com"))["access_token"],
            product.json()["id"],
            (await tokens(http, "mia@example.com"))["access_token"],
        )


async def _listening(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database()"
            ),
            {"name": LISTENER},
        )
        return [row.pid for row in rows]


async def _until_listening(engine: AsyncEngine, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = await _listening(engine)
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("the API process does not listen for order events")


@pytest.mark.timeout(90)
async def test_a_customer_sees_their_order_change_live_and_never_anothers(
    shop: Shop, engine: AsyncEngine
) -> None:
    await _until_listening(engine)
    async with (
        following(shop.http, shop.cora) as cora,
        following(shop.http, shop.dan) as dan,
        following(shop.http, shop.admin) as staff,
        following(shop.http, shop.manager) as manager,
    ):
        assert cora.status == 200
        assert cora.content_type.startswith("text/event-stream")
        coras_order = await shop.place(shop.cora)
        created = await cora.next_event()
        assert created["event"] == "order.created"
        assert created["data"]["order_id"] == coras_order["id"]
        assert created["data"]["status"] == "new"

        answered = await shop.move(coras_order, "confirmed")
        changed = await cora.next_event(seconds=2)
        assert time.monotonic() - answered < 2
        assert changed["event"] == "order.status_changed"
        assert changed["data"] == {
            "order_id": coras_order["id"],
            "number": coras_order["number"],
            "status": "confirmed",
            "previous_status": "new",
            "version": 1,
            "occurred_at": changed["data"]["occurred_at"],
        }

        dans_order = await shop.place(shop.dan)
        assert (await dan.next_event())["data"]["order_id"] == dans_order["id"]
        # Staff, admins and managers alike, hear of every customer's orders.
        every_order = [coras_order["id"], coras_order["id"], dans_order["id"]]
        for stream in (staff, manager):
            assert [(await stream.next_event())["data"]["order_id"] for _ in range(3)] == (
                every_order
            )
        await asyncio.sleep(0.5)
        assert cora.events == []
        assert dan.events == []

        async with following(shop.http, shop.admin, order_id=dans_order["id"]) as one_order:
            await shop.move(coras_order, "processing")
            await shop.move(dans_order, "cancelled")
            only = await one_order.next_event()
            assert only["data"]["order_id"] == dans_order["id"]
            assert only["data"]["status"] == "cancelled"


@pytest.mark.timeout(90)
async def test_last_event_id_replays_what_was_missed(shop: Shop, engine: AsyncEngine) -> None:
    await _until_listening(engine)
    first = await shop.place(shop.cora)
    await shop.place(shop.dan)
    await shop.move(first, "confirmed")
    await shop.move(first, "processing")
    async with engine.connect() as connection:
        ids = [
            str(row.id)
            for row in await connection.execute(
                text("SELECT id FROM outbox_events WHERE order_id = :o ORDER BY position"),
                {"o": first["id"]},
            )
        ]

    async with following(shop.http, shop.cora, last_event_id=ids[0]) as cora:
        replayed = [await cora.next_event(), await cora.next_event()]
        assert [event["id"] for event in replayed] == ids[1:]
        assert [event["data"]["status"] for event in replayed] == ["confirmed", "processing"]
        await asyncio.sleep(0.3)
        assert cora.events == [], "nothing of another customer's, nothing twice"

    bad = await shop.http.get(EVENTS, headers={**bearer(shop.cora), "Last-Event-ID": "nope"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "Last-Event-ID"
    assert (await shop.http.get(EVENTS)).status_code == 401


@pytest.mark.timeout(120)
async def test_events_still_arrive_after_the_listener_lost_its_connection(
    shop: Shop, engine: AsyncEngine
) -> None:
    [listener] = await _until_listening(engine)
    order = await shop.place(shop.cora)
    async with following(shop.http, shop.cora) as cora:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": listener})
        # Made while the process may not be listening: caught up from the outbox.
        await shop.move(order, "confirmed")
        caught_up = await cora.next_event(seconds=20)
        assert caught_up["data"]["status"] == "confirmed"

        [again] = await _until_listening(engine)
        assert again != listener
        answered = await shop.move(order, "processing")
        live = await cora.next_event(seconds=5)
        assert live["data"]["status"] == "processing"
        assert time.monotonic() - answered < 2
        await asyncio.sleep(0.3)
        assert cora.events == []


@pytest.mark.timeout(90)
async def test_open_streams_end_cleanly_when_the_server_stops(
    database_url: str, clean_database: None, engine: AsyncEngine
) -> None:
    async with create_sessionmaker(engine)() as session, session.begin():
        await auth.create_user(
            session, email="cora@example.com", password=PASSWORD, roles=frozenset({Role.CUSTOMER})
        )
    url, process = start_api(database_url)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            token = (await tokens(http, "cora@example.com"))["access_token"]
            async with http.stream("GET", EVENTS, headers=bearer(token)) as response:
                assert response.status_code == 200
                stopped = time.monotonic()
                process.send_signal(signal.SIGTERM)
                async with asyncio.timeout(10):
                    body = [line async for line in response.aiter_lines()]
            assert body == [] or all(line.startswith(":") or not line for line in body)
        assert await asyncio.to_thread(process.wait, 20) == 0
        assert time.monotonic() - stopped < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
