"""All SQL of saved shipping addresses. Every query starts from `owned_by`: a user reaches
only their own addresses."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.pagination import keyset_after
from oms.orders.models import SavedAddress


def owned_by(user_id: uuid.UUID) -> Select[SavedAddress]:
    return select(SavedAddress).where(SavedAddress.user_id == user_id)


async def address(
    session: AsyncSession, user_id: uuid.UUID, address_id: uuid.UUID, *, lock: bool = False
) -> SavedAddress | None:
    query = owned_by(user_id).where(SavedAddress.id == address_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def addresses_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[SavedAddress]:
    key = [SavedAddress.created_at, SavedAddress.id]
    query = owned_by(user_id).order_by(*key).limit(limit + 1)
    if after is not None:
        query = query.where(keyset_after(key, after))
    return (await session.scalars(query)).all()


async def count(session: AsyncSession, user_id: uuid.UUID) -> int:
    found = await session.scalar(
        select(func.count()).select_from(SavedAddress).where(SavedAddress.user_id == user_id)
    )
    return int(found or 0)


async def unset_default(
    session: AsyncSession, user_id: uuid.UUID, *, now: datetime, keep: uuid.UUID | None = None
) -> None:
    """The user's default (other than `keep`) stops being one; its version moves on."""
    query = update(SavedAddress).where(
        SavedAddress.user_id == user_id, SavedAddress.is_default.is_(True)
    )
    if keep is not None:
        query = query.where(SavedAddress.id != keep)
    await session.execute(
        query.values(
            is_default=False, version=SavedAddress.version + 1, updated_at=now
        ).execution_options(synchronize_session="fetch")
    )


async def add(session: AsyncSession, row: SavedAddress) -> None:
    session.add(row)
    await session.flush()


async def flush(session: AsyncSession) -> None:
    await session.flush()


async def delete(session: AsyncSession, row: SavedAddress) -> None:
    await session.delete(row)
    await session.flush()
