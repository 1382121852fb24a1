"""The shop's look in emails. Read from settings for now; a branding module can replace
`current_branding` as the one source later."""

from dataclasses import dataclass

from oms.core.settings import Settings


@dataclass(frozen=True)
class Branding:
    shop_name: str
    logo_url: str | None
    primary_color: str
    accent_color: str


def current_branding(settings: Settings) -> Branding:
    return Branding(
        shop_name=settings.shop_name,
        logo_url=settings.shop_logo_url,
        primary_color=settings.shop_primary_color,
        accent_color=settings.shop_accent_color,
    )
