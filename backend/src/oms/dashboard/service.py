"""The dashboard's one use case: compose the figures of the modules that own them."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import service as branding
from oms.dashboard.schemas import (
    DAYS_CHARTED,
    FAILURES_SHOWN,
    Dashboard,
    DayFigures,
    FailedDelivery,
    OutboxBacklog,
    PeriodFigures,
    StatusCount,
)
from oms.integrations import service as integrations
from oms.orders import service as orders
from oms.outbox import service as outbox
from oms.workflow import service as workflow

__all__ = ["DEFAULT_TIMEZONE", "dashboard"]

# Branding has no time zone of its own yet: days are counted in UTC unless asked otherwise.
DEFAULT_TIMEZONE = "UTC"


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _sum(days: list[DayFigures]) -> PeriodFigures:
    return PeriodFigures(
        orders=sum(d.orders for d in days), revenue=sum((d.revenue for d in days), Decimal(0))
    )


async def dashboard(
    session: AsyncSession, *, timezone: str | None, now: datetime | None = None
) -> Dashboard:
    """The figures as of `now` (default: the present), days counted in `timezone`."""
    zone_name = timezone or DEFAULT_TIMEZONE
    zone = ZoneInfo(zone_name)
    now = now or datetime.now(UTC)
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=DAYS_CHARTED - 1)

    statuses = await workflow.list_statuses(session)
    currency = await branding.shop_currency(session)
    days = [first_day + timedelta(days=n) for n in range(DAYS_CHARTED)]
    found = await orders.figures_per_period(
        session,
        [_start_of(day, zone) for day in [*days, today + timedelta(days=1)]],
        currency=currency,
        unpaid_statuses=[s.code for s in statuses if s.releases_stock],
    )
    per_day = [
        DayFigures(day=day, orders=figures.orders, revenue=figures.revenue)
        for day, figures in zip(days, found, strict=True)
    ]
    week_start = today - timedelta(days=today.weekday())

    counts = await orders.order_counts_by_status(session)
    per_status = [
        StatusCount(code=s.code, name=s.name, colour=s.colour, count=counts.get(s.code, 0))
        for s in statuses
    ]

    unpublished, oldest_at = await outbox.backlog(session)
    failures = await integrations.latest_failed_deliveries(session, FAILURES_SHOWN)
    numbers = await orders.order_numbers(
        session, [f.order_id for f in failures if f.order_id is not None]
    )
    return Dashboard(
        timezone=zone_name,
        currency=currency,
        generated_at=now,
        today=_sum(per_day[-1:]),
        this_week=_sum([d for d in per_day if d.day >= week_start]),
        per_status=per_status,
        per_day=per_day,
        outbox=OutboxBacklog(
            unpublished=unpublished,
            oldest_at=oldest_at,
            oldest_age_seconds=max(0.0, (now - oldest_at).total_seconds()) if oldest_at else None,
        ),
        failed_deliveries=[
            FailedDelivery(
                id=f.id,
                worker_type=f.worker,
                event_type=f.event_type,
                order_id=f.order_id,
                order_number=numbers.get(f.order_id) if f.order_id else None,
                status=f.status,
                attempts=f.attempt,
                last_error=f.error,
                at=f.started_at,
            )
            for f in failures
        ],
    )
