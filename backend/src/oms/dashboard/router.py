"""HTTP endpoint of the admin dashboard."""

from typing import Annotated

from fastapi import APIRouter, Query

from oms.auth.dependencies import AllOrdersReader
from oms.core.db import Session
from oms.core.openapi import problems
from oms.dashboard import service
from oms.dashboard.schemas import Dashboard, TimeZoneName

router = APIRouter(prefix="/stats", tags=["stats"])


@router.get("/dashboard", responses=problems({400: "`tz` is not an IANA time zone name."}))
async def get_dashboard(
    _: AllOrdersReader,
    session: Session,
    tz: Annotated[
        TimeZoneName | None,
        Query(
            description="IANA name of the time zone days and weeks are counted in "
            f"(default: {service.DEFAULT_TIMEZONE})."
        ),
    ] = None,
) -> Dashboard:
    """Orders and revenue today, this week and per day over the last 30 days, orders per
    status, the outbox backlog and the latest failed deliveries (staff only)."""
    return await service.dashboard(session, timezone=tz)
