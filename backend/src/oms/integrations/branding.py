"""The shop's branding as emails show it: the branding module's, with absolute image URLs
(a mail client has no page to resolve a relative one against)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import service as branding


async def email_branding(
    session: AsyncSession, public_url: str, draft: branding.BrandingWrite | None = None
) -> dict[str, Any]:
    """The saved branding, or `draft` over it (a branding not saved yet, with the saved
    images, which are uploaded apart)."""
    current = (await branding.current_branding(session)).model_dump(mode="json")
    if draft is not None:
        current.update(draft.model_dump(mode="json"))
    base = public_url.rstrip("/")
    for image in ("logo_url", "favicon_url"):
        if current[image]:
            current[image] = base + current[image]
    return current
