"""What the dashboard shows, as the admin app reads it."""

import uuid
import zoneinfo
from datetime import date, datetime
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from oms.core.money import Money

DAYS_CHARTED = 30
FAILURES_SHOWN = 10


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_zone(name: str) -> str:
    if name not in _known_zones():
        raise ValueError("not an IANA time zone name (such as `Europe/Berlin` or `UTC`)")
    return name


# Listed in the schema, so that a client can offer the names and tell a valid one.
TimeZoneName = Annotated[
    str,
    Field(
        max_length=64,
        examples=["Europe/Berlin"],
        json_schema_extra={"enum": sorted(_known_zones())},
    ),
    AfterValidator(_known_zone),
]


class PeriodFigures(BaseModel):
    orders: int
    revenue: Money


class DayFigures(PeriodFigures):
    day: date


class StatusCount(BaseModel):
    code: str
    name: str
    colour: str
    count: int


class OutboxBacklog(BaseModel):
    unpublished: int = Field(description="Events the relay has yet to publish.")
    oldest_at: datetime | None = Field(
        description="When the next event the relay will publish occurred (none: no backlog)."
    )
    oldest_age_seconds: float | None = Field(description="How long that event has waited.")


class FailedDelivery(BaseModel):
    id: uuid.UUID
    worker_type: str
    event_type: str
    order_id: uuid.UUID | None
    order_number: str | None = Field(examples=["OMS-000123"])
    status: str = Field(description="`failed` (to be retried) or `dead` (given up).")
    attempts: int = Field(description="The attempt this delivery was.")
    last_error: str | None
    at: datetime


class Dashboard(BaseModel):
    """Revenue sums the totals of orders in the shop's currency, leaving out orders in a
    status that releases their stock (such as cancelled); order counts include them."""

    timezone: str = Field(description="The time zone the days and weeks are counted in.")
    currency: str = Field(description="The currency of every revenue figure: the shop's.")
    generated_at: datetime
    today: PeriodFigures
    this_week: PeriodFigures = Field(description="Since Monday, today included.")
    per_status: list[StatusCount] = Field(description="Every status, in workflow order.")
    per_day: list[DayFigures] = Field(
        description=f"The last {DAYS_CHARTED} days, oldest first, today last; every day present."
    )
    outbox: OutboxBacklog
    failed_deliveries: list[FailedDelivery] = Field(
        description=f"The latest {FAILURES_SHOWN} failed or dead deliveries, newest first."
    )
