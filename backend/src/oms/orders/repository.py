"""All SQL of the orders module.

Every query a caller can reach starts from `visible_orders`, the one place that limits a
customer to their own orders; staff (with `orders:read-all`) see all.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from oms.auth import service as auth
from oms.auth.permissions import Permission
from oms.orders.models import ORDER_NUMBER_SEQUENCE, Order
from oms.orders.schemas import parse_number


def visible_orders(principal: auth.Principal) -> Select[Order]:
    query = select(Order)
    if not principal.can(Permission.ORDERS_READ_ALL):
        query = query.where(Order.customer_id == principal.user_id)
    return query


async def next_order_number(session: AsyncSession) -> int:
    number = await session.scalar(select(ORDER_NUMBER_SEQUENCE.next_value()))
    assert number is not None
    return int(number)


async def add(session: AsyncSession, order: Order) -> None:
    session.add(order)
    await session.flush()


async def order_with_items(
    session: AsyncSession, order_id: uuid.UUID, principal: auth.Principal, *, lock: bool = False
) -> Order | None:
    """The order if `principal` may see it; `lock` takes its row lock (FOR UPDATE) until the
    transaction ends, so concurrent changes of one order queue up."""
    query = visible_orders(principal).where(Order.id == order_id).options(selectinload(Order.items))
    if lock:
        query = query.with_for_update(of=Order)
    return (await session.scalars(query)).first()


@dataclass(frozen=True, slots=True)
class OrderFilter:
    statuses: tuple[str, ...] = ()
    customer_id: uuid.UUID | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = None


async def list_orders(
    session: AsyncSession,
    principal: auth.Principal,
    filters: OrderFilter,
    *,
    before_number: int | None,
    limit: int,
) -> Sequence[Order]:
    """Newest first by order number (unique, so the keyset is stable)."""
    query = visible_orders(principal)
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
    if before_number is not None:
        query = query.where(Order.number < before_number)
    query = query.order_by(Order.number.desc()).limit(limit)
    return (await session.scalars(query)).all()


def _matching(text: str) -> ColumnElement[bool]:
    """Free text: the order number (OMS-000123 or 123) or part of the customer's email."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches: list[ColumnElement[bool]] = [Order.customer_email.ilike(f"%{escaped}%", escape="\\")]
    number = parse_number(text)
    if number is not None:
        matches.append(Order.number == number)
    return or_(*matches)
