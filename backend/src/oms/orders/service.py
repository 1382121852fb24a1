"""The orders module's public interface: place an order, change its status, read orders.

Each use case runs inside the caller's transaction (the request's): stock, the order, its
history and its outbox event are written together or not at all.
"""

import uuid
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import service as auth
from oms.core import audit
from oms.core.etags import etag, if_match_passes
from oms.core.metrics import on_commit
from oms.core.pagination import Page, decode_cursor, page_of
from oms.orders import pricing, repository
from oms.orders.errors import (
    CustomerChoiceNotAllowed,
    OrderNotFound,
    StaleOrder,
    UnknownCustomer,
)
from oms.orders.metrics import ORDERS_CREATED, STATUS_CHANGES
from oms.orders.models import Order, OrderItem
from oms.orders.repository import OrderFilter, PeriodFigures
from oms.orders.schemas import (
    OrderCreate,
    OrderSummary,
    Quote,
    QuoteItem,
    QuoteRequest,
    StatusChange,
    format_number,
)
from oms.orders.snapshot import order_snapshot
from oms.outbox import service as outbox
from oms.products import service as products
from oms.workflow import service as workflow

__all__ = [
    "OrderFilter",
    "PeriodFigures",
    "allowed_targets",
    "change_status",
    "create_order",
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
    order = await repository.order_with_items(session, order_id, _visibility(principal))
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
    order = await repository.order_with_items(session, order_id, _visibility(principal), lock=True)
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


async def list_orders(
    session: AsyncSession,
    principal: auth.Principal,
    filters: OrderFilter,
    *,
    cursor: str | None,
    limit: int,
) -> Page[OrderSummary]:
    """Newest first (by order number, a unique key, so pages are stable)."""
    after = decode_cursor(cursor, int)[0] if cursor else None
    rows = await repository.list_orders(
        session, _visibility(principal), filters, before_number=after, limit=limit + 1
    )
    return page_of(rows, limit, lambda row: [row.number], OrderSummary.model_validate)


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
        customer_id=_visibility(principal).customer_id,
        order_id=order_id,
        last_event_id=last_event_id,
    )


def _visibility(principal: auth.Principal) -> repository.Visibility:
    """Whose orders `principal` sees: staff who may read all see every customer's."""
    if principal.can(auth.Permission.ORDERS_READ_ALL):
        return repository.ALL_ORDERS
    return repository.Visibility(customer_id=principal.user_id)


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
