"""Request and response bodies of the orders API. Money is a decimal, written as a string."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from oms.core.money import Money
from oms.orders.countries import ISO_3166_ALPHA_2


def format_number(number: int) -> str:
    return f"OMS-{number:06d}"


def parse_number(text: str) -> int | None:
    """`OMS-000123`, `oms-123` or `123` → 123; anything else → None."""
    candidate = text.strip().upper().removeprefix("OMS-")
    ok = candidate.isascii() and candidate.isdigit() and len(candidate) <= 18
    return int(candidate) if ok else None


def _display_number(value: Any) -> Any:
    return format_number(value) if isinstance(value, int) else value


OrderNumber = Annotated[str, BeforeValidator(_display_number), Field(examples=["OMS-000123"])]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ShippingAddress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    line1: Text200
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    city: Text200
    postal_code: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)
    ]
    country: str = Field(description="ISO 3166-1 alpha-2 code, e.g. DE.", examples=["DE"])
    phone: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()./-]{3,28}[0-9]$"),
        ]
        | None
    ) = None

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in ISO_3166_ALPHA_2:
            raise ValueError("must be an ISO 3166-1 alpha-2 country code, such as DE or US")
        return code


class OrderItemCreate(BaseModel):
    """One product, by id or by SKU, and how many."""

    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID | None = None
    sku: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    ) = None
    quantity: int = Field(ge=1, le=100_000)

    @model_validator(mode="after")
    def _one_reference(self) -> "OrderItemCreate":
        if (self.product_id is None) == (self.sku is None):
            raise ValueError("give either product_id or sku")
        return self


class OrderCreate(BaseModel):
    """Prices and totals come from the catalogue; a client never sends them."""

    model_config = ConfigDict(extra="forbid")

    items: list[OrderItemCreate] = Field(min_length=1, max_length=100)
    shipping_address: ShippingAddress
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    customer_id: uuid.UUID | None = Field(
        default=None, description="Staff only: whom the order is for (default: the caller)."
    )


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class Actor(BaseModel):
    id: uuid.UUID
    email: str


class HistoryEntry(BaseModel):
    status: str
    at: datetime
    actor: Actor
    note: str | None = None


class OrderItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    name: str
    unit_price: Money
    quantity: int
    line_total: Money


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: OrderNumber
    status: str
    customer_id: uuid.UUID
    customer_email: str
    customer_name: str | None
    currency: str
    total: Money
    items: list[OrderItemRead]
    shipping_address: ShippingAddress
    note: str | None
    status_history: list[HistoryEntry]
    version: int
    created_at: datetime
    updated_at: datetime


class OrderSummary(BaseModel):
    """An order in a list: no items or history."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: OrderNumber
    status: str
    customer_id: uuid.UUID
    customer_email: str
    customer_name: str | None
    currency: str
    total: Money
    version: int
    created_at: datetime
    updated_at: datetime


class TargetStatus(BaseModel):
    code: str
    name: str
    colour: str
    is_terminal: bool
