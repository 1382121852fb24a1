"""Saved shipping addresses: each user keeps up to `MAX_SAVED_ADDRESSES` of their own, one of
them the default. Staff keep their own here too: no one reaches another user's addresses.

An address is an order's `ShippingAddress` (the same schema checks both); writes of one user
queue on an advisory lock, so the cap and the single default hold under concurrent requests.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.etags import etag, if_match_passes
from oms.core.locks import Lock, xact_lock
from oms.core.pagination import Page, decode_cursor, page_of
from oms.orders import addresses_repository as repository
from oms.orders.errors import SavedAddressNotFound, StaleSavedAddress, TooManySavedAddresses
from oms.orders.models import SavedAddress
from oms.orders.schemas import (
    SavedAddressCreate,
    SavedAddressRead,
    SavedAddressUpdate,
    ShippingAddress,
)

MAX_SAVED_ADDRESSES = 20
_ADDRESS_FIELDS = frozenset(ShippingAddress.model_fields)


def _read(row: SavedAddress) -> SavedAddressRead:
    return SavedAddressRead.model_validate(
        {
            **row.address,
            "id": row.id,
            "label": row.label,
            "is_default": row.is_default,
            "version": row.version,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


async def _one_writer(session: AsyncSession, user_id: uuid.UUID) -> None:
    await xact_lock(session, Lock.SAVED_ADDRESSES, str(user_id))


async def list_addresses(
    session: AsyncSession, user_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[SavedAddressRead]:
    """Oldest first."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    rows = await repository.addresses_page(session, user_id, after=after, limit=limit)
    return page_of(rows, limit, lambda row: [row.created_at, row.id], _read)


async def all_addresses(session: AsyncSession, user_id: uuid.UUID) -> list[SavedAddressRead]:
    """Every address the user keeps (at most `MAX_SAVED_ADDRESSES`), oldest first."""
    rows = await repository.addresses_page(session, user_id, after=None, limit=MAX_SAVED_ADDRESSES)
    return [_read(row) for row in rows[:MAX_SAVED_ADDRESSES]]


async def get_address(
    session: AsyncSession, user_id: uuid.UUID, address_id: uuid.UUID
) -> SavedAddressRead:
    row = await repository.address(session, user_id, address_id)
    if row is None:
        raise SavedAddressNotFound(address_id)
    return _read(row)


async def create_address(
    session: AsyncSession, user_id: uuid.UUID, data: SavedAddressCreate
) -> SavedAddressRead:
    await _one_writer(session, user_id)
    if await repository.count(session, user_id) >= MAX_SAVED_ADDRESSES:
        raise TooManySavedAddresses(MAX_SAVED_ADDRESSES)
    now = datetime.now(UTC)
    if data.is_default:
        await repository.unset_default(session, user_id, now=now)
    row = SavedAddress(
        id=uuid.uuid4(),
        user_id=user_id,
        label=data.label,
        address=data.shipping_address().model_dump(mode="json"),
        is_default=data.is_default,
        version=0,
        created_at=now,
        updated_at=now,
    )
    await repository.add(session, row)
    return _read(row)


async def update_address(
    session: AsyncSession,
    user_id: uuid.UUID,
    address_id: uuid.UUID,
    data: SavedAddressUpdate,
    *,
    if_match: str | None,
) -> SavedAddressRead:
    """Change the fields sent; `is_default: true` takes the default from the other one."""
    await _one_writer(session, user_id)
    row = await repository.address(session, user_id, address_id, lock=True)
    if row is None:
        raise SavedAddressNotFound(address_id)
    if not if_match_passes(if_match, row.version):
        raise StaleSavedAddress(etag(row.version))
    changes = data.changes()
    address = {**row.address, **{k: v for k, v in changes.items() if k in _ADDRESS_FIELDS}}
    now = datetime.now(UTC)
    if changes.get("is_default") and not row.is_default:
        await repository.unset_default(session, user_id, now=now, keep=row.id)
    row.address = ShippingAddress.model_validate(address).model_dump(mode="json")
    if "label" in changes:
        row.label = changes["label"]
    if "is_default" in changes:
        row.is_default = changes["is_default"]
    row.version += 1
    row.updated_at = now
    await repository.flush(session)
    return _read(row)


async def delete_address(session: AsyncSession, user_id: uuid.UUID, address_id: uuid.UUID) -> None:
    await _one_writer(session, user_id)
    row = await repository.address(session, user_id, address_id, lock=True)
    if row is None:
        raise SavedAddressNotFound(address_id)
    await repository.delete(session, row)
