"""All SQL of the orders module.

Every query a caller can reach starts from `visible_orders`, the one place that limits a
customer to their own orders; the service says whose orders a caller sees (`Visibility`).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    String,
    bindparam,
    false,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from oms.core.pagination import keyset_after
from oms.orders.models import (
    ORDER_NUMBER_SEQUENCE,
    Order,
    OrderItem,
    OrderNote,
    OrderStatusCount,
)
from oms.orders.schemas import OrderSort, parse_number, searchable_text


@dataclass(frozen=True, slots=True)
class Visibility:
    """Whose orders a caller may see: one customer's, or every customer's (`ALL_ORDERS`)."""

    customer_id: uuid.UUID | None


ALL_ORDERS = Visibility(customer_id=None)


def visible_orders(visibility: Visibility) -> Select[Order]:
    query = select(Order)
    if visibility.customer_id is not None:
        query = query.where(Order.customer_id == visibility.customer_id)
    return query


async def insert_order(session: AsyncSession, order: Order) -> None:
    """Insert a new order and its items, drawing its number from the sequence.

    Two statements, not the unit of work: the hottest write of OMS skips the ORM's flush
    bookkeeping and a round trip for the number (which comes back with RETURNING).
    """
    values = {
        column.key: getattr(order, column.key)
        for column in Order.__table__.columns
        if column.key != "number"
    }
    number = await session.scalar(
        insert(Order)
        .values(**values, number=ORDER_NUMBER_SEQUENCE.next_value())
        .returning(Order.number)
    )
    assert number is not None
    order.number = number
    await session.execute(
        insert(OrderItem),
        [
            {column.key: getattr(item, column.key) for column in OrderItem.__table__.columns}
            for item in order.items
        ],
    )


async def has_orders(session: AsyncSession, customer_id: uuid.UUID) -> bool:
    found = await session.scalar(select(Order.id).where(Order.customer_id == customer_id).limit(1))
    return found is not None


@dataclass(frozen=True, slots=True)
class CustomerFigures:
    orders: int
    last_order_at: datetime


async def figures_of_customers(
    session: AsyncSession, customer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CustomerFigures]:
    """How many orders each of these customers has, and when the latest was placed (those
    without orders are left out): one pass over `ix_orders_customer_id_number` per page of
    customers."""
    if not customer_ids:
        return {}
    rows = await session.execute(
        select(Order.customer_id, func.count(), func.max(Order.created_at))
        .where(Order.customer_id.in_(set(customer_ids)))
        .group_by(Order.customer_id)
    )
    return {customer_id: CustomerFigures(int(n), last) for customer_id, n, last in rows}


async def order_with_items(
    session: AsyncSession, order_id: uuid.UUID, visibility: Visibility, *, lock: bool = False
) -> Order | None:
    """The order if it is visible; `lock` takes its row lock (FOR UPDATE) until the
    transaction ends, so concurrent changes of one order queue up."""
    query = (
        visible_orders(visibility).where(Order.id == order_id).options(selectinload(Order.items))
    )
    if lock:
        query = query.with_for_update(of=Order)
    return (await session.scalars(query)).first()


async def order_is_visible(
    session: AsyncSession, order_id: uuid.UUID, visibility: Visibility
) -> bool:
    query = visible_orders(visibility).with_only_columns(Order.id).where(Order.id == order_id)
    return (await session.scalar(query)) is not None


# Staff's notes on an order: no query here is reachable by a customer (the routes need a
# staff permission), and each first checks the order is visible (`order_is_visible`).


async def notes_of(
    session: AsyncSession, order_id: uuid.UUID, *, before: Sequence[Any] | None, limit: int
) -> Sequence[OrderNote]:
    """Newest first, keyset-paged on (created_at, id), `limit` notes after the key `before`."""
    query = select(OrderNote).where(OrderNote.order_id == order_id)
    if before is not None:
        columns = [OrderNote.created_at, OrderNote.id]
        query = query.where(keyset_after(columns, before, descending=True))
    query = query.order_by(OrderNote.created_at.desc(), OrderNote.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def note(
    session: AsyncSession, order_id: uuid.UUID, note_id: uuid.UUID, *, lock: bool = False
) -> OrderNote | None:
    query = select(OrderNote).where(OrderNote.id == note_id, OrderNote.order_id == order_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def add_note(session: AsyncSession, note: OrderNote) -> None:
    session.add(note)
    await session.flush()


async def delete_note(session: AsyncSession, note: OrderNote) -> None:
    await session.delete(note)
    await session.flush()


@dataclass(frozen=True, slots=True)
class OrderFilter:
    statuses: tuple[str, ...] = ()
    customer_id: uuid.UUID | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = None


# The columns each sort orders by, a unique key last, so that a keyset after them is exact:
# each is served by an index (`created_at`, `(total, id)`, the unique `number`).
_SORT_KEYS: dict[str, tuple[InstrumentedAttribute[Any], ...]] = {
    "created_at": (Order.created_at, Order.id),
    "total": (Order.total, Order.id),
    "number": (Order.number,),
}


def sort_key_of(row: Any, sort: OrderSort) -> list[Any]:
    """The values of `row` (an order, or a row with the same names) that `sort` orders by."""
    return [getattr(row, column.key) for column in _SORT_KEYS[sort.field]]


def _listed(
    query: Select[Any],
    filters: OrderFilter,
    sort: OrderSort,
    after: Sequence[Any] | None,
    limit: int,
) -> Select[Any]:
    """`query` (starting from `visible_orders`) narrowed by `filters`, ordered by `sort`, the
    `limit` rows after the key `after`."""
    if filters.statuses:
        query = query.where(Order.status.in_(filters.statuses))
    if filters.customer_id is not None:
        query = query.where(Order.customer_id == filters.customer_id)
    if filters.created_from is not None:
        query = query.where(Order.created_at >= filters.created_from)
    if filters.created_to is not None:
        query = query.where(Order.created_at < filters.created_to)
    if filters.text:
        query = query.where(_matching(filters.text))
    columns = _SORT_KEYS[sort.field]
    if after is not None:
        query = query.where(keyset_after(columns, after, descending=sort.descending))
    order = [column.desc() if sort.descending else column.asc() for column in columns]
    return query.order_by(*order).limit(limit)


async def list_orders(
    session: AsyncSession,
    visibility: Visibility,
    filters: OrderFilter,
    *,
    sort: OrderSort,
    after: Sequence[Any] | None,
    limit: int,
) -> Sequence[Order]:
    """`limit` orders after the key `after`, in the order of `sort`."""
    query = _listed(visible_orders(visibility), filters, sort, after, limit)
    return (await session.scalars(query)).all()


@dataclass(frozen=True, slots=True)
class ExportedOrder:
    id: uuid.UUID
    number: int
    created_at: datetime
    status: str
    customer_email: str
    customer_name: str | None
    item_count: int
    total: Decimal
    currency: str


async def exported_orders(
    session: AsyncSession,
    visibility: Visibility,
    filters: OrderFilter,
    *,
    sort: OrderSort,
    after: Sequence[Any] | None,
    limit: int,
) -> list[ExportedOrder]:
    """As `list_orders`, only the columns an export shows, with the units ordered."""
    units = (
        select(func.coalesce(func.sum(OrderItem.quantity), 0))
        .where(OrderItem.order_id == Order.id)
        .scalar_subquery()
    )
    query = visible_orders(visibility).with_only_columns(
        Order.id,
        Order.number,
        Order.created_at,
        Order.status,
        Order.customer_email,
        Order.customer_name,
        units.label("item_count"),
        Order.total,
        Order.currency,
    )
    rows = await session.execute(_listed(query, filters, sort, after, limit))
    return [ExportedOrder(**row._mapping) for row in rows]


def _matching(text: str) -> ColumnElement[bool]:
    """Free text: the order number (OMS-000123 or 123), or part of the customer's email or
    name when it holds three letters or digits in a row (which the trigram indexes need)."""
    stripped = text.strip()
    matches: list[ColumnElement[bool]] = []
    if searchable_text(stripped):
        escaped = stripped.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        matches += [
            Order.customer_email.ilike(pattern, escape="\\"),
            Order.customer_name.ilike(pattern, escape="\\"),
        ]
    number = parse_number(text)
    if number is not None:
        matches.append(Order.number == number)
    return or_(*matches) if matches else false()


async def counts_by_status(session: AsyncSession) -> dict[str, int]:
    """From the trigger-kept counts: a count over every order is too slow for the dashboard."""
    total = func.sum(OrderStatusCount.orders)
    rows = await session.execute(
        select(OrderStatusCount.status, total).group_by(OrderStatusCount.status).having(total > 0)
    )
    return {status: int(count) for status, count in rows}


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    orders: int
    revenue: Decimal


# One index range per period, each summed on its own: cheaper than converting every order's
# time to a day and grouping (a sort of every order of the month), and it keeps empty
# periods. The index carries every column read, so no order row is visited.
_FIGURES_PER_PERIOD = text(
    """
    SELECT f.orders, f.revenue
    FROM unnest(CAST(:starts AS timestamptz[]), CAST(:stops AS timestamptz[]))
         WITH ORDINALITY AS p(start, stop, position)
    CROSS JOIN LATERAL (
        SELECT count(*) AS orders,
               coalesce(sum(o.total) FILTER (
                   WHERE o.currency = :currency AND o.status <> ALL(CAST(:unpaid AS text[]))
               ), 0) AS revenue
        FROM orders o
        WHERE o.created_at >= p.start AND o.created_at < p.stop
    ) AS f
    ORDER BY p.position
    """
).bindparams(
    bindparam("starts", type_=ARRAY(DateTime(timezone=True))),
    bindparam("stops", type_=ARRAY(DateTime(timezone=True))),
    bindparam("unpaid", type_=ARRAY(String())),
)


async def figures_per_period(
    session: AsyncSession,
    boundaries: Sequence[datetime],
    *,
    currency: str,
    unpaid_statuses: Sequence[str],
) -> list[PeriodFigures]:
    """Orders placed in each period from one boundary to the next (so one fewer than the
    boundaries); revenue sums the totals in `currency` of orders not in `unpaid_statuses`."""
    rows = await session.execute(
        _FIGURES_PER_PERIOD,
        {
            "starts": list(boundaries[:-1]),
            "stops": list(boundaries[1:]),
            "currency": currency,
            "unpaid": list(unpaid_statuses),
        },
    )
    return [PeriodFigures(orders=int(n), revenue=Decimal(r)) for n, r in rows]


async def lock_orders(
    session: AsyncSession, ids: Sequence[uuid.UUID], visibility: Visibility
) -> dict[uuid.UUID, tuple[int, str]]:
    """Lock the visible ones of these orders (FOR UPDATE) in id order, so that two changes
    of overlapping sets queue instead of deadlocking; each one's number and status."""
    query = (
        visible_orders(visibility)
        .with_only_columns(Order.id, Order.number, Order.status)
        .where(Order.id.in_(sorted(set(ids))))
        .order_by(Order.id)
        .with_for_update(of=Order)
    )
    rows = await session.execute(query)
    return {order_id: (int(number), status) for order_id, number, status in rows}


async def products_of(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """The products the items of these orders name, each once."""
    rows = await session.scalars(
        select(OrderItem.product_id).where(OrderItem.order_id.in_(list(ids))).distinct()
    )
    return list(rows)


async def numbers_of(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    rows = await session.execute(select(Order.id, Order.number).where(Order.id.in_(ids)))
    return {order_id: int(number) for order_id, number in rows}
