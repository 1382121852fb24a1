"""The branding module's public interface: what the shop looks like, for both apps and
every email, and its images."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import repository
from oms.branding.errors import (
    AssetNotFound,
    IfMatchRequired,
    StaleBranding,
)
from oms.branding.models import Branding
from oms.branding.schemas import BrandingRead, BrandingWrite, LegalLink
from oms.core import audit, images
from oms.core.errors import ProblemError
from oms.core.etags import etag, if_match_passes

__all__ = [
    "ASSET_PATH",
    "Asset",
    "BrandingRead",
    "BrandingWrite",
    "ImageSlot",
    "asset",
    "current_branding",
    "image_digests",
    "image_problem",
    "remove_image",
    "replace_branding",
    "set_image",
    "shop_currency",
]

ASSET_PATH = "/api/v1/branding/assets/"
IMAGE_TYPES = sorted(images.CONTENT_TYPES)
ImageSlot = Literal["logo", "favicon"]


@dataclass(frozen=True, slots=True)
class Asset:
    content_type: str
    content: bytes
    digest: str


def _read(row: Branding) -> BrandingRead:
    return BrandingRead(
        shop_name=row.shop_name,
        primary_colour=row.primary_colour,
        accent_colour=row.accent_colour,
        support_email=row.support_email,
        currency=row.currency,
        locale=row.locale,
        footer_text=row.footer_text,
        legal_links=[LegalLink.model_validate(link) for link in row.legal_links],
        logo_url=f"{ASSET_PATH}{row.logo}" if row.logo else None,
        favicon_url=f"{ASSET_PATH}{row.favicon}" if row.favicon else None,
        version=row.version,
        updated_at=row.updated_at,
    )


async def current_branding(session: AsyncSession) -> BrandingRead:
    return _read(await repository.branding(session))


async def shop_currency(session: AsyncSession) -> str:
    """The ISO 4217 code every price of the shop is in."""
    return (await repository.branding(session)).currency


async def _for_change(session: AsyncSession, if_match: str | None) -> Branding:
    if if_match is None:
        raise IfMatchRequired()
    row = await repository.branding(session, lock=True)
    if not if_match_passes(if_match, row.version):
        raise StaleBranding(etag(row.version))
    return row


async def image_digests(session: AsyncSession) -> dict[ImageSlot, str | None]:
    """The SHA-256 of the logo's and the favicon's bytes (None: no image)."""
    row = await repository.branding(session)
    return {"logo": row.logo, "favicon": row.favicon}


def _refusal(slot: str, content_type: str, data: bytes, max_bytes: int) -> ProblemError | None:
    """Why `data` cannot be the shop's `slot` image, if it cannot."""
    return images.image_refusal(
        slot, content_type, data, max_bytes=max_bytes, allowed=images.CONTENT_TYPES
    )


def image_problem(content_type: str, data: bytes, *, max_bytes: int) -> str | None:
    """Why `data` cannot be a logo or favicon, if it cannot."""
    refusal = _refusal("image", content_type, data, max_bytes)
    return refusal.detail if refusal is not None else None


def _touch(row: Branding, actor: uuid.UUID | None) -> None:
    row.version += 1
    row.updated_at = datetime.now(UTC)
    row.updated_by = actor


def _audit(session: AsyncSession, action: str, before: BrandingRead, after: BrandingRead) -> None:
    audit.record(
        session, action=action, entity="branding", entity_id="shop", before=before, after=after
    )


async def replace_branding(
    session: AsyncSession, data: BrandingWrite, *, if_match: str | None, actor: uuid.UUID | None
) -> BrandingRead:
    row = await _for_change(session, if_match)
    before = _read(row)
    for field, value in data.model_dump(mode="json").items():
        setattr(row, field, value)
    _touch(row, actor)
    await session.flush()
    after = _read(row)
    _audit(session, "branding.replaced", before, after)
    return after


async def set_image(
    session: AsyncSession,
    slot: ImageSlot,
    content_type: str,
    data: bytes,
    *,
    max_bytes: int,
    if_match: str | None,
    actor: uuid.UUID | None,
) -> BrandingRead:
    refusal = _refusal(slot, content_type, data, max_bytes)
    if refusal is not None:
        raise refusal
    row = await _for_change(session, if_match)
    before = _read(row)
    digest = hashlib.sha256(data).hexdigest()
    await repository.add_asset(session, digest, content_type, data)
    setattr(row, slot, digest)
    _touch(row, actor)
    await session.flush()
    after = _read(row)
    _audit(session, f"branding.{slot}_set", before, after)
    return after


async def remove_image(
    session: AsyncSession, slot: ImageSlot, *, if_match: str | None, actor: uuid.UUID | None
) -> BrandingRead:
    row = await _for_change(session, if_match)
    before = _read(row)
    setattr(row, slot, None)
    _touch(row, actor)
    await session.flush()
    after = _read(row)
    _audit(session, f"branding.{slot}_removed", before, after)
    return after


async def asset(session: AsyncSession, digest: str) -> Asset:
    row = await repository.asset(session, digest)
    if row is None:
        raise AssetNotFound()
    return Asset(content_type=row.content_type, content=row.content, digest=row.digest)
