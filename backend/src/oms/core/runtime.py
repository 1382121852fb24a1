"""What every command needs first: valid settings, a writable data dir, a reachable database."""

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from pydantic import ValidationError

from oms.core.database_url import async_url, describe
from oms.core.embedded_postgres import embedded_postgres
from oms.core.settings import Settings, get_settings
from oms.core.startup_errors import StartupError


def load_settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        problems = "; ".join(
            f"OMS_{'_'.join(str(part) for part in item['loc']).upper()}: {item['msg']}"
            for item in error.errors()
        )
        raise StartupError(f"invalid setting {problems}") from error


def ensure_writable_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise StartupError(
            f"data dir {path} is not writable ({error.strerror or error}); set OMS_DATA_DIR"
        ) from error
    if not os.access(path, os.W_OK | os.X_OK):
        raise StartupError(f"data dir {path} is not writable; set OMS_DATA_DIR")


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The configured server's URL, or an embedded server's for as long as the block runs."""
    if settings.database_url:
        yield settings.database_url
        return
    ensure_writable_dir(settings.data_dir)
    with embedded_postgres(settings.data_dir) as url:
        yield url


def check_database(url: str, timeout: float) -> None:
    async def connect() -> None:
        parsed = async_url(url)
        connection = await asyncpg.connect(
            dsn=parsed.set(drivername="postgresql").render_as_string(hide_password=False),
            timeout=timeout,
        )
        await connection.close()

    try:
        asyncio.run(connect())
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        reason = str(error) or type(error).__name__
        raise StartupError(f"cannot reach the database at {describe(url)}: {reason}") from error
