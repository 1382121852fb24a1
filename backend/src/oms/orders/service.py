"""The orders module's public interface: place an order, change its status (one order or
many), read and export orders.

Each use case runs inside the caller's transaction (the request's): stock, the order, its
history and its outbox event are written together or not at all.
"""

import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.auth import service as auth
from oms.core import audit
from oms.core.errors import ProblemError
from oms.core.etags import etag, if_match_passes
from oms.core.metrics import on_commit
from oms.core.pagination import InvalidCursor, Page, decode_cursor, page_of
from oms.orders import export, pricing, repository
from oms.orders.errors import (
    CustomerChoiceNotAllowed,
    OrderNotFound,
    SearchTooShort,
    StaleOrder,
    UnknownCustomer,
)
from oms.orders.metrics import ORDERS_CREATED, STATUS_CHANGES
from oms.orders.models import Order, OrderItem
from oms.orders.repository import OrderFilter, PeriodFigures
from oms.orders.schemas import (
    MIN_SEARCH_RUN,
    BulkStatusChange,
    OrderCreate,
    OrderSort,
    OrderSummary,
    Quote,
    QuoteItem,
    QuoteRequest,
    StatusChange,
    format_number,
    parse_number,
    searchable_text,
)
from oms.orders.snapshot import order_snapshot
from oms.orders.visibility import visibility_of
from oms.outbox import service as outbox
from oms.products import service as products
from oms.workflow import service as workflow

__all__ = [
    "BulkOutcome",
    "OrderFilter",
    "OrderSort",
    "PeriodFigures",
    "allowed_targets",
    "change_status",
    "change_status_of_many",
    "create_order",
    "export_orders",
    "figures_per_period",
    "follow_order_events",
    "get_order",
    "list_orders",
    "order_counts_by_status",
    "order_numbers",
    "quote_order",
]


async def create_order(
    session: AsyncSession, data: OrderCreate, principal: auth.Principal, *, currency: str
) -> Order:
    """Place an order: reserve stock (row locks, no overselling), price it from the
    catalogue, give it the workflow's initial status and record `order.created`."""
    customer = await _customer(session, data.customer_id, principal)
    lines = _requested(data)
    snapshots = await products.reserve_stock(session, _stock_lines(lines))
    priced_order = _priced(lines, snapshots)
    priced, total = priced_order.lines, priced_order.total
    initial = await workflow.initial_status(session)
    now = datetime.now(UTC)
    order_id = uuid.uuid4()
    order = Order(
        id=order_id,
        customer_id=customer.id,
        customer_email=customer.email,
        customer_name=customer.name,
        status=initial.code,
        currency=currency,
        total=total,
        shipping_address=data.shipping_address.model_dump(mode="json"),
        note=data.note,
        status_history=[
            _history_entry(
                initial.code,
                now,
                principal,
                data.note,
                email=customer.email if customer.id == principal.user_id else None,
            )
        ],
        version=0,
        created_at=now,
        updated_at=now,
        items=[
            OrderItem(
                id=uuid.uuid4(),
                order_id=order_id,
                position=position,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line.line_total,
            )
            for position, line in enumerate(priced, start=1)
        ],
    )
    await repository.insert_order(session, order)
    on_commit(session, ORDERS_CREATED.inc)
    entry = order.status_history[0]
    await outbox.record_event(
        session,
        outbox.OrderCreatedData(
            order=order_snapshot(order, _status_ref(initial)),
            actor=outbox.Actor.model_validate(entry["actor"]),
        ),
        occurred_at=now,
    )
    return order


def _requested(data: OrderCreate | QuoteRequest) -> list[pricing.RequestedLine]:
    return [pricing.RequestedLine(item.quantity, item.product_id, item.sku) for item in data.items]


def _stock_lines(lines: list[pricing.RequestedLine]) -> list[products.StockLine]:
    return [
        products.StockLine(quantity=line.quantity, product_id=line.product_id, sku=line.sku)
        for line in lines
    ]


def _priced(
    lines: list[pricing.RequestedLine], snapshots: list[products.ProductSnapshot]
) -> pricing.PricedOrder:
    return pricing.price_order(
        lines, [pricing.CatalogueProduct(s.id, s.sku, s.name, s.price) for s in snapshots]
    )


async def quote_order(
    session: AsyncSession, data: QuoteRequest, principal: auth.Principal, *, currency: str
) -> Quote:
    """Price `data` as `create_order` would, against the stock as it is now; nothing is
    written or locked. Short stock is not an error here but a line `in_stock: false` and a
    problem; anything else `create_order` would refuse is refused alike."""
    await _customer(session, data.customer_id, principal)
    lines = _requested(data)
    snapshots = await products.stock_for(session, _stock_lines(lines))
    priced = _priced(lines, snapshots)
    stock = {snapshot.id: snapshot.stock for snapshot in snapshots}
    items, problems = [], []
    for line in priced.lines:
        available = stock[line.product_id]
        in_stock = available is None or line.quantity <= available
        if not in_stock:
            problems.append(
                f"Only {available} of {line.sku!r} in stock, {line.quantity} requested."
            )
        items.append(
            QuoteItem(
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
                available=available,
                in_stock=in_stock,
            )
        )
    return Quote(currency=currency, items=items, total=priced.total, problems=problems)


async def get_order(session: AsyncSession, order_id: uuid.UUID, principal: auth.Principal) -> Order:
    """The order with its items; 404 when it does not exist or is another customer's."""
    order = await repository.order_with_items(session, order_id, visibility_of(principal))
    if order is None:
        raise OrderNotFound(order_id)
    return order


async def allowed_targets(
    session: AsyncSession, order_id: uuid.UUID, principal: auth.Principal
) -> list[workflow.StatusInfo]:
    order = await get_order(session, order_id, principal)
    return await workflow.allowed_targets(session, order.status, principal)


async def change_status(
    session: AsyncSession,
    order_id: uuid.UUID,
    change: StatusChange,
    principal: auth.Principal,
    *,
    if_match: str | None = None,
) -> Order:
    """Move the order to `change.status` if the workflow lets `principal` do it.

    The order's row lock serialises concurrent changes; each appends one history entry,
    bumps the version and records one `order.status_changed` event. Entering a status
    that releases stock gives it back; leaving one for a status that does not takes it
    again (and fails if it is gone).
    """
    order = await repository.order_with_items(
        session, order_id, visibility_of(principal), lock=True
    )
    if order is None:
        raise OrderNotFound(order_id)
    if not if_match_passes(if_match, order.version):
        raise StaleOrder(etag(order.version))
    move = await workflow.check_transition(session, order.status, change.status, principal)
    stock = [(item.product_id, item.quantity) for item in order.items]
    if move.target.releases_stock and not move.source.releases_stock:
        await products.release_stock(session, stock)
    elif move.source.releases_stock and not move.target.releases_stock:
        await products.reserve_stock(
            session, [products.StockLine(quantity=q, product_id=p) for p, q in stock]
        )
    now = datetime.now(UTC)
    entry = _history_entry(move.target.code, now, principal, change.note)
    order.status = move.target.code
    order.status_history = [*order.status_history, entry]
    order.version += 1
    order.updated_at = now
    await session.flush()
    on_commit(session, STATUS_CHANGES.labels(status=move.target.code).inc)
    await outbox.record_event(
        session,
        outbox.OrderStatusChangedData(
            order=order_snapshot(order, _status_ref(move.target)),
            previous_status=_status_ref(move.source),
            actor=outbox.Actor.model_validate(entry["actor"]),
            note=change.note,
        ),
        occurred_at=now,
    )
    audit.record(
        session,
        action="order.status_changed",
        entity="order",
        entity_id=order.id,
        before={"status": move.source.code},
        after={
            "status": move.target.code,
            "note": change.note,
            "number": format_number(order.number),
        },
    )
    return order


# What a cursor of each sort holds after the sort's name: the values of its key.
_CURSOR_TYPES: dict[str, tuple[type, ...]] = {
    "created_at": (datetime, uuid.UUID),
    "total": (Decimal, uuid.UUID),
    "number": (int,),
}
# A total in a cursor must fit the column (NUMERIC(14, 2)) it is compared with.
_TOTAL_BOUND = Decimal(10) ** 12


def _cursor_key(cursor: str, sort: OrderSort) -> list[Any]:
    """The key inside a cursor of this listing with this `sort`; 400 for any other."""
    name, *key = decode_cursor(cursor, str, *_CURSOR_TYPES[sort.field])
    if name != sort.value:
        raise InvalidCursor()
    if sort.field == "total":
        total = key[0]
        exponent = total.as_tuple().exponent
        if not (abs(total) < _TOTAL_BOUND and isinstance(exponent, int) and exponent >= -2):
            raise InvalidCursor()
    return key


def _check_search(filters: OrderFilter) -> None:
    text = filters.text
    if text and parse_number(text) is None and not searchable_text(text.strip()):
        raise SearchTooShort(MIN_SEARCH_RUN)


async def list_orders(
    session: AsyncSession,
    principal: auth.Principal,
    filters: OrderFilter,
    *,
    sort: OrderSort = OrderSort.NEWEST,
    cursor: str | None,
    limit: int,
) -> Page[OrderSummary]:
    """Ordered by `sort`, keyset-paged on its key (a unique one, so pages are stable); the
    cursor names the sort, so one from another sort is refused."""
    after = _cursor_key(cursor, sort) if cursor else None
    _check_search(filters)
    rows = await repository.list_orders(
        session, visibility_of(principal), filters, sort=sort, after=after, limit=limit + 1
    )
    return page_of(
        rows,
        limit,
        lambda row: [sort.value, *repository.sort_key_of(row, sort)],
        OrderSummary.model_validate,
    )


def export_orders(
    sessions: async_sessionmaker[AsyncSession],
    principal: auth.Principal,
    filters: OrderFilter,
    *,
    sort: OrderSort = OrderSort.NEWEST,
) -> AsyncIterator[str]:
    """The orders `list_orders` would list, all of them, as CSV lines: a header line, then
    one per order (`export.COLUMNS`). The filters are checked before anything is read."""
    _check_search(filters)
    return export.csv_lines_of(sessions, visibility_of(principal), filters, sort)


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """What became of one order of a bulk change: its new status, or the refusal."""

    order_id: uuid.UUID
    number: int | None
    status: str | None
    refusal: ProblemError | None


async def change_status_of_many(
    session: AsyncSession, data: BulkStatusChange, principal: auth.Principal
) -> list[BulkOutcome]:
    """Move each order of `data` to `data.to_status` as `change_status` would (the
    workflow's rules for the caller's roles, stock, history, audit, one event each), each in
    a savepoint of its own: a refused order is rolled back alone and reported, the others
    stand. One outcome per order, in the order given.

    Every order is locked first, in id order, and then the products whose stock the moves
    take or give back, so that concurrent changes and orders being placed queue behind this
    one instead of deadlocking with it.
    """
    locked = await repository.lock_orders(session, data.order_ids, visibility_of(principal))
    await _lock_stock_to_move(session, locked, data.to_status)
    change = StatusChange(status=data.to_status, note=data.note)
    outcomes = []
    for order_id in data.order_ids:
        try:
            async with session.begin_nested():
                order = await change_status(session, order_id, change, principal)
        except ProblemError as refusal:
            number = locked[order_id][0] if order_id in locked else None
            outcomes.append(BulkOutcome(order_id, number, None, refusal))
        else:
            outcomes.append(BulkOutcome(order_id, order.number, order.status, None))
    return outcomes


async def _lock_stock_to_move(
    session: AsyncSession, locked: dict[uuid.UUID, tuple[int, str]], target_code: str
) -> None:
    target = await workflow.status_info(session, target_code)
    if target is None:
        return  # every move is refused: no stock moves
    sources = {
        code: await workflow.status_info(session, code)
        for code in {status for _, status in locked.values()}
    }
    moving = [
        order_id
        for order_id, (_, code) in locked.items()
        if (source := sources[code]) is not None and source.releases_stock != target.releases_stock
    ]
    if moving:
        await products.lock_stock(session, await repository.products_of(session, moving))


def follow_order_events(
    hub: outbox.OrderEventHub,
    principal: auth.Principal,
    *,
    order_id: uuid.UUID | None,
    last_event_id: uuid.UUID | None,
) -> AsyncGenerator[outbox.OrderEventNotice, None]:
    """The order events `principal` may see (a customer: their own orders'; staff who read
    all orders: everyone's), live, after a replay of those since `last_event_id`."""
    return hub.follow(
        customer_id=visibility_of(principal).customer_id,
        order_id=order_id,
        last_event_id=last_event_id,
    )


@dataclass(frozen=True, slots=True)
class _Customer:
    id: uuid.UUID
    email: str
    name: str | None


async def _customer(
    session: AsyncSession, requested: uuid.UUID | None, principal: auth.Principal
) -> _Customer:
    """Whom the order is for: the caller, or (staff only) the customer they name."""
    if requested is None or requested == principal.user_id:
        if principal.email:
            return _Customer(principal.user_id, principal.email, principal.name or None)
        requested = principal.user_id
    elif not principal.can(auth.Permission.ORDERS_CREATE_FOR_CUSTOMER):
        raise CustomerChoiceNotAllowed()
    user = await auth.get_user(session, requested)
    if user is None or not user.is_active:
        raise UnknownCustomer(requested)
    return _Customer(user.id, user.email, user.full_name or None)


def _status_ref(status: workflow.StatusInfo) -> outbox.StatusRef:
    return outbox.StatusRef(code=status.code, name=status.name)


def _history_entry(
    status: str,
    at: datetime,
    principal: auth.Principal,
    note: str | None,
    *,
    email: str | None = None,
) -> dict[str, Any]:
    """`email` stands in for the actor's when their token carries none."""
    return {
        "status": status,
        "at": at.isoformat(),
        "actor": {"id": str(principal.user_id), "email": principal.email or email or ""},
        "note": note,
    }


async def order_counts_by_status(session: AsyncSession) -> dict[str, int]:
    """How many orders are in each status that has any."""
    return await repository.counts_by_status(session)


async def figures_per_period(
    session: AsyncSession,
    boundaries: Sequence[datetime],
    *,
    currency: str,
    unpaid_statuses: Sequence[str],
) -> list[PeriodFigures]:
    """Orders and revenue of each period from one boundary to the next, empty ones included."""
    return await repository.figures_per_period(
        session, boundaries, currency=currency, unpaid_statuses=unpaid_statuses
    )


async def order_numbers(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The shown number (`OMS-000123`) of each of these orders that exists."""
    numbers = await repository.numbers_of(session, list(set(ids)))
    return {order_id: format_number(number) for order_id, number in numbers.items()}
