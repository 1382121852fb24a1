"""Upgrading from the previous release (docs/upgrades.md): a database at the previous release's
migration head, holding that release's data, upgrades to the current head with every row and
value intact; the migrations in between only expand the schema; and the previous release's
API, run from its own source, still places and reads orders against the expanded schema.

The previous release is the commit `PREVIOUS_RELEASE` ("Merge branch 'h-shop'", the last
before the newest migration, `20261202_dashboard_indexes`); its migration head is
`PREVIOUS_HEAD`. When a release is cut, both move to it (docs/upgrades.md says how).
"""

import asyncio
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine

from oms.core import migrations
from tests.database import plain_dsn
from tests.monitoring.processes import Served, serving, start
from tests.operations.conftest import Databases, oms
from tests.processes import oms_env

# Two OMS versions start here, one after the other, on a machine that may be busy.
pytestmark = pytest.mark.timeout(900)

REPOSITORY = Path(__file__).resolve().parents[3]
PREVIOUS_RELEASE = "c2c87f23842b1290eecf671f56976e76509492a0"
PREVIOUS_HEAD = "5a0ed0e50003"
DEMO_PASSWORD = "Demo-Pass-2026!"

# Statements that take away what the previous release's code uses (contract), by pattern.
CONTRACTING: dict[str, re.Pattern[str]] = {
    "drops a table": re.compile(r"\bDROP\s+TABLE\b"),
    "drops a column": re.compile(r"\bDROP\s+COLUMN\b"),
    "renames": re.compile(r"\bRENAME\b"),
    "makes a column NOT NULL": re.compile(r"\bALTER\s+COLUMN\s+\S+\s+SET\s+NOT\s+NULL\b"),
    "changes a column's type": re.compile(r"\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b"),
    "drops a column default": re.compile(r"\bALTER\s+COLUMN\s+\S+\s+DROP\s+DEFAULT\b"),
    "drops a type, view or schema": re.compile(
        r"\bDROP\s+(TYPE|VIEW|MATERIALIZED\s+VIEW|SCHEMA)\b"
    ),
    "deletes rows": re.compile(r"\b(DELETE\s+FROM|TRUNCATE)\b"),
}
# A NOT NULL column added to a table that exists, without a default, refuses the previous
# release's inserts.
ADDS_COLUMN = re.compile(r"\bADD\s+COLUMN\b(?P<rest>.*)", re.DOTALL)
# A constraint or unique index added to a table that exists may refuse what the previous
# release writes.
CONSTRAINS = re.compile(
    r"\b(ALTER\s+TABLE\s+(?P<altered>\S+)\s+ADD\s+CONSTRAINT|"
    r"CREATE\s+UNIQUE\s+INDEX\s+\S+\s+ON\s+(?P<indexed>\S+))"
)
CREATES_TABLE = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<table>\S+)")
# Contract steps of a release that are allowed, each with its reason: (revision, what) -> why.
ALLOWED_CONTRACT_STEPS: dict[tuple[str, str], str] = {}


def since_previous_release() -> list[str]:
    """The revisions after PREVIOUS_HEAD up to the head, oldest first."""
    scripts = ScriptDirectory.from_config(migrations.alembic_config("postgresql://unused/x"))
    revisions = [script.revision for script in scripts.iterate_revisions("heads", PREVIOUS_HEAD)]
    revisions.reverse()
    return [revision for revision in revisions if revision != PREVIOUS_HEAD]


def git(*args: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(REPOSITORY), *args], capture_output=True, check=True, timeout=60
    ).stdout


def test_the_previous_release_head_is_the_head_of_that_commit() -> None:
    """PREVIOUS_HEAD is what PREVIOUS_RELEASE's migrations end in: no migration was slipped
    into the previous release's history since."""
    folder = "backend/src/oms/migrations/versions/"
    names = git("ls-tree", "--name-only", f"{PREVIOUS_RELEASE}:{folder}").decode().split()
    revisions: set[str] = set()
    parents: set[str] = set()
    for name in names:
        source = git("show", f"{PREVIOUS_RELEASE}:{folder}{name}").decode()
        revisions.add(re.search(r'^revision: str = "(\w+)"', source, re.M).group(1))  # type: ignore[union-attr]
        down = source.split("down_revision", 1)[1].split("\n\n", 1)[0]
        parents.update(re.findall(r'"(\w+)"', down))
    assert revisions - parents == {PREVIOUS_HEAD}
    assert since_previous_release(), "the current head is the previous release's"


# --- capturing what the migrations run -------------------------------------------------------


@contextmanager
def statements_run() -> Iterator[list[str]]:
    """Every SQL statement any engine of this process runs inside the block."""
    seen: list[str] = []

    def capture(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", capture)


def contract_steps(statements: list[str], existing_tables: set[str]) -> list[str]:
    """What in `statements` takes away from the schema the previous release uses."""
    found = []
    created: set[str] = set()
    for raw in statements:
        statement = " ".join(raw.split()).upper()
        if "ALEMBIC_VERSION" in statement:
            continue
        for match in CREATES_TABLE.finditer(statement):
            created.add(match.group("table").strip('"').lower())
        for what, pattern in CONTRACTING.items():
            if pattern.search(statement):
                found.append(what)
        added = ADDS_COLUMN.search(statement)
        if added and "NOT NULL" in added.group("rest") and "DEFAULT" not in added.group("rest"):
            found.append("adds a NOT NULL column without a default")
        for match in CONSTRAINS.finditer(statement):
            table = (match.group("altered") or match.group("indexed")).strip('"').lower()
            if table in existing_tables and table not in created:
                found.append("constrains a table that exists")
    return found


def test_the_contract_check_recognises_contract_steps() -> None:
    tables = {"orders", "users"}
    assert contract_steps(["ALTER TABLE orders DROP COLUMN note"], tables) == ["drops a column"]
    assert contract_steps(["ALTER TABLE orders RENAME COLUMN a TO b"], tables) == ["renames"]
    assert contract_steps(["ALTER TABLE users ADD COLUMN flag BOOLEAN NOT NULL"], tables) == [
        "adds a NOT NULL column without a default"
    ]
    assert contract_steps(["ALTER TABLE orders ALTER COLUMN note SET NOT NULL"], tables) == [
        "makes a column NOT NULL"
    ]
    assert contract_steps(["CREATE UNIQUE INDEX ux ON orders (note)"], tables) == [
        "constrains a table that exists"
    ]
    expanding = [
        "ALTER TABLE users ADD COLUMN flag BOOLEAN DEFAULT false NOT NULL",
        "ALTER TABLE orders ADD COLUMN extra TEXT",
        "CREATE TABLE fresh (id INT PRIMARY KEY)",
        "CREATE UNIQUE INDEX ux ON fresh (id)",
        "CREATE INDEX ix ON orders (created_at)",
        "DROP INDEX ix_old",
        "INSERT INTO fresh SELECT 1",
    ]
    assert contract_steps(expanding, tables) == []


# --- the previous release's data and code ----------------------------------------------------

# Rows written the way the previous release's code writes them, by plain SQL: a category, a
# product, a customer with a saved address, an order with its items, history and event, and
# a logged delivery.
PREVIOUS_RELEASE_ROWS = [
    """INSERT INTO categories (id, code, name) VALUES
       ('00000000-0000-4000-8000-000000000001', 'lamps', 'Lamps')""",
    """INSERT INTO products (id, sku, name, category_id, price, stock, attributes) VALUES
       ('00000000-0000-4000-8000-000000000002', 'LAMP-7', 'Desk lamp',
        '00000000-0000-4000-8000-000000000001', 39.90, 12, '{"colour": "brass"}')""",
    """INSERT INTO users (id, email, full_name, roles, password_hash) VALUES
       ('00000000-0000-4000-8000-000000000003', 'old.customer@example.test', 'Old Customer',
        '{customer}', NULL)""",
    """INSERT INTO saved_addresses (id, user_id, label, address, is_default, created_at,
       updated_at) VALUES ('00000000-0000-4000-8000-000000000004',
       '00000000-0000-4000-8000-000000000003', 'Home', '{"name": "Old Customer", "line1":
       "1 Upgrade Road", "city": "Leeds", "postal_code": "LS1 1AA", "country": "GB"}', true,
       now(), now())""",
    """INSERT INTO orders (id, number, customer_id, customer_email, customer_name, status,
       currency, total, shipping_address, note, status_history, version) VALUES
       ('00000000-0000-4000-8000-000000000005', nextval('order_number_seq'),
        '00000000-0000-4000-8000-000000000003',
        'old.customer@example.test', 'Old Customer', 'confirmed', 'EUR', 79.80,
        '{"name": "Old Customer", "line1": "1 Upgrade Road", "city": "Leeds",
          "postal_code": "LS1 1AA", "country": "GB"}', 'before the upgrade',
        '[{"status": "new", "at": "2026-11-30T10:00:00+00:00", "note": null},
          {"status": "confirmed", "at": "2026-11-30T11:00:00+00:00", "note": null}]', 1)""",
    """INSERT INTO order_items (id, order_id, position, product_id, sku, name, unit_price,
       quantity, line_total) VALUES ('00000000-0000-4000-8000-000000000006',
       '00000000-0000-4000-8000-000000000005', 1, '00000000-0000-4000-8000-000000000002',
       'LAMP-7', 'Desk lamp', 39.90, 2, 79.80)""",
    """INSERT INTO outbox_events (id, type, version, order_id, occurred_at, data) VALUES
       ('00000000-0000-4000-8000-000000000007', 'order.created', 2,
        '00000000-0000-4000-8000-000000000005', '2026-11-30T10:00:00+00:00',
        '{"order": {"id": "00000000-0000-4000-8000-000000000005"}}')""",
    """INSERT INTO deliveries (id, event_id, event_type, order_id, worker, attempt, status,
       response, duration_ms, started_at, finished_at) VALUES
       ('00000000-0000-4000-8000-000000000008', '00000000-0000-4000-8000-000000000007',
        'order.created', '00000000-0000-4000-8000-000000000005', 'webhook', 1, 'succeeded',
        'HTTP 200', 35, now(), now())""",
]


async def snapshot(url: str, columns: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """{table: (the columns it had, a digest of every row over them)}: the previous release's
    tables as they were, comparable after the upgrade added columns and tables."""
    connection = await asyncpg.connect(plain_dsn(url), timeout=10)
    try:
        if columns is None:
            columns = {}
            for table, column in await connection.fetch(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name <> 'alembic_version' "
                "ORDER BY table_name, ordinal_position"
            ):
                columns.setdefault(table, []).append(column)
        digests: dict[str, Any] = {}
        for table, names in columns.items():
            listed = ", ".join(f'"{name}"' for name in names)
            order = ", ".join(str(position) for position in range(1, len(names) + 1))
            rows = await connection.fetch(
                f'SELECT {listed} FROM "{table}" ORDER BY {order}'  # noqa: S608 - its own names
            )
            digests[table] = (names, [tuple(row.values()) for row in rows])
        return digests
    finally:
        await connection.close()


def previous_source(tmp_path: Path) -> Path:
    """The previous release's `backend/src`, from git."""
    archive = git("archive", "--format=tar", PREVIOUS_RELEASE, "backend/src")
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tmp_path, filter="data")
    return tmp_path / "backend" / "src"


def previous_oms(source: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The previous release's `oms` command (its own code, this environment's packages)."""
    return subprocess.run(
        [sys.executable, "-m", "oms.cli", *args],
        env=oms_env(PYTHONPATH=str(source), **env),
        capture_output=True,
        text=True,
        timeout=600,
    )


async def test_an_upgrade_from_the_previous_release_keeps_data_and_its_api_working(
    databases: Databases, tmp_path: Path
) -> None:
    url = await asyncio.to_thread(databases.create, migrated=False)
    migrated = oms("migrate", "--revision", PREVIOUS_HEAD, OMS_DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    source = previous_source(tmp_path / "previous")
    seeded = previous_oms(
        source, "seed", "--demo", OMS_DATABASE_URL=url, OMS_DEMO_PASSWORD=DEMO_PASSWORD
    )
    assert seeded.returncode == 0, seeded.stderr
    connection = await asyncpg.connect(plain_dsn(url), timeout=10)
    try:
        for statement in PREVIOUS_RELEASE_ROWS:
            await connection.execute(statement)
    finally:
        await connection.close()
    before = await snapshot(url)
    columns = {table: names for table, (names, _) in before.items()}

    # Upgraded one revision at a time, recording what each runs.
    run: dict[str, list[str]] = {}
    for revision in since_previous_release():
        with statements_run() as statements:
            await asyncio.to_thread(migrations.upgrade, url, revision)
        run[revision] = statements
    assert (await asyncio.to_thread(migrations.state, url)).pending == ()

    assert await snapshot(url, columns) == before
    for revision, statements in run.items():
        for step in contract_steps(statements, set(columns)):
            assert (revision, step) in ALLOWED_CONTRACT_STEPS, (
                f"{revision} {step}: expand in this release, contract in the next "
                "(docs/upgrades.md)"
            )

    # The previous release's API against the expanded schema: it signs in, places an order
    # and reads it; the current API reads that order too.
    previous_api = previous_served(source, url, tmp_path / "previous-api.log")
    current_api = start(["api"], tmp_path / "current-api.log", OMS_DATABASE_URL=url)
    with serving(previous_api, current_api):
        async with httpx.AsyncClient(base_url=previous_api.url, timeout=60) as old:
            signed_in = await old.post(
                "/api/v1/auth/token",
                json={"email": "customer@example.com", "password": DEMO_PASSWORD},
            )
            assert signed_in.status_code == 200, signed_in.text
            headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
            placed = await old.post(
                "/api/v1/orders",
                json={
                    "items": [{"sku": "LAMP-7", "quantity": 1}],
                    "shipping_address": {
                        "name": "Demo Customer",
                        "line1": "2 Rolling Way",
                        "city": "York",
                        "postal_code": "YO1 7HH",
                        "country": "GB",
                    },
                },
                headers={**headers, "Idempotency-Key": "upgrade-test-1"},
            )
            assert placed.status_code == 201, placed.text
            order_id = placed.json()["id"]
            read_back = await old.get(f"/api/v1/orders/{order_id}", headers=headers)
            assert read_back.status_code == 200, read_back.text
            listed = await old.get("/api/v1/orders", headers=headers)
            assert listed.status_code == 200, listed.text
        async with httpx.AsyncClient(base_url=current_api.url, timeout=60) as new:
            seen = await new.get(f"/api/v1/orders/{order_id}", headers=headers)
            assert seen.status_code == 200, seen.text
            assert seen.json()["items"][0]["sku"] == "LAMP-7"
            stats = await new.get("/api/v1/orders", headers=headers)
            assert order_id in {item["id"] for item in stats.json()["items"]}


def previous_served(source: Path, url: str, log: Path) -> Served:
    """The previous release's `oms api`, started like `start` starts the current one."""
    return start(
        ["api"],
        log,
        OMS_DATABASE_URL=url,
        PYTHONPATH=str(source),
        OMS_RATE_LIMIT_ORDERS_PER_USER="",
    )
