"""Migrations apply to an empty database, reverse cleanly, and agree with the models."""

import asyncio
import os
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from oms.core import migrations
from oms.core.db import Base, create_engine
from oms.model_registry import import_all_models
from tests.database import checkout_tag, create_database, drop_database


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    name = f"oms_migrations_{checkout_tag()}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    url = create_database(server_url, name)
    yield url
    drop_database(server_url, name)


def _diff(connection: Connection) -> list[object]:
    import_all_models()
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _inspect(url: str) -> tuple[list[object], set[str], str | None]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(_diff)
            tables = await connection.run_sync(_tables)
            version = None
            if "alembic_version" in tables:
                version = (
                    await connection.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar()
            return diff, tables, version
    finally:
        await engine.dispose()


def test_upgrade_from_empty_matches_the_models(empty_database: str) -> None:
    migrations.upgrade(empty_database)

    diff, tables, version = asyncio.run(_inspect(empty_database))
    assert diff == []
    assert version is not None
    assert {table.name for table in Base.metadata.sorted_tables} <= tables


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(
    empty_database: str,
) -> None:
    migrations.upgrade(empty_database)
    migrations.downgrade(empty_database, "base")

    _, tables, version = asyncio.run(_inspect(empty_database))
    assert tables <= {"alembic_version"}
    assert version is None

    migrations.upgrade(empty_database)
    diff, _, version = asyncio.run(_inspect(empty_database))
    assert diff == []
    assert version is not None


def test_the_migrations_have_one_head_and_one_base() -> None:
    """`oms migrate` upgrades to `head`: a second head (two migrations written on one parent)
    would make it fail, so the branches are merged before they land."""
    script = ScriptDirectory.from_config(migrations.alembic_config("postgresql://unused@/x"))

    assert len(script.get_heads()) == 1, script.get_heads()
    assert len(script.get_bases()) == 1, script.get_bases()
