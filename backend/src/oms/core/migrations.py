"""Running Alembic from code: `oms migrate`, `oms run` and the tests all come through here."""

import asyncio
from dataclasses import dataclass
from importlib.resources import files

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from oms.core.database_url import async_url


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("oms") / "migrations"))
    config.set_main_option(
        "file_template",
        "%%(year)d%%(month).2d%%(day).2d_%%(slug)s",
    )
    config.attributes["database_url"] = str(
        async_url(database_url).render_as_string(hide_password=False)
    )
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


@dataclass(frozen=True)
class MigrationState:
    """Where a database stands against the migrations this OMS carries."""

    current: tuple[str, ...]
    heads: tuple[str, ...]
    pending: tuple[str, ...]
    # Revisions in the database this OMS does not know: a newer release migrated it.
    unknown: tuple[str, ...]


def state(database_url: str, *, timeout: float = 10.0) -> MigrationState:
    scripts = ScriptDirectory.from_config(alembic_config(database_url))
    current = tuple(sorted(asyncio.run(_applied(database_url, connect_timeout=timeout))))
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = tuple(revision for revision in current if revision not in known)
    heads = tuple(sorted(scripts.get_heads()))
    if unknown:
        return MigrationState(current, heads, (), unknown)
    applied: set[str] = set()
    for revision in current:
        applied.update(script.revision for script in scripts.iterate_revisions(revision, "base"))
    pending = tuple(
        script.revision
        for script in reversed(list(scripts.walk_revisions()))
        if script.revision not in applied
    )
    return MigrationState(current, heads, pending, ())


async def _applied(database_url: str, *, connect_timeout: float) -> list[str]:
    dsn = async_url(database_url).set(drivername="postgresql")
    connection = await asyncpg.connect(
        dsn=dsn.render_as_string(hide_password=False), timeout=connect_timeout
    )
    try:
        exists = await connection.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL")
        if not exists:
            return []
        return [row[0] for row in await connection.fetch("SELECT version_num FROM alembic_version")]
    finally:
        await connection.close()
