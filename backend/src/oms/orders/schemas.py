"""Request and response bodies of the orders API. Money is a decimal, written as a string."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import SkipJsonSchema

from oms.core.errors import Problem
from oms.core.money import Money
from oms.core.patches import Patch, null_only_where_allowed
from oms.orders.countries import ISO_3166_ALPHA_2
from oms.orders.pricing import MAX_QUANTITY


def format_number(number: int) -> str:
    return f"OMS-{number:06d}"


def parse_number(text: str) -> int | None:
    """`OMS-000123`, `oms-123` or `123` → 123; anything else → None."""
    candidate = text.strip().upper().removeprefix("OMS-")
    ok = candidate.isascii() and candidate.isdigit() and len(candidate) <= 18
    return int(candidate) if ok else None


# The free text of a listing is matched as part of an email or a name by trigrams, which need
# three letters or digits in a row: a shorter text would have to read every order.
MIN_SEARCH_RUN = 3


def searchable_text(text: str) -> bool:
    """Whether `text` holds a run of `MIN_SEARCH_RUN` letters or digits, so that the trigram
    indexes can find it in an email or a name."""
    run = 0
    for char in text:
        run = run + 1 if char.isalnum() else 0
        if run >= MIN_SEARCH_RUN:
            return True
    return False


class OrderSort(StrEnum):
    """How a listing of orders is ordered: a field, descending with a leading `-`."""

    NEWEST = "-created_at"
    OLDEST = "created_at"
    LARGEST = "-total"
    SMALLEST = "total"
    NUMBER = "number"
    NUMBER_DESCENDING = "-number"

    @property
    def field(self) -> str:
        return self.value.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.value.startswith("-")


def _display_number(value: Any) -> Any:
    return format_number(value) if isinstance(value, int) else value


# Examples in the OpenAPI document: one order, as placed, read and listed.
_ORDER_ID = "0b7e1c2a-5f7d-4c1e-9a51-3d2f6f0e8a11"
_CUSTOMER = {"id": "6c1f2d9e-8a4b-4f0e-b3a7-2e5d9c8f1a04", "email": "cora@example.com"}
_MANAGER = {"id": "a3d5e7f9-1b2c-4d6e-8f0a-9b8c7d6e5f4a", "email": "manager@example.com"}
_ADDRESS_SENT: dict[str, Any] = {
    "name": "Cora Customer",
    "line1": "Hauptstraße 5",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
    "phone": "+49 30 1234567",
}
_ORDER_SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": _ORDER_ID,
    "number": "OMS-000123",
    "status": "confirmed",
    "customer_id": _CUSTOMER["id"],
    "customer_email": _CUSTOMER["email"],
    "customer_name": "Cora Customer",
    "currency": "EUR",
    "total": "337.95",
    "version": 1,
    "created_at": "2025-03-14T09:26:53Z",
    "updated_at": "2025-03-14T10:02:11Z",
}
_ORDER_EXAMPLE: dict[str, Any] = {
    **_ORDER_SUMMARY_EXAMPLE,
    "items": [
        {
            "product_id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
            "sku": "FUR-CHAIR-OAK",
            "name": "Oak dining chair",
            "unit_price": "149.00",
            "quantity": 2,
            "line_total": "298.00",
        },
        {
            "product_id": "9e4b7c2a-1d6f-4a8e-b5c3-7f2e9d1a6b08",
            "sku": "ELE-LAMP-LED",
            "name": "LED desk lamp",
            "unit_price": "39.95",
            "quantity": 1,
            "line_total": "39.95",
        },
    ],
    "shipping_address": {**_ADDRESS_SENT, "line2": None},
    "note": "Please ring twice.",
    "status_history": [
        {
            "status": "new",
            "at": "2025-03-14T09:26:53Z",
            "actor": _CUSTOMER,
            "note": "Please ring twice.",
        },
        {
            "status": "confirmed",
            "at": "2025-03-14T10:02:11Z",
            "actor": _MANAGER,
            "note": "Paid by bank transfer.",
        },
    ],
}
ORDER_PAGE_EXAMPLE: dict[str, Any] = {
    "items": [_ORDER_SUMMARY_EXAMPLE],
    "next_cursor": "W1siaSIsMTIzXV0",
}

OrderNumber = Annotated[str, BeforeValidator(_display_number), Field(examples=["OMS-000123"])]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


_COUNTRY_CODES: list[JsonValue] = [*sorted(ISO_3166_ALPHA_2)]


def _iso_country(value: str) -> str:
    code = value.strip().upper()
    if code not in ISO_3166_ALPHA_2:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, such as DE or US")
    return code


# The fields of a shipping address, one type each, so that every body taking an address
# (an order's, a saved one, a change to a saved one) checks it alike.
Line2 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
PostalCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
CountryCode = Annotated[
    str,
    AfterValidator(_iso_country),
    Field(
        description="ISO 3166-1 alpha-2 code, e.g. DE (taken in any case).",
        examples=["DE"],
        json_schema_extra={"enum": _COUNTRY_CODES},
    ),
]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()./-]{3,28}[0-9]$")
]


class ShippingAddress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    line1: Text200
    line2: Line2 | None = None
    city: Text200
    postal_code: PostalCode
    country: CountryCode
    phone: Phone | None = None


class OrderItemCreate(BaseModel):
    """One product, by id or by SKU, and how many."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["product_id"]}, {"required": ["sku"]}]},
    )

    # The document shows each as present or absent: a null one is taken as absent.
    product_id: uuid.UUID | SkipJsonSchema[None] = None
    sku: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | SkipJsonSchema[None]
    ) = None
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)

    @model_validator(mode="after")
    def _one_reference(self) -> "OrderItemCreate":
        if (self.product_id is None) == (self.sku is None):
            raise ValueError("give either product_id or sku")
        return self


class _OrderLines(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[OrderItemCreate] = Field(min_length=1, max_length=100)
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    customer_id: uuid.UUID | None = Field(
        default=None, description="Staff only: whom the order is for (default: the caller)."
    )


class OrderCreate(_OrderLines):
    """Prices and totals come from the catalogue; a client never sends them."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"sku": "FUR-CHAIR-OAK", "quantity": 2},
                        {"product_id": "9e4b7c2a-1d6f-4a8e-b5c3-7f2e9d1a6b08", "quantity": 1},
                    ],
                    "shipping_address": _ADDRESS_SENT,
                    "note": "Please ring twice.",
                }
            ]
        },
    )

    shipping_address: ShippingAddress


class QuoteRequest(_OrderLines):
    """An order as it would be placed; the shipping address may be left out."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [{"sku": "FUR-CHAIR-OAK", "quantity": 2}]}],
        },
    )

    shipping_address: ShippingAddress | None = None


class QuoteItem(BaseModel):
    product_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price: Money
    line_total: Money
    available: int | None = Field(description="In stock now; null when stock is not tracked.")
    in_stock: bool = Field(description="Whether `quantity` can be had now.")


class Quote(BaseModel):
    """What the order would cost now, priced as placing it would; nothing is reserved."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "currency": "EUR",
                    "items": [
                        {
                            "product_id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
                            "sku": "FUR-CHAIR-OAK",
                            "name": "Oak dining chair",
                            "quantity": 2,
                            "unit_price": "149.00",
                            "line_total": "298.00",
                            "available": 1,
                            "in_stock": False,
                        }
                    ],
                    "total": "298.00",
                    "problems": ["Only 1 of 'FUR-CHAIR-OAK' in stock, 2 requested."],
                }
            ]
        }
    )

    currency: str
    items: list[QuoteItem]
    total: Money
    problems: list[str] = Field(description="Why placing it now would fail, if it would.")


class OrderEventMessage(BaseModel):
    """The `data` of one message of `GET /orders/events`: enough to tell which order changed
    and to what; read the order for the rest."""

    order_id: uuid.UUID
    number: str = Field(examples=["OMS-000123"])
    status: str
    previous_status: str | None = Field(
        default=None, description="The status before, on `order.status_changed` only."
    )
    version: int
    occurred_at: datetime


class StatusChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "confirmed", "note": "Paid by bank transfer."}]},
    )

    status: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


MAX_BULK_ORDERS = 200


def _distinct(ids: list[uuid.UUID]) -> list[uuid.UUID]:
    if len(set(ids)) != len(ids):
        raise ValueError("each order may be named once")
    return ids


class BulkStatusChange(BaseModel):
    """Move each of these orders to one status, each as `PATCH /orders/{id}/status` would."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "order_ids": [_ORDER_ID, "7c9e6679-7425-40de-944b-e07fc1f90ae7"],
                    "to_status": "confirmed",
                    "note": "Paid by bank transfer.",
                }
            ]
        },
    )

    order_ids: Annotated[
        list[uuid.UUID],
        AfterValidator(_distinct),
        Field(
            min_length=1,
            max_length=MAX_BULK_ORDERS,
            json_schema_extra={"uniqueItems": True},
            description=f"1 to {MAX_BULK_ORDERS} orders, each named once.",
        ),
    ]
    to_status: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class BulkStatusResult(BaseModel):
    """What became of one order: moved (`ok`, its new `status`) or refused (`problem`, as
    the single change would have answered it)."""

    order_id: uuid.UUID
    number: OrderNumber | None = Field(description="Null when there is no such order.")
    ok: bool
    status: str | None = Field(description="The order's status now; null when refused.")
    problem: Problem | None = Field(description="Why the order was not moved; null when it was.")


class BulkStatusResults(BaseModel):
    """One result per order, in the order the request named them."""

    # No example: FastAPI leaves nulls out of the document's examples, and every result has
    # one (`status` or `problem`), which the schema says it always sends.
    results: list[BulkStatusResult]


MAX_NOTE_LENGTH = 4000
_NOTE_EXAMPLE: dict[str, Any] = {
    "id": "1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    "order_id": _ORDER_ID,
    "text": "Customer called: leave the parcel with the neighbour.",
    "author_id": _MANAGER["id"],
    "author_email": _MANAGER["email"],
    "created_at": "2025-03-14T11:15:00Z",
}


class OrderNoteCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"text": _NOTE_EXAMPLE["text"]}]}
    )

    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE_LENGTH)
    ] = Field(description=f"1 to {MAX_NOTE_LENGTH} characters, not only spaces.")


class OrderNoteRead(BaseModel):
    """A staff member's internal note on an order; customers never see notes."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_NOTE_EXAMPLE]})

    id: uuid.UUID
    order_id: uuid.UUID
    text: str
    author_id: uuid.UUID
    author_email: str
    created_at: datetime


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
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_ORDER_EXAMPLE]}
    )

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

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_ORDER_SUMMARY_EXAMPLE]}
    )

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


# Saved shipping addresses (`/me/addresses`): an order's `ShippingAddress`, kept by its owner.

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
_SAVED_ADDRESS_EXAMPLE: dict[str, Any] = {
    "id": "5d2e8f1a-3b4c-4d6e-9f0a-1b2c3d4e5f60",
    "label": "Home",
    **_ADDRESS_SENT,
    "line2": None,
    "is_default": True,
    "version": 0,
    "created_at": "2025-03-14T09:20:00Z",
    "updated_at": "2025-03-14T09:20:00Z",
}


class SavedAddressCreate(ShippingAddress):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"label": "Home", **_ADDRESS_SENT, "is_default": True}]},
    )

    label: Label | None = None
    is_default: StrictBool = Field(
        default=False, description="Make it the default; the previous default stops being one."
    )

    def shipping_address(self) -> ShippingAddress:
        return ShippingAddress.model_validate(
            self.model_dump(include=set(ShippingAddress.model_fields))
        )


def _patch_schema(schema: JsonDict, model: type[BaseModel]) -> None:
    null_only_where_allowed(schema, model)
    schema["examples"] = [{"label": "Work", "is_default": True}]


class SavedAddressUpdate(Patch):
    """The fields sent change, each checked as in an order's address; `label`, `line2` and
    `phone` may be null (removed)."""

    model_config = ConfigDict(json_schema_extra=_patch_schema)
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"label", "line2", "phone"})

    label: Label | None = None
    name: Text200 | None = None
    line1: Text200 | None = None
    line2: Line2 | None = None
    city: Text200 | None = None
    postal_code: PostalCode | None = None
    country: CountryCode | None = None
    phone: Phone | None = None
    is_default: StrictBool | None = None


class SavedAddressRead(ShippingAddress):
    model_config = ConfigDict(json_schema_extra={"examples": [_SAVED_ADDRESS_EXAMPLE]})

    id: uuid.UUID
    label: str | None
    is_default: bool
    version: int
    created_at: datetime
    updated_at: datetime


# Customers as staff see them (`/customers`): a user with the customer role and their orders.

_CUSTOMER_SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": _CUSTOMER["id"],
    "email": _CUSTOMER["email"],
    "name": "Cora Customer",
    "active": True,
    "created_at": "2025-02-01T10:00:00Z",
    "order_count": 3,
    "last_order_at": "2025-03-14T09:26:53Z",
}


class CustomerSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_CUSTOMER_SUMMARY_EXAMPLE]})

    id: uuid.UUID
    email: str
    name: str = Field(description="The user's full name; empty when they gave none.")
    active: bool = Field(description="False once deactivated: they can no longer sign in.")
    created_at: datetime
    order_count: int = Field(description="Orders placed for them, in any status.")
    last_order_at: datetime | None = Field(description="When their latest order was placed.")


class CustomerRead(CustomerSummary):
    """A customer with their saved shipping addresses; their orders are
    `GET /orders?customer_id=`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_CUSTOMER_SUMMARY_EXAMPLE, "addresses": [_SAVED_ADDRESS_EXAMPLE]}]
        }
    )

    addresses: list[SavedAddressRead] = Field(
        description="All of them (at most 20), oldest first, as `GET /me/addresses` shows them."
    )
