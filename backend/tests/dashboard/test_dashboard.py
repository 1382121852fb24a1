"""GET /api/v1/stats/dashboard: figures per day and week in a time zone, per status, the
outbox backlog and the latest failed deliveries."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.dashboard import service
from oms.dashboard.schemas import Dashboard
from tests.actors import Actor
from tests.workflow.conftest import demo_workflow

__all__ = ["demo_workflow"]

DASHBOARD = "/api/v1/stats/dashboard"
# A Wednesday, 23:30 in UTC; already Thursday 00:30 in Berlin (UTC+1 in November).
NOW = datetime(2026, 11, 4, 23, 30, tzinfo=UTC)

_INSERT_ORDER = text(
    "INSERT INTO orders (id, number, customer_id, customer_email, customer_name, status, "
    "currency, total, shipping_address, status_history, version, created_at, updated_at) "
    "VALUES (:id, nextval('order_number_seq'), :customer_id, 'c@example.test', NULL, :status, "
    ":currency, :total, '{}'::jsonb, '[]'::jsonb, 0, :at, :at) RETURNING number"
)


class Seeder:
    def __init__(self, engine: AsyncEngine, customer: Actor) -> None:
        self.engine = engine
        self.customer = customer

    async def order(
        self, at: datetime, total: str, status: str = "new", currency: str = "EUR"
    ) -> uuid.UUID:
        order_id = uuid.uuid4()
        async with self.engine.begin() as connection:
            await connection.execute(
                _INSERT_ORDER,
                {
                    "id": order_id,
                    "customer_id": self.customer.user.id,
                    "status": status,
                    "currency": currency,
                    "total": Decimal(total),
                    "at": at,
                },
            )
        return order_id

    async def execute(self, sql: str, **params: Any) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text(sql), params)


@pytest.fixture
async def seed(engine: AsyncEngine, customer: Actor, demo_workflow: None) -> Seeder:
    return Seeder(engine, customer)


async def _dashboard(app: FastAPI, timezone: str | None) -> Dashboard:
    async with app.state.sessions() as session, session.begin():
        return await service.dashboard(session, timezone=timezone, now=NOW)


def _day(figures: Dashboard, day: date) -> tuple[int, Decimal]:
    (found,) = [d for d in figures.per_day if d.day == day]
    return found.orders, found.revenue


async def _seed_orders_around_midnight(seed: Seeder) -> uuid.UUID:
    first = await seed.order(datetime(2026, 11, 4, 23, 10, tzinfo=UTC), "10.00")
    await seed.order(datetime(2026, 11, 4, 22, 50, tzinfo=UTC), "20.00")
    await seed.order(datetime(2026, 11, 4, 12, 0, tzinfo=UTC), "1000.00", currency="USD")
    await seed.order(datetime(2026, 11, 2, 0, 30, tzinfo=UTC), "40.00", status="cancelled")
    await seed.order(datetime(2026, 11, 1, 23, 30, tzinfo=UTC), "80.00", status="shipped")
    await seed.order(datetime(2026, 10, 6, 12, 0, tzinfo=UTC), "5.00", status="delivered")
    await seed.order(datetime(2026, 10, 5, 23, 59, tzinfo=UTC), "7.00", status="delivered")
    return first


async def test_days_and_weeks_are_counted_in_utc_by_default(app: FastAPI, seed: Seeder) -> None:
    await _seed_orders_around_midnight(seed)

    figures = await _dashboard(app, None)

    assert figures.timezone == "UTC"
    assert figures.currency == "EUR"
    # Today: the two EUR orders and the USD one, whose total is no EUR revenue.
    assert (figures.today.orders, figures.today.revenue) == (3, Decimal("30.00"))
    # Since Monday 2 November: the cancelled order counts, its total does not.
    assert (figures.this_week.orders, figures.this_week.revenue) == (4, Decimal("30.00"))
    assert [d.day for d in figures.per_day] == [
        date(2026, 10, 6) + timedelta(days=n) for n in range(30)
    ]
    assert _day(figures, date(2026, 10, 6)) == (1, Decimal("5.00"))
    assert _day(figures, date(2026, 11, 1)) == (1, Decimal("80.00"))
    assert _day(figures, date(2026, 11, 2)) == (1, Decimal("0"))
    assert _day(figures, date(2026, 11, 3)) == (0, Decimal("0"))
    assert sum(d.orders for d in figures.per_day) == 6


async def test_days_and_weeks_follow_the_asked_time_zone(app: FastAPI, seed: Seeder) -> None:
    await _seed_orders_around_midnight(seed)

    figures = await _dashboard(app, "Europe/Berlin")

    assert figures.timezone == "Europe/Berlin"
    # Thursday 5 November in Berlin: only the order of 00:10 local time.
    assert (figures.today.orders, figures.today.revenue) == (1, Decimal("10.00"))
    # Sunday 23:30 UTC is Monday 00:30 in Berlin: the shipped order joins this week.
    assert (figures.this_week.orders, figures.this_week.revenue) == (5, Decimal("110.00"))
    assert figures.per_day[0].day == date(2026, 10, 7)
    assert figures.per_day[-1].day == date(2026, 11, 5)
    assert _day(figures, date(2026, 11, 4)) == (2, Decimal("20.00"))
    assert _day(figures, date(2026, 11, 2)) == (2, Decimal("80.00"))
    assert _day(figures, date(2026, 11, 1)) == (0, Decimal("0"))
    assert sum(d.orders for d in figures.per_day) == 5


async def test_a_zone_west_of_utc_is_still_on_the_previous_day(app: FastAPI, seed: Seeder) -> None:
    await seed.order(datetime(2026, 11, 4, 3, 0, tzinfo=UTC), "12.50")

    figures = await _dashboard(app, "America/New_York")

    # 03:00 UTC is 22:00 on Tuesday 3 November in New York; "now" is Wednesday 18:30 there.
    assert figures.per_day[-1].day == date(2026, 11, 4)
    assert (figures.today.orders, figures.today.revenue) == (0, Decimal("0"))
    assert _day(figures, date(2026, 11, 3)) == (1, Decimal("12.50"))
    assert (figures.this_week.orders, figures.this_week.revenue) == (1, Decimal("12.50"))


async def test_the_day_summer_time_ends_has_its_25_hours(app: FastAPI, seed: Seeder) -> None:
    # Sunday 25 October 2026 in Berlin runs from 22:00 UTC on the 24th to 23:00 UTC.
    await seed.order(datetime(2026, 10, 24, 21, 59, tzinfo=UTC), "1.00")
    await seed.order(datetime(2026, 10, 24, 22, 0, tzinfo=UTC), "2.00")
    await seed.order(datetime(2026, 10, 25, 22, 59, tzinfo=UTC), "4.00")
    await seed.order(datetime(2026, 10, 25, 23, 0, tzinfo=UTC), "8.00")

    figures = await _dashboard(app, "Europe/Berlin")

    assert _day(figures, date(2026, 10, 24)) == (1, Decimal("1.00"))
    assert _day(figures, date(2026, 10, 25)) == (2, Decimal("6.00"))
    assert _day(figures, date(2026, 10, 26)) == (1, Decimal("8.00"))


async def test_an_empty_shop_has_thirty_zero_days(app: FastAPI, demo_workflow: None) -> None:
    figures = await _dashboard(app, None)

    assert len(figures.per_day) == 30
    assert all(d.orders == 0 and d.revenue == 0 for d in figures.per_day)
    assert (figures.today.orders, figures.this_week.orders) == (0, 0)
    assert [s.count for s in figures.per_status] == [0] * 7
    assert figures.outbox.unpublished == 0
    assert figures.outbox.oldest_at is None
    assert figures.outbox.oldest_age_seconds is None
    assert figures.failed_deliveries == []


async def test_orders_per_status_follow_inserts_changes_and_deletes(
    app: FastAPI, seed: Seeder
) -> None:
    await _seed_orders_around_midnight(seed)

    def counts(figures: Dashboard) -> dict[str, int]:
        return {s.code: s.count for s in figures.per_status}

    figures = await _dashboard(app, None)
    assert [s.code for s in figures.per_status] == [
        "new",
        "confirmed",
        "processing",
        "shipped",
        "delivered",
        "cancelled",
        "returned",
    ]
    assert figures.per_status[0].name == "New"
    assert counts(figures) == {
        "new": 3,
        "confirmed": 0,
        "processing": 0,
        "shipped": 1,
        "delivered": 2,
        "cancelled": 1,
        "returned": 0,
    }

    await seed.execute("UPDATE orders SET status = 'confirmed' WHERE status = 'new'")
    await seed.execute("UPDATE orders SET status = status, note = 'seen'")
    await seed.execute("DELETE FROM orders WHERE status = 'delivered'")
    after = counts(await _dashboard(app, None))
    assert after["new"] == 0
    assert after["confirmed"] == 3
    assert after["delivered"] == 0
    assert after["shipped"] == 1
    assert sum(after.values()) == 5


async def test_outbox_backlog_counts_unpublished_events_and_ages_the_next(
    app: FastAPI, seed: Seeder
) -> None:
    insert = (
        "INSERT INTO outbox_events (id, type, version, occurred_at, data, published_at) "
        "VALUES (gen_random_uuid(), 'order.created', 2, :at, '{}'::jsonb, :published)"
    )
    await seed.execute(insert, at=NOW - timedelta(hours=2), published=NOW - timedelta(hours=1))
    await seed.execute(insert, at=NOW - timedelta(minutes=5), published=None)
    await seed.execute(insert, at=NOW - timedelta(minutes=1), published=None)

    backlog = (await _dashboard(app, None)).outbox

    assert backlog.unpublished == 2
    assert backlog.oldest_at == NOW - timedelta(minutes=5)
    assert backlog.oldest_age_seconds == 300.0


async def test_the_ten_latest_failed_or_dead_deliveries_newest_first(
    app: FastAPI, seed: Seeder
) -> None:
    order_id = await seed.order(NOW - timedelta(hours=1), "10.00")
    insert = (
        "INSERT INTO deliveries (id, event_id, event_type, order_id, worker, attempt, status, "
        "error, duration_ms, started_at, finished_at) VALUES (:id, gen_random_uuid(), "
        "'order.created', :order_id, 'webhook', :attempt, :status, :error, 5, :at, :at)"
    )
    ids = []
    for n in range(12):
        ids.append(uuid.uuid4())
        await seed.execute(
            insert,
            id=ids[-1],
            order_id=order_id if n == 11 else None,
            attempt=n + 1,
            status="dead" if n % 2 else "failed",
            error=f"HTTP 500 #{n}",
            at=NOW - timedelta(minutes=60 - n),
        )
    await seed.execute(
        insert, id=uuid.uuid4(), order_id=None, attempt=1, status="succeeded", error=None, at=NOW
    )

    failures = (await _dashboard(app, None)).failed_deliveries

    assert [f.id for f in failures] == list(reversed(ids))[:10]
    newest = failures[0]
    assert newest.order_id == order_id
    assert newest.order_number is not None
    assert newest.order_number.startswith("OMS-")
    assert (newest.worker_type, newest.event_type) == ("webhook", "order.created")
    assert (newest.status, newest.attempts, newest.last_error) == ("dead", 12, "HTTP 500 #11")
    assert newest.at == NOW - timedelta(minutes=49)
    assert failures[1].order_number is None


async def test_staff_read_the_dashboard_and_customers_are_refused(
    client: AsyncClient, seed: Seeder, admin: Actor, manager: Actor, customer: Actor
) -> None:
    await seed.order(datetime.now(UTC), "19.99")

    for staff in (admin, manager):
        response = await client.get(
            DASHBOARD, params={"tz": "Europe/Berlin"}, headers=staff.headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["today"] == {"orders": 1, "revenue": "19.99"}
        assert len(body["per_day"]) == 30

    refused = await client.get(DASHBOARD, headers=customer.headers)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    anonymous = await client.get(DASHBOARD)
    assert anonymous.status_code == 401


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "../etc/passwd", "europe/berlin", "x" * 65])
async def test_an_unknown_time_zone_is_a_bad_request(
    client: AsyncClient, admin: Actor, tz: str
) -> None:
    response = await client.get(DASHBOARD, params={"tz": tz}, headers=admin.headers)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "tz"
