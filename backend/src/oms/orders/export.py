"""The CSV export of orders: the orders a listing selects, all of them, read in batches."""

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.core.csv_export import csv_cell, csv_lines
from oms.orders import repository
from oms.orders.repository import ExportedOrder, OrderFilter
from oms.orders.schemas import OrderSort, format_number
from oms.workflow import service as workflow

BATCH = 1000
COLUMNS = (
    "number",
    "created_at",
    "status",
    "status_name",
    "customer_email",
    "customer_name",
    "item_count",
    "total",
    "currency",
)


async def csv_lines_of(
    sessions: async_sessionmaker[AsyncSession],
    visibility: repository.Visibility,
    filters: OrderFilter,
    sort: OrderSort,
) -> AsyncIterator[str]:
    """A header line, then a line per order `filters` select, in the order of `sort`.

    Read in batches of `BATCH`, each in its own short transaction, so the export never
    holds more than one batch nor a connection between batches (a slow reader holds
    nothing); the keyset (immutable columns, a unique one last) neither repeats nor skips
    an order.
    """
    yield csv_lines([COLUMNS])
    names: dict[str, str] | None = None
    after: list[Any] | None = None
    while True:
        async with sessions() as session, session.begin():
            if names is None:
                statuses = await workflow.list_statuses(session)
                names = {status.code: status.name for status in statuses}
            rows = await repository.exported_orders(
                session, visibility, filters, sort=sort, after=after, limit=BATCH
            )
        if not rows:
            return
        yield csv_lines([_cells(row, names) for row in rows])
        if len(rows) < BATCH:
            return
        after = repository.sort_key_of(rows[-1], sort)


def _cells(row: ExportedOrder, status_names: dict[str, str]) -> list[str]:
    return [
        csv_cell(value)
        for value in (
            format_number(row.number),
            row.created_at,
            row.status,
            status_names.get(row.status, row.status),
            row.customer_email,
            row.customer_name,
            row.item_count,
            row.total,
            row.currency,
        )
    ]
