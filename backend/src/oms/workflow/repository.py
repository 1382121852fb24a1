"""All SQL of the workflow module."""

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.locks import Lock, xact_lock
from oms.workflow.models import OrderStatus, OrderStatusTransition


async def statuses(session: AsyncSession) -> Sequence[OrderStatus]:
    rows = await session.scalars(
        select(OrderStatus).order_by(OrderStatus.position, OrderStatus.code)
    )
    return rows.all()


async def lock_workflow_size(session: AsyncSession, what: str) -> None:
    """Serialises adding `what` ("statuses" or "transitions") until the transaction ends."""
    await xact_lock(session, Lock.WORKFLOW_SIZE, what)


async def count_statuses(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(OrderStatus)) or 0)


async def count_transitions(session: AsyncSession) -> int:
    query = select(func.count()).select_from(OrderStatusTransition)
    return int(await session.scalar(query) or 0)


async def status(session: AsyncSession, code: str, *, lock: bool = False) -> OrderStatus | None:
    query = select(OrderStatus).where(OrderStatus.code == code)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def statuses_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, OrderStatus]:
    rows = await session.scalars(select(OrderStatus).where(OrderStatus.code.in_(codes)))
    return {row.code: row for row in rows}


async def initial_status(session: AsyncSession) -> OrderStatus | None:
    rows = await session.scalars(select(OrderStatus).where(OrderStatus.is_initial.is_(True)))
    return rows.first()


async def next_position(session: AsyncSession) -> int:
    highest = await session.scalar(select(func.max(OrderStatus.position)))
    return 0 if highest is None else highest + 10


async def clear_initial_flag(session: AsyncSession, *, except_code: str) -> None:
    await session.execute(
        update(OrderStatus)
        .where(OrderStatus.is_initial.is_(True), OrderStatus.code != except_code)
        .values(is_initial=False)
    )


async def add(session: AsyncSession, row: OrderStatus | OrderStatusTransition) -> None:
    session.add(row)
    await session.flush()


async def delete(session: AsyncSession, row: OrderStatus | OrderStatusTransition) -> None:
    await session.delete(row)
    await session.flush()


async def transitions(
    session: AsyncSession, *, touching: str | None = None
) -> Sequence[OrderStatusTransition]:
    """All transitions (or those from or to `touching`), ordered by source then target
    position."""
    source = OrderStatus.__table__.alias("source")
    target = OrderStatus.__table__.alias("target")
    query = (
        select(OrderStatusTransition)
        .join(source, source.c.code == OrderStatusTransition.from_status)
        .join(target, target.c.code == OrderStatusTransition.to_status)
        .order_by(source.c.position, source.c.code, target.c.position, target.c.code)
    )
    if touching is not None:
        query = query.where(
            or_(
                OrderStatusTransition.from_status == touching,
                OrderStatusTransition.to_status == touching,
            )
        )
    return (await session.scalars(query)).all()


async def exits(
    session: AsyncSession, code: str
) -> Sequence[tuple[OrderStatusTransition, OrderStatus]]:
    """The transitions leaving `code`, each with its target status, by target position."""
    rows = await session.execute(
        select(OrderStatusTransition, OrderStatus)
        .join(OrderStatus, OrderStatus.code == OrderStatusTransition.to_status)
        .where(OrderStatusTransition.from_status == code)
        .order_by(OrderStatus.position, OrderStatus.code)
    )
    return [(transition, target) for transition, target in rows]


async def transition(
    session: AsyncSession, transition_id: uuid.UUID
) -> OrderStatusTransition | None:
    return await session.get(OrderStatusTransition, transition_id)


async def transition_between(
    session: AsyncSession, from_status: str, to_status: str
) -> OrderStatusTransition | None:
    rows = await session.scalars(
        select(OrderStatusTransition).where(
            OrderStatusTransition.from_status == from_status,
            OrderStatusTransition.to_status == to_status,
        )
    )
    return rows.first()
