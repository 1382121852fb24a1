"""Fixtures of the operations commands' tests: databases of their own (the commands back
them up, wipe and restore them), and running `oms` as an operator does."""

import os
import subprocess
from collections.abc import Iterator
from itertools import count

import asyncpg
import pytest

from oms.core import migrations
from tests.database import checkout_tag, create_database, drop_database, plain_dsn
from tests.events.conftest import amqp_base_url, amqp_url
from tests.processes import OMS, oms_env

__all__ = ["amqp_base_url", "amqp_url"]

_numbers = count()


class Databases:
    """Fresh databases on the test server, dropped at the end of the test."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.names: list[str] = []

    def create(self, *, migrated: bool = True) -> str:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"oms_test_{checkout_tag()}_{worker}_ops{next(_numbers)}"
        url = create_database(self.server_url, name)
        self.names.append(name)
        if migrated:
            migrations.upgrade(url)
        return url

    def drop_all(self) -> None:
        for name in self.names:
            drop_database(self.server_url, name)


@pytest.fixture
def databases(server_url: str) -> Iterator[Databases]:
    made = Databases(server_url)
    yield made
    made.drop_all()


def oms(*args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OMS, *args], env=oms_env(**env), capture_output=True, text=True, timeout=timeout
    )


async def table_contents(url: str) -> dict[str, str]:
    """Every table of the public schema and a digest of all its rows."""
    connection = await asyncpg.connect(plain_dsn(url), timeout=10)
    try:
        tables = [
            row[0]
            for row in await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        digests = {}
        for table in tables:
            digests[table] = await connection.fetchval(
                f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "  # noqa: S608
                f"ORDER BY t::text)), '') FROM \"{table}\" t"
            )
        return digests
    finally:
        await connection.close()


async def execute(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(plain_dsn(url), timeout=10)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()
