"""The small HTTP port of a relay or worker process (`OMS_HEALTH_PORT`): `/health/live`,
`/health` and `/metrics`, as the API serves them, for probes and Prometheus.

It runs in the process's own event loop beside the work; the process, not uvicorn, owns
SIGTERM, so stopping it is the caller's `stop()`.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from oms.core import metrics
from oms.core.errors import problem_response
from oms.core.health import HealthCheck, HealthRead, readiness
from oms.core.server import bind_socket

MetricsText = Callable[[], Awaitable[bytes]]


def health_app(checks: dict[str, HealthCheck], metrics_text: MetricsText) -> Starlette:
    async def live(request: Request) -> JSONResponse:
        return JSONResponse(HealthRead(status="ok", checks={}).model_dump())

    async def ready(request: Request) -> JSONResponse:
        status, body = await readiness(checks)
        return JSONResponse(body.model_dump(), status_code=status)

    async def scrape(request: Request) -> Response:
        return Response(await metrics_text(), media_type=metrics.CONTENT_TYPE)

    async def problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return problem_response(request, error.status_code, headers=dict(error.headers or {}))

    return Starlette(
        routes=[
            Route("/health/live", live, methods=["GET"]),
            Route("/health", ready, methods=["GET"]),
            Route("/metrics", scrape, methods=["GET"]),
        ],
        exception_handlers={HTTPException: problem},
    )


class _InLoopServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The process's own handlers stop the work first, then this server.
        yield


class HealthServer:
    """Binds at construction, so a taken port stops start-up with a clear error."""

    def __init__(
        self,
        host: str,
        port: int,
        checks: dict[str, HealthCheck],
        metrics_text: MetricsText,
    ) -> None:
        self.socket = bind_socket(host, port, setting="OMS_HEALTH_PORT")
        config = uvicorn.Config(
            health_app(checks, metrics_text),
            log_config=None,
            access_log=False,
            server_header=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = _InLoopServer(config)
        self._task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        port: int = self.socket.getsockname()[1]
        return port

    def start(self) -> None:
        self._task = asyncio.create_task(
            self._server.serve(sockets=[self.socket]), name="health-server"
        )

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.socket.close()
