"""The CSV export streams: exporting 100,000 orders through a real `oms api` process leaves
its memory where it was, and every order arrives once, in order."""

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth import service as auth
from oms.auth.permissions import Role
from oms.core.db import create_engine, create_sessionmaker
from oms.orders.export import BATCH
from oms.workflow.demo import seed_demo_workflow
from tests.api_process import Api, running
from tests.auth.helpers import PASSWORD, bearer, tokens
from tests.orders.conftest import ORDERS

ORDER_COUNT = 100_000
MIB = 1024 * 1024
# Generous: one batch of rows and its CSV take a few MiB; the whole export as Python objects
# would take hundreds.
MAX_GROWTH_MIB = 30

# Three orders share each moment, so batch boundaries fall between orders of one moment and
# the keyset's id must break the tie; one to three items each.
SEED = [
    "ALTER TABLE orders DISABLE TRIGGER orders_count_statuses",
    """
    INSERT INTO orders (id, number, customer_id, customer_email, customer_name, status,
                        currency, total, shipping_address, status_history, version,
                        created_at, updated_at)
    SELECT gen_random_uuid(), n, :customer, 'bulk' || (n % 997) || '@shop.com',
           'Bulk Buyer ' || (n % 89),
           (ARRAY['new', 'confirmed', 'shipped', 'delivered', 'cancelled'])[1 + n % 5],
           'EUR', (n % 50000) / 100.0 + 1,
           '{"name": "Bulk Buyer", "line1": "1 Load Street", "city": "Berlin",
             "postal_code": "10115", "country": "DE"}'::jsonb,
           '[]'::jsonb, 0,
           timestamptz '2026-06-01 00:00:00+00' + (n / 3) * interval '1 second',
           timestamptz '2026-06-01 00:00:00+00'
    FROM generate_series(1, :count) AS n
    """,
    """
    INSERT INTO order_items (id, order_id, position, product_id, sku, name, unit_price,
                             quantity, line_total)
    SELECT gen_random_uuid(), o.id, p, gen_random_uuid(), 'BULK-' || p, 'Bulk item ' || p,
           1.00, p, p
    FROM orders o CROSS JOIN LATERAL generate_series(1, 1 + (o.number % 3)::int) AS p
    """,
    "ALTER TABLE orders ENABLE TRIGGER orders_count_statuses",
    "INSERT INTO order_status_counts (status, slot, orders)"
    " SELECT status, 0, count(*) FROM orders GROUP BY status",
    "SELECT setval('order_number_seq', :count)",
    "ANALYZE orders, order_items",
]


@pytest.fixture
def api(database_url: str, clean_database: None, tmp_path: Path) -> Iterator[Api]:
    env = {"OMS_DATABASE_URL": database_url}
    # A loaded machine (several test runs at once) can take a while to start it.
    with running("api", tmp_path / "api.log", env, start_timeout=120) as process:
        yield process


async def _seed(database_url: str) -> None:
    # Bulk statements: beyond the 15 s a request's statement may take on a busy machine.
    engine = create_engine(database_url, statement_timeout=600)
    try:
        await _seed_with(engine)
    finally:
        await engine.dispose()


async def _seed_with(engine: AsyncEngine) -> None:
    async with create_sessionmaker(engine)() as session, session.begin():
        await seed_demo_workflow(session)
        await auth.create_user(
            session, email="root@example.com", password=PASSWORD, roles=frozenset({Role.ADMIN})
        )
        buyer = await auth.create_user(
            session, email="bulk@shop.com", password=None, roles=frozenset({Role.CUSTOMER})
        )
    async with engine.begin() as connection:
        for statement in SEED:
            await connection.execute(text(statement), {"customer": buyer.id, "count": ORDER_COUNT})


async def _sample(pid: int, samples: list[int], stop: asyncio.Event) -> None:
    process = psutil.Process(pid)
    while not stop.is_set():
        samples.append(process.memory_info().rss)
        await asyncio.sleep(0.05)


@pytest.mark.timeout(600)
async def test_exporting_100000_orders_keeps_the_api_process_memory_flat(
    api: Api, database_url: str
) -> None:
    started = time.monotonic()
    await _seed(database_url)
    seeded = time.monotonic() - started
    async with httpx.AsyncClient(base_url=api.url, timeout=60) as http:
        headers = bearer((await tokens(http, "root@example.com"))["access_token"])
        # Warm up: the route, the query and the CSV code, on one batch.
        warm = await http.get(f"{ORDERS}/export.csv", params={"q": "bulk7@"}, headers=headers)
        assert warm.status_code == 200
        before = psutil.Process(api.pid).memory_info().rss

        samples: list[int] = []
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample(api.pid, samples, stop))
        numbers: set[str] = set()
        lines = 0
        previous: datetime | None = None
        out_of_order = 0
        exporting = time.monotonic()
        async with http.stream("GET", f"{ORDERS}/export.csv", headers=headers) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                if not line:
                    continue
                lines += 1
                if lines == 1:
                    assert line.startswith("number,created_at,status,status_name")
                    continue
                number, created_at, _ = line.split(",", 2)
                numbers.add(number)
                moment = datetime.fromisoformat(created_at)
                if previous is not None and moment > previous:
                    out_of_order += 1
                previous = moment
        exported = time.monotonic() - exporting
        stop.set()
        await sampler
        after = psutil.Process(api.pid).memory_info().rss
    peak = max(samples)
    growth = (peak - before) / MIB
    print(
        f"\nexport of {ORDER_COUNT} orders ({-(-ORDER_COUNT // BATCH)} batches of {BATCH}):"
        f" seeded in {seeded:.1f} s, exported in {exported:.1f} s;"
        f" API RSS before {before / MIB:.1f} MiB, peak {peak / MIB:.1f} MiB,"
        f" after {after / MIB:.1f} MiB, growth {growth:+.1f} MiB (bound {MAX_GROWTH_MIB} MiB)"
    )
    assert lines == ORDER_COUNT + 1
    assert len(numbers) == ORDER_COUNT
    assert out_of_order == 0
    assert growth < MAX_GROWTH_MIB
