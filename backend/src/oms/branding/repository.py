"""All SQL of the branding module."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding.models import BrandAsset, Branding

# What a new deployment shows until an admin brands it.
DEFAULTS = {
    "shop_name": "OMS",
    "primary_colour": "#1f4e79",
    "accent_colour": "#f39c12",
    "currency": "EUR",
    "locale": "en",
}


async def branding(session: AsyncSession, *, lock: bool = False) -> Branding:
    """The one branding row, created with the defaults the first time it is read."""
    query = select(Branding).where(Branding.id == 1)
    if lock:
        query = query.with_for_update()
    row = (await session.scalars(query)).first()
    if row is not None:
        return row
    await session.execute(insert(Branding).values(id=1, **DEFAULTS).on_conflict_do_nothing())
    return (await session.scalars(query.execution_options(populate_existing=True))).one()


async def add_asset(session: AsyncSession, digest: str, content_type: str, data: bytes) -> None:
    await session.execute(
        insert(BrandAsset)
        .values(digest=digest, content_type=content_type, content=data)
        .on_conflict_do_nothing()
    )


async def asset(session: AsyncSession, digest: str) -> BrandAsset | None:
    return await session.get(BrandAsset, digest)
