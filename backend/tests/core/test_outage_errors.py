"""Which errors mean "the database is unavailable" (503) and which stay bugs (500)."""

from collections.abc import Callable

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import exc as sa

from oms.core.errors import install_error_handlers
from oms.core.outage import install_outage_handling


def _invalidated() -> Exception:
    return sa.DBAPIError("SELECT 1", None, ConnectionResetError(), connection_invalidated=True)


def _wrapped(driver_error: Exception) -> Exception:
    wrapper = sa.DBAPIError("SELECT 1", None, Exception("wrapped"))
    wrapper.orig.__cause__ = driver_error  # type: ignore[union-attr]
    return wrapper


def _in_driver() -> Exception:
    """A socket error as the driver raises it: from inside a module of the driver."""
    namespace = {"__name__": "asyncpg.connect_utils"}
    exec("def connect():\n    raise ConnectionRefusedError(111, 'refused')", namespace)  # noqa: S102
    try:
        namespace["connect"]()  # type: ignore[operator]
    except ConnectionRefusedError as error:
        return error
    raise AssertionError("unreachable")


OUTAGES: dict[str, Callable[[], Exception]] = {
    "pool timeout": lambda: sa.TimeoutError("QueuePool limit reached"),
    "invalidated connection": _invalidated,
    "server starting up": lambda: asyncpg.CannotConnectNowError("starting up"),
    "too many connections": lambda: asyncpg.TooManyConnectionsError("too many"),
    "connection gone": lambda: asyncpg.ConnectionDoesNotExistError("closed"),
    "wrapped driver error": lambda: _wrapped(asyncpg.exceptions.AdminShutdownError("bye")),
    "socket error in the driver": _in_driver,
}
BUGS: dict[str, Callable[[], Exception]] = {
    "wrong SQL": lambda: sa.ProgrammingError("SELEC 1", None, Exception("syntax")),
    "violated constraint": lambda: _wrapped(asyncpg.UniqueViolationError("duplicate")),
    "socket error elsewhere": lambda: ConnectionRefusedError(111, "refused"),
    "timeout elsewhere": lambda: TimeoutError(),
}


def _client(error: Callable[[], Exception]) -> AsyncClient:
    app = FastAPI()
    install_error_handlers(app)
    install_outage_handling(app)

    @app.get("/fails")
    async def fails() -> None:
        raise error()

    transport = ASGITransport(app=app, raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="http://testserver")


@pytest.mark.parametrize("error", OUTAGES.values(), ids=OUTAGES.keys())
async def test_a_database_outage_is_503_with_retry_after(error: Callable[[], Exception]) -> None:
    async with _client(error) as client:
        response = await client.get("/fails")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"] == "urn:oms:problem:database-unavailable"


@pytest.mark.parametrize("error", BUGS.values(), ids=BUGS.keys())
async def test_other_failures_stay_unexpected_errors(error: Callable[[], Exception]) -> None:
    async with _client(error) as client:
        response = await client.get("/fails")

    assert response.status_code == 500
    assert "retry-after" not in response.headers
