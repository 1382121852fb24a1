"""The message every worker receives: a versioned JSON envelope around one outbox event."""

import json
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

ENVELOPE_VERSION = 1
EXCHANGE = "oms.events"


class EventType(StrEnum):
    ORDER_CREATED = "order.created"
    ORDER_STATUS_CHANGED = "order.status_changed"


class WorkerType(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    INVENTORY = "inventory"


class OrderItemSnapshot(BaseModel):
    model_config = ConfigDict(extra="allow")

    product_id: uuid.UUID | None = None
    sku: str | None = None
    name: str | None = None
    quantity: int = 0
    unit_price: str | None = Field(default=None, description="Decimal as a string.")
    line_total: str | None = Field(default=None, description="Decimal as a string.")


class OrderSnapshot(BaseModel):
    """The order as it was when the event happened (documented shape; more fields may come)."""

    model_config = ConfigDict(extra="allow")

    id: uuid.UUID
    number: str | None = None
    customer_id: uuid.UUID | None = None
    customer_email: str | None = None
    status: str
    items: list[OrderItemSnapshot] = []
    total: str | None = Field(default=None, description="Order total, a decimal string.")
    totals: dict[str, str] | None = Field(
        default=None, description="Named amounts (subtotal, total…) as decimal strings."
    )
    currency: str | None = None
    shipping_address: dict[str, Any] | None = None


class OrderCreatedData(OrderSnapshot):
    """`data` of `order.created`: the new order."""


class OrderStatusChangedData(OrderSnapshot):
    """`data` of `order.status_changed`: the order after the change and what changed."""

    old_status: str
    new_status: str
    actor: dict[str, Any] | str | None = Field(
        default=None, description="Who made the change (user id and role, or `system`)."
    )
    note: str | None = None


class EventEnvelope(BaseModel):
    """Version 1 of the envelope; a breaking change gets a new `version`."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(description="The event id: the idempotency key of every consumer.")
    type: str = Field(description="The routing key, e.g. `order.status_changed`.")
    version: int = Field(default=ENVELOPE_VERSION, description="Envelope version.")
    occurred_at: datetime
    order_id: uuid.UUID | None
    data: dict[str, Any]

    def to_json(self) -> bytes:
        return json.dumps(self.model_dump(mode="json"), separators=(",", ":")).encode()


def order_status(envelope: EventEnvelope) -> str | None:
    """The order's status after the event, wherever the snapshot keeps it."""
    data = envelope.data
    order = data.get("order")
    nested: dict[str, Any] = order if isinstance(order, dict) else {}
    for value in (data.get("new_status"), data.get("status"), nested.get("status")):
        if isinstance(value, str):
            return value
    return None


def order_field(envelope: EventEnvelope, name: str) -> Any:
    """A snapshot field, flat in `data` or nested under `data.order`."""
    if name in envelope.data:
        return envelope.data[name]
    nested = envelope.data.get("order")
    return nested.get(name) if isinstance(nested, dict) else None
