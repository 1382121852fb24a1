"""The PostgreSQL server the tests run against, and one migrated database per test process."""

import asyncio
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from oms.core.embedded_postgres import embedded_postgres

BACKEND_DIR = Path(__file__).resolve().parents[1]


def checkout_tag() -> str:
    """Short and stable per checkout, so two checkouts can share one test server."""
    return hashlib.sha256(str(BACKEND_DIR).encode()).hexdigest()[:8]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@contextmanager
def test_server_url() -> Iterator[str]:
    """`OMS_TEST_DATABASE_URL` when given (CI: it must answer), else an embedded server."""
    configured = os.environ.get("OMS_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    if in_ci():
        pytest.exit("CI=true but OMS_TEST_DATABASE_URL is not set", returncode=3)
    data_dir = BACKEND_DIR / ".oms" / "test"
    data_dir.mkdir(parents=True, exist_ok=True)
    with embedded_postgres(data_dir) as url:
        yield url


def plain_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _recreate(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(plain_dsn(server_url), timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(plain_dsn(server_url), timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def create_database(server_url: str, name: str) -> str:
    try:
        asyncio.run(_recreate(server_url, name))
    except (OSError, asyncpg.PostgresError) as error:
        message = f"test PostgreSQL at {make_url(server_url).host} is unreachable: {error}"
        pytest.exit(message, returncode=3)
    return plain_dsn(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    asyncio.run(_drop(server_url, name))
