"""Liveness and readiness: `/health/live` says the process runs, `/health` that it can work."""

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

HealthCheck = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 3.0

router = APIRouter(tags=["health"])


class HealthRead(BaseModel):
    status: str
    checks: dict[str, str]


def database_check(engine: AsyncEngine) -> HealthCheck:
    async def check() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


async def _run(check: HealthCheck) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await check()
    except TimeoutError:
        return "timeout"
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        return f"error: {type(error).__name__}"
    return "ok"


async def readiness(checks: dict[str, HealthCheck]) -> tuple[int, HealthRead]:
    """Every check at once, each bounded: 200 when all pass, else 503 naming what failed."""
    names = list(checks)
    results = await asyncio.gather(*(_run(checks[name]) for name in names))
    outcome = dict(zip(names, results, strict=True))
    healthy = all(result == "ok" for result in results)
    body = HealthRead(status="ok" if healthy else "unavailable", checks=outcome)
    return (200 if healthy else 503), body


@router.get(
    "/health",
    response_model=HealthRead,
    responses={503: {"model": HealthRead, "description": "A dependency is unavailable"}},
)
async def get_health(request: Request) -> JSONResponse:
    status, body = await readiness(request.app.state.health_checks)
    return JSONResponse(body.model_dump(), status_code=status)


@router.get("/health/live", response_model=HealthRead)
async def get_liveness() -> HealthRead:
    return HealthRead(status="ok", checks={})
