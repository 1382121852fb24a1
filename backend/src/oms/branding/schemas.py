"""Request and response bodies of the branding API."""

from datetime import datetime
from typing import Annotated

import pycountry
from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
)

Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#1f4e79"])]


def _known_currency(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    return code


def _known_locale(tag: str) -> str:
    """A BCP 47 tag Babel knows as given (`de-DE`, `en`): no silent fallback to another."""
    try:
        parsed = Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError) as error:
        raise ValueError(f"{tag!r} is not a known locale") from error
    if str(parsed).replace("_", "-") != tag:
        raise ValueError(f"{tag!r} is not a known locale; did you mean {str(parsed)!r}?")
    return tag


CurrencyCode = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", examples=["EUR"], description="ISO 4217."),
    AfterValidator(_known_currency),
]
LocaleTag = Annotated[
    str,
    Field(
        min_length=2,
        max_length=35,
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        examples=["de-DE"],
        description="A BCP 47 language tag, e.g. `en`, `de-DE`.",
    ),
    AfterValidator(_known_locale),
]


_HTTP_URL = TypeAdapter(HttpUrl)


def _http_url(value: str) -> str:
    """An http(s) URL, kept as written: a normalised one (`https://a` → `https://a/`) could
    outgrow the bound the document states for both the write and the read."""
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError as error:
        raise ValueError("not an http(s) URL") from error
    return value


HttpLink = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2048,
        json_schema_extra={"format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"},
    ),
    AfterValidator(_http_url),
]


class LegalLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Annotated[str, Field(min_length=1, max_length=60, examples=["Terms"])]
    url: HttpLink


class BrandingWrite(BaseModel):
    """The whole branding; a PUT replaces it (the logo and favicon are uploaded apart)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "shop_name": "Kettle & Co",
                    "primary_colour": "#1f4e79",
                    "accent_colour": "#f39c12",
                    "support_email": "help@kettle.example",
                    "currency": "EUR",
                    "locale": "de-DE",
                    "footer_text": "Kettle & Co GmbH, Hauptstr. 1, 10115 Berlin",
                    "legal_links": [{"label": "Impressum", "url": "https://kettle.example/imp"}],
                }
            ]
        },
    )

    shop_name: Annotated[str, Field(min_length=1, max_length=100)]
    primary_colour: Colour
    accent_colour: Colour
    support_email: EmailStr | None = None
    currency: CurrencyCode
    locale: LocaleTag
    footer_text: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    legal_links: Annotated[list[LegalLink], Field(max_length=10)] = []


class BrandingRead(BaseModel):
    shop_name: str
    primary_colour: str
    accent_colour: str
    support_email: str | None
    currency: str
    locale: str
    footer_text: str | None
    legal_links: list[LegalLink]
    logo_url: str | None = Field(description="Served by OMS; the URL changes with the image.")
    favicon_url: str | None
    version: int
    updated_at: datetime
