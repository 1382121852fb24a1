"""The database being down is answered as what it is: 503 problem+json with `Retry-After`.

Every wait on the database is bounded by the engine (`oms.core.db.create_engine`), so an
unreachable or silent server fails a request within seconds; here that failure, in whatever
form the driver or the pool raises it, becomes one problem type. The outage is logged once,
a warning when it starts and an info line when a connection works again, rather than as a
traceback per request.
"""

import traceback
from collections.abc import Iterator

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import event
from sqlalchemy import exc as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.core.errors import PROBLEM_TYPE_PREFIX, problem_response

DATABASE = "database"
# A restarting or failing-over server is usually back within seconds; sooner would only add
# load to a struggling one.
RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = (
    "The database is unreachable or did not answer in time; retry after `Retry-After` seconds."
)

log = structlog.get_logger("oms.outage")

_OUTAGE_ERRORS = (
    asyncpg.PostgresConnectionError,  # class 08: the connection failed
    asyncpg.exceptions.OperatorInterventionError,  # 57: shutting down, starting up, cancelled
    asyncpg.exceptions.InsufficientResourcesError,  # 53: too many connections, disk full
    asyncpg.InterfaceError,  # the connection is closed or does not exist
    sa.TimeoutError,  # no pooled connection came free in time
)
# What the driver and the pool let through unwrapped, besides their own errors: the socket's
# errors (refused, reset, timed out) while connecting, pinging or running a statement.
_DRIVER_ERROR_TYPES = (sa.SQLAlchemyError, asyncpg.PostgresError, asyncpg.InterfaceError, OSError)
_DRIVER_MODULES = ("asyncpg.", "sqlalchemy.")


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, the driver error a SQLAlchemy error wraps, and what each was raised from."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending += [
            orig if isinstance(orig, BaseException) else None,
            current.__cause__,
            current.__context__,
        ]


def _raised_by_the_driver(error: OSError) -> bool:
    """A bare OSError (TimeoutError, ConnectionResetError) means the database only when it
    rose through the driver or the pool."""
    return any(
        str(frame.f_globals.get("__name__", "")).startswith(_DRIVER_MODULES)
        for frame, _ in traceback.walk_tb(error.__traceback__)
    )


def is_database_outage(error: BaseException) -> bool:
    for cause in _causes(error):
        if isinstance(cause, _OUTAGE_ERRORS):
            return True
        if isinstance(cause, sa.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, OSError) and _raised_by_the_driver(cause):
            return True
    return False


def _reason(error: BaseException) -> str:
    """The innermost cause, as the driver words it; SQLAlchemy's own text carries the SQL
    and its parameters, which do not belong in a log line."""
    root = error
    for cause in _causes(error):
        root = cause
    return f"{type(root).__name__}: {root}".rstrip(": ")


class OutageLog:
    """Which dependencies are down, so that each outage is logged when it starts and ends."""

    def __init__(self) -> None:
        self._down: set[str] = set()

    def noticed(self, dependency: str, error: BaseException) -> None:
        if dependency not in self._down:
            self._down.add(dependency)
            log.warning("dependency unavailable", dependency=dependency, reason=_reason(error))

    def recovered(self, dependency: str) -> None:
        if dependency in self._down:
            self._down.discard(dependency)
            log.info("dependency available again", dependency=dependency)


async def _on_driver_error(request: Request, error: Exception) -> JSONResponse:
    if not is_database_outage(error):
        raise error  # any other failure is answered as an unexpected error (500)
    outages: OutageLog = request.app.state.outages
    outages.noticed(DATABASE, error)
    return problem_response(
        request,
        503,
        title="Service Unavailable",
        detail=DATABASE_UNAVAILABLE,
        type_=f"{PROBLEM_TYPE_PREFIX}{DATABASE}-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_outage_handling(app: FastAPI) -> None:
    app.state.outages = OutageLog()
    for error_type in _DRIVER_ERROR_TYPES:
        app.add_exception_handler(error_type, _on_driver_error)


def watch_database_recovery(app: FastAPI, engine: AsyncEngine) -> None:
    """A connection handed out (after its pre-ping) means the database answers again."""
    outages: OutageLog = app.state.outages

    def checked_out(*_: object) -> None:
        outages.recovered(DATABASE)

    event.listen(engine.sync_engine, "checkout", checked_out)
