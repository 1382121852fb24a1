"""Fixtures shared by all tests: a real PostgreSQL, a migrated database, the app and a client."""

import os
from collections.abc import AsyncIterator, Iterator

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.app import create_app
from oms.auth.permissions import Role
from oms.core import migrations
from oms.core.db import Base, create_engine
from oms.core.settings import Settings
from oms.model_registry import import_all_models
from tests.actors import Actor, sign_in_as
from tests.database import checkout_tag, create_database, drop_database, test_server_url


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    with test_server_url() as url:
        yield url


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """A database of this test process's own, migrated to head once."""
    name = f"oms_test_{checkout_tag()}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    url = create_database(server_url, name)
    migrations.upgrade(url)
    import_all_models()
    yield url
    drop_database(server_url, name)


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=5)
    yield engine
    await engine.dispose()


# Kept between tests: generating an RSA key for every test would only cost time.
PRESERVED_TABLES = frozenset({"signing_keys"})


@pytest.fixture
async def clean_database(engine: AsyncEngine) -> AsyncIterator[None]:
    """Tests commit for real (concurrency needs it); every table is emptied afterwards."""
    yield
    tables = ", ".join(
        f'"{table.name}"'
        for table in Base.metadata.sorted_tables
        if table.name not in PRESERVED_TABLES
    )
    if tables:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


# Every test client is one address signing in and ordering in a burst; the tests of the
# limits switch them on (`tests/auth/test_rate_limits.py`).
NO_RATE_LIMITS = {
    "rate_limit_password_checks_per_address": "",
    "rate_limit_password_checks_per_user": "",
    "rate_limit_password_resets_per_email": "",
    "rate_limit_orders_per_user": "",
    "rate_limit_orders_per_address": "",
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url).model_copy(update=NO_RATE_LIMITS)


@pytest.fixture
async def app(settings: Settings, clean_database: None) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def admin(app: FastAPI) -> Actor:
    return await sign_in_as(app, "admin@example.test", frozenset({Role.ADMIN}), full_name="Ada")


@pytest.fixture
async def manager(app: FastAPI) -> Actor:
    return await sign_in_as(app, "manager@example.test", frozenset({Role.MANAGER}))


@pytest.fixture
async def customer(app: FastAPI) -> Actor:
    return await sign_in_as(
        app, "customer@example.test", frozenset({Role.CUSTOMER}), full_name="Cora Customer"
    )


@pytest.fixture
async def other_customer(app: FastAPI) -> Actor:
    return await sign_in_as(app, "other@example.test", frozenset({Role.CUSTOMER}))
