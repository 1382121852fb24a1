"""Demo branding for `oms seed --demo`: a named shop instead of the bare defaults, set only
while no one has branded the deployment yet."""

from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import repository

DEMO_BRANDING = {
    "shop_name": "OMS Demo Shop",
    "support_email": "support@example.com",
    "footer_text": "OMS Demo Shop · Musterstraße 1 · 10115 Berlin",
    "legal_links": [
        {"label": "Terms", "url": "https://example.com/terms"},
        {"label": "Privacy", "url": "https://example.com/privacy"},
    ],
}


async def seed_demo_branding(session: AsyncSession) -> None:
    row = await repository.branding(session, lock=True)
    if row.version > 0:
        return  # an admin has branded it: leave theirs
    for field, value in DEMO_BRANDING.items():
        setattr(row, field, value)
    row.version = 1
    await session.flush()
