"""`GET /api/v1/stats/dashboard` on a million orders, through a real `oms api` process.

    python -m bench dashboard           # from backend/, with PYTHONPATH=..
    python -m bench.dashboard --help

What it does, in one run:
1. creates a fresh database on `OMS_BENCH_DATABASE_URL` and migrates it;
2. seeds `--orders` orders (default 1,000,000) spread over the last `--days` days in the
   demo workflow's statuses, plus deliveries (some failed or dead) and an outbox with a
   backlog (one event in 200 unpublished), each with one `INSERT … SELECT`; then VACUUM
   ANALYZE, as autovacuum would leave the tables;
3. starts `oms api`, signs in an admin and a manager over HTTP, warms up, and asks for the
   dashboard `--requests` times one after another (alternating the two users and a few
   time zones), and prints p50/p95/max next to the aim (p95 under 50 ms) and the machine.

Figures depend on the machine; they are printed, never asserted.
"""

import argparse
import asyncio
import os
import platform
import secrets
import statistics
import time
from typing import Any

import asyncpg
import httpx
import psutil

from bench.orders.run import DEFAULT_SERVER, api_server, fresh_database
from oms.auth import service as auth
from oms.auth.permissions import Role
from oms.core import migrations
from oms.core.db import create_engine, create_sessionmaker
from oms.workflow.demo import seed_demo_workflow

AIM_P95_MS = 50.0
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo")

# Statuses weighted as a running shop's: most orders delivered, some in flight or cancelled.
_SEED_ORDERS = """
INSERT INTO orders (id, number, customer_id, customer_email, customer_name, status, currency,
                    total, shipping_address, status_history, version, created_at, updated_at)
SELECT gen_random_uuid(), n, $1, 'bench-customer@example.test', 'Bench Customer',
       (ARRAY['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'shipped',
              'processing', 'confirmed', 'new', 'cancelled', 'returned'])[1 + n % 11],
       'EUR', round((5 + random() * 495)::numeric, 2),
       '{"name": "Bench Customer", "line1": "1 Load Street", "city": "Berlin",
         "postal_code": "10115", "country": "DE"}'::jsonb,
       '[]'::jsonb, 0, at, at
FROM (SELECT n, now() - random() * make_interval(days => $3) AS at
      FROM generate_series(1, $2::bigint) AS n) AS drawn
"""
_SEED_DELIVERIES = """
INSERT INTO deliveries (id, event_id, event_type, order_id, worker, attempt, status, error,
                        duration_ms, started_at, finished_at)
SELECT gen_random_uuid(), gen_random_uuid(), 'order.status_changed', o.id,
       (ARRAY['email', 'webhook', 'inventory'])[1 + o.number % 3], 1 + (o.number % 5)::int,
       CASE WHEN o.number % 50 = 0 THEN 'dead' WHEN o.number % 20 = 0 THEN 'failed'
            ELSE 'succeeded' END,
       CASE WHEN o.number % 20 = 0 THEN 'HTTP 503 from the receiver' END,
       20, o.created_at, o.created_at + interval '20 milliseconds'
FROM orders o WHERE o.number % 5 = 0
"""
_SEED_OUTBOX = """
INSERT INTO outbox_events (id, type, version, order_id, occurred_at, data, published_at)
SELECT gen_random_uuid(), 'order.created', 2, o.id, o.created_at, '{}'::jsonb,
       CASE WHEN o.number % 1000 <> 1 THEN o.created_at + interval '50 milliseconds' END
FROM orders o WHERE o.number % 5 = 1
"""


def _env(name: str, default: str) -> str:
    return os.environ.get(f"OMS_BENCH_{name}", default)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.dashboard", description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=int(_env("ORDERS", "1000000")))
    parser.add_argument("--days", type=int, default=int(_env("DAYS", "730")), help="spread")
    parser.add_argument("--requests", type=int, default=int(_env("REQUESTS", "200")))
    parser.add_argument("--warmup", type=int, default=int(_env("WARMUP_REQUESTS", "20")))
    parser.add_argument("--log-level", default=_env("LOG_LEVEL", "warning"), help="OMS_LOG_LEVEL")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    if not 1 <= args.orders <= 10_000_000 or not 1 <= args.days <= 3650:
        parser.error("--orders must be 1..10000000 and --days 1..3650")
    if not 1 <= args.requests <= 100_000 or not 0 <= args.warmup <= 10_000:
        parser.error("--requests must be 1..100000 and --warmup 0..10000")
    return args


async def _staff(url: str, password: str) -> tuple[str, str, str]:
    """An admin, a manager and the customer every seeded order belongs to (emails, id)."""
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    try:
        async with sessions() as session, session.begin():
            await seed_demo_workflow(session)
            admin = await auth.create_user(
                session,
                email="bench-admin@example.test",
                password=password,
                roles=frozenset({Role.ADMIN}),
            )
            manager = await auth.create_user(
                session,
                email="bench-manager@example.test",
                password=password,
                roles=frozenset({Role.MANAGER}),
            )
            customer = await auth.create_user(
                session,
                email="bench-customer@example.test",
                password=None,
                roles=frozenset({Role.CUSTOMER}),
            )
        return admin.email, manager.email, str(customer.id)
    finally:
        await engine.dispose()


async def _seed(url: str, customer_id: str, orders: int, days: int) -> dict[str, float]:
    """Seconds each step took. The status-count trigger is off for the bulk insert and the
    counts are filled once afterwards, as the migration fills them for existing orders."""
    timings: dict[str, float] = {}
    connection = await asyncpg.connect(url, timeout=10)
    try:
        steps: list[tuple[str, str, tuple[object, ...]]] = [
            ("", "ALTER TABLE orders DISABLE TRIGGER orders_count_statuses", ()),
            ("orders", _SEED_ORDERS, (customer_id, orders, days)),
            ("", "ALTER TABLE orders ENABLE TRIGGER orders_count_statuses", ()),
            (
                "status counts",
                "INSERT INTO order_status_counts (status, slot, orders) "
                "SELECT status, 0, count(*) FROM orders GROUP BY status",
                (),
            ),
            ("", "SELECT setval('order_number_seq', (SELECT max(number) FROM orders))", ()),
            ("deliveries", _SEED_DELIVERIES, ()),
            ("outbox", _SEED_OUTBOX, ()),
            (
                "vacuum analyze",
                "VACUUM ANALYZE orders, deliveries, outbox_events, order_status_counts",
                (),
            ),
        ]
        for label, statement, arguments in steps:
            started = time.perf_counter()
            await connection.execute(statement, *arguments)
            if label:
                timings[label] = time.perf_counter() - started
    finally:
        await connection.close()
    return timings


def _sign_in(http: httpx.Client, email: str, password: str) -> dict[str, str]:
    response = http.post("/api/v1/auth/token", json={"email": email, "password": password})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} CPUs ({model}), {memory:.0f} GiB, {system}"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv or [])
    server = os.environ.get("OMS_BENCH_DATABASE_URL", DEFAULT_SERVER)
    password = secrets.token_urlsafe(16)
    with fresh_database(server, keep=args.keep_database) as url:
        print(f"database: {url}")
        migrations.upgrade(url)
        admin, manager, customer_id = asyncio.run(_staff(url, password))
        started = time.perf_counter()
        timings = asyncio.run(_seed(url, customer_id, args.orders, args.days))
        print(f"seeded {args.orders} orders in {time.perf_counter() - started:.1f} s")
        for step, seconds in timings.items():
            print(f"      {step}: {seconds:.1f} s")
        with (
            api_server(url, args.log_level) as (port, _),
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http,
        ):
            users = [_sign_in(http, admin, password), _sign_in(http, manager, password)]
            latencies: list[float] = []
            problems: list[str] = []
            for n in range(args.warmup + args.requests):
                params = {"tz": ZONES[n % len(ZONES)]}
                sent = time.perf_counter()
                response = http.get("/api/v1/stats/dashboard", params=params, headers=users[n % 2])
                elapsed = time.perf_counter() - sent
                if response.status_code != 200:
                    problems.append(f"{response.status_code} for {params}: {response.text[:200]}")
                    break
                if n >= args.warmup:
                    latencies.append(elapsed)
            body = response.json()
        total = sum(s["count"] for s in body["per_status"]) if not problems else 0
        if not problems and total != args.orders:
            problems.append(f"orders per status add up to {total}, not {args.orders}")
    _report(latencies, args, body if not problems else None)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


def _report(latencies: list[float], args: argparse.Namespace, body: dict[str, Any] | None) -> None:
    ordered = sorted(latencies)
    print()
    print(f"HTTP  GET /api/v1/stats/dashboard  {args.orders} orders, one request at a time")
    print(f"      machine: {_machine()}")
    if not ordered:
        return
    p95 = _percentile(ordered, 0.95) * 1000
    print(
        f"      {len(ordered)} requests: p50 {statistics.median(ordered) * 1000:.1f} ms,"
        f" p95 {p95:.1f} ms, max {ordered[-1] * 1000:.1f} ms"
        f"  (aim: p95 under {AIM_P95_MS:.0f} ms: {'met' if p95 < AIM_P95_MS else 'NOT met'})"
    )
    if body is not None:
        print(
            f"      last answer: today {body['today']['orders']} orders, "
            f"30 days {sum(d['orders'] for d in body['per_day'])} orders, "
            f"outbox backlog {body['outbox']['unpublished']}, "
            f"{len(body['failed_deliveries'])} failed deliveries shown"
        )
