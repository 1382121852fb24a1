"""Prometheus metrics: the HTTP and database-pool figures every process has, counting only
what committed, and the text exposition (`GET /metrics`, docs/monitoring.md).

Counters and histograms live in each process. With `PROMETHEUS_MULTIPROC_DIR` set (several
processes behind one port, say gunicorn's workers), prometheus-client keeps them in files
there and every scrape adds up the files of all processes. Figures read from the database
or the broker when scraped (the outbox backlog, queue depths) are no process's: the caller
passes them to `exposition` as metric families.
"""

import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session as SyncSession
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms import __version__
from oms.core.startup_errors import StartupError

# A `_created` series per counter doubles the series for nothing the dashboards use.
disable_created_metrics()  # type: ignore[no-untyped-call]

# The text format every Prometheus release reads (2.x and 3.x alike).
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# Requests that no route served (a path nobody routes, a refusal before routing) share one
# label, so that random paths cannot grow the series without bound.
UNMATCHED_ROUTE = "unmatched"

BUILD_INFO = Gauge(
    "oms_build_info",
    "Always 1; `version` is the OMS release this process runs.",
    ["version"],
    multiprocess_mode="max",
)

HTTP_REQUESTS = Counter(
    "oms_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "oms_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method, route template and "
    "status code.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
DB_POOL_IN_USE = Gauge(
    "oms_db_pool_connections_in_use",
    "Database connections a process's pool has handed out and not yet got back.",
    ["pool"],
    multiprocess_mode="livesum",
)
DB_POOL_LIMIT = Gauge(
    "oms_db_pool_limit",
    "Most connections a process's pool opens (its size plus overflow).",
    ["pool"],
    multiprocess_mode="livesum",
)


# --- counting what committed -----------------------------------------------------------

_AFTER_COMMIT = "oms_metrics_after_commit"


def on_commit(session: AsyncSession, count: Callable[[], None]) -> None:
    """Run `count` once the session's transaction commits; never if it rolls back (an order
    whose request failed was never created)."""
    session.sync_session.info.setdefault(_AFTER_COMMIT, []).append(count)


@event.listens_for(SyncSession, "after_commit")
def _count_committed(session: SyncSession) -> None:
    for count in session.info.pop(_AFTER_COMMIT, ()):
        count()


@event.listens_for(SyncSession, "after_soft_rollback")
def _forget_rolled_back(session: SyncSession, previous_transaction: Any) -> None:
    if session.in_transaction():  # a savepoint rolled back; the transaction goes on
        return
    session.info.pop(_AFTER_COMMIT, None)


# --- the database pool -----------------------------------------------------------------


def watch_pool(engine: AsyncEngine, name: str, *, limit: int) -> None:
    """Keep `oms_db_pool_*{pool=name}` current as connections are checked out and in.

    Read from the pool at each event rather than counted, since a checkout that fails its
    pre-ping and cannot reconnect sends a check-in without a checkout. While a check-in
    event runs, the pool still counts that connection as out."""
    pool = engine.sync_engine.pool
    DB_POOL_LIMIT.labels(pool=name).set(limit)
    in_use = DB_POOL_IN_USE.labels(pool=name)

    def checked_out(*_: Any) -> None:
        in_use.set(pool.checkedout())  # type: ignore[attr-defined]

    def checked_in(*_: Any) -> None:
        in_use.set(pool.checkedout() - 1)  # type: ignore[attr-defined]

    event.listen(pool, "checkout", checked_out)
    event.listen(pool, "checkin", checked_in)


# --- HTTP ------------------------------------------------------------------------------


def route_template(scope: Scope) -> str | None:
    """The full path template of the route that served the request, as the OpenAPI document
    names it: FastAPI keeps the route of an included router, with its prefixes, in its own
    part of the scope (a route's `path` is relative to its router); other routes are
    Starlette's."""
    context = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(context, "path_format", None)
    if isinstance(template, str):
        return template
    route = scope.get("route")
    found = getattr(route, "path_format", None) if isinstance(route, BaseRoute) else None
    return found if isinstance(found, str) else None


class MetricsMiddleware:
    """Counts and times every HTTP request by the template of the route that served it
    (`/api/v1/orders/{order_id}`), so that ids never become labels."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            template = route_template(scope)
            labels = {
                "method": scope["method"],
                "route": template or UNMATCHED_ROUTE,
                "status": str(status),
            }
            HTTP_REQUESTS.labels(**labels).inc()
            HTTP_REQUEST_DURATION.labels(**labels).observe(time.perf_counter() - started)


# --- exposition ------------------------------------------------------------------------


class _Families(Collector):
    def __init__(self, families: Sequence[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


class _ThisProcess(Collector):
    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_DIR))


def process_started() -> None:
    """Say which release runs here; in multiprocess mode the directory must exist."""
    directory = os.environ.get(MULTIPROCESS_DIR)
    if directory and not os.path.isdir(directory):
        raise StartupError(f"{MULTIPROCESS_DIR} {directory} is not a directory")
    BUILD_INFO.labels(version=__version__).set(1)


def exposition(families: Sequence[Metric] = ()) -> bytes:
    """The Prometheus text of this process's metrics (or, in multiprocess mode, of every
    process sharing the directory), followed by `families`."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess():
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    registry.register(_Families(families))
    return generate_latest(registry)


def process_exited() -> None:
    """In multiprocess mode, drop this process's `live*` gauges from the shared files."""
    if multiprocess():
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
