"""The event contract: the envelope every message travels in and the typed events inside.

These models are the one definition of what OMS publishes. The orders and auth modules build
the `data` models, recording an event validates them, workers parse them back, and the
AsyncAPI document is generated from them. A change of shape is a new `ENVELOPE_VERSION`.

Order events go to every worker, whose configurations decide what to do with them. Account
events (`user.*`) carry secrets such as a password-reset link: they go only to the workers
named in `HEARD_BY` (the email worker), whose built-in account action handles them whatever
the configurations say.
"""

import json
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from oms.core.money import Money

ENVELOPE_VERSION = 2
EXCHANGE = "oms.events"


class EventType(StrEnum):
    """Order events: what worker configurations trigger on."""

    ORDER_CREATED = "order.created"
    ORDER_STATUS_CHANGED = "order.status_changed"


class AccountEventType(StrEnum):
    """Account events: handled by the email worker's built-in account mail only."""

    USER_PASSWORD_RESET_REQUESTED = "user.password_reset_requested"  # noqa: S105 - a name


AnyEventType = EventType | AccountEventType
ALL_EVENT_TYPES: tuple[AnyEventType, ...] = (*EventType, *AccountEventType)


class WorkerType(StrEnum):
    """The kinds of worker; each consumes every event from a queue of its own."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    INVENTORY = "inventory"


class _Snapshot(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatusRef(_Snapshot):
    code: str = Field(examples=["confirmed"])
    name: str = Field(description="Display name, as staff see it.", examples=["Confirmed"])


class Actor(_Snapshot):
    """Who made the change."""

    id: uuid.UUID
    email: str


class CustomerRef(_Snapshot):
    id: uuid.UUID
    email: str
    name: str | None = Field(description="The customer's account name, when known.")


class OrderItemSnapshot(_Snapshot):
    product_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price: Money
    line_total: Money


class OrderTotals(_Snapshot):
    items: Money = Field(description="Sum of the line totals.")
    total: Money = Field(description="What the customer pays.")


class AddressSnapshot(_Snapshot):
    name: str
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    country: str = Field(description="ISO 3166-1 alpha-2.", examples=["DE"])
    phone: str | None = None


class OrderSnapshot(_Snapshot):
    """The order as it was when the event happened."""

    id: uuid.UUID
    number: str = Field(examples=["OMS-000123"])
    status: StatusRef = Field(description="The status after the event.")
    customer: CustomerRef
    items: list[OrderItemSnapshot]
    totals: OrderTotals
    currency: str = Field(description="ISO 4217.", examples=["EUR"])
    shipping_address: AddressSnapshot
    note: str | None = Field(description="The customer's note on the order.")
    version: int = Field(description="The order's version (its ETag) after the event.")
    created_at: datetime
    updated_at: datetime


class OrderCreatedData(_Snapshot):
    """`data` of `order.created`: the new order and who placed it."""

    order: OrderSnapshot
    actor: Actor


class OrderStatusChangedData(_Snapshot):
    """`data` of `order.status_changed`: the order after the change and what changed."""

    order: OrderSnapshot
    previous_status: StatusRef
    actor: Actor
    note: str | None = Field(description="The note given with the change.")


class PasswordResetRequestedData(_Snapshot):
    """`data` of `user.password_reset_requested`: whom to send the reset link, and the link."""

    user_id: uuid.UUID
    email: str
    full_name: str = Field(description="The account's name; may be empty.")
    reset_url: str = Field(
        description="Where the user sets a new password: `{OMS_PUBLIC_URL}/reset-password"
        "?token=…`; the token works once, until `expires_at`."
    )
    expires_at: datetime


OrderEventData = OrderCreatedData | OrderStatusChangedData
EventData = OrderEventData | PasswordResetRequestedData
EVENT_TYPE_OF: dict[type[BaseModel], AnyEventType] = {
    OrderCreatedData: EventType.ORDER_CREATED,
    OrderStatusChangedData: EventType.ORDER_STATUS_CHANGED,
    PasswordResetRequestedData: AccountEventType.USER_PASSWORD_RESET_REQUESTED,
}

# Which workers hear each event: the one place transports (queue bindings, embedded queue
# rows), replays and the AsyncAPI document take it from.
HEARD_BY: dict[AnyEventType, frozenset[WorkerType]] = {
    EventType.ORDER_CREATED: frozenset(WorkerType),
    EventType.ORDER_STATUS_CHANGED: frozenset(WorkerType),
    AccountEventType.USER_PASSWORD_RESET_REQUESTED: frozenset({WorkerType.EMAIL}),
}
ACCOUNT_EVENT_TYPES: frozenset[str] = frozenset(AccountEventType)


def workers_hearing(event_type: str) -> list[WorkerType]:
    """The workers an event of this type goes to. A type this version does not know goes to
    every worker, which dead-letters what it cannot read: nothing disappears unseen."""
    heard_by = next(
        (HEARD_BY[known] for known in ALL_EVENT_TYPES if known == event_type), frozenset(WorkerType)
    )
    return [worker for worker in WorkerType if worker in heard_by]


def events_heard_by(worker: WorkerType) -> list[AnyEventType]:
    return [event_type for event_type in ALL_EVENT_TYPES if worker in HEARD_BY[event_type]]


class _EnvelopeFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(description="The event id: the idempotency key of every consumer.")
    version: Literal[2] = Field(default=2, description="Envelope version: `ENVELOPE_VERSION`.")
    occurred_at: datetime
    order_id: uuid.UUID | None
    test: bool = Field(
        default=False, description="True for a sample sent by a configuration's `send test`."
    )

    def to_json(self) -> bytes:
        return json.dumps(self.model_dump(mode="json"), separators=(",", ":")).encode()


class OrderCreatedEvent(_EnvelopeFields):
    """Published when an order is placed."""

    type: Literal["order.created"] = "order.created"
    data: OrderCreatedData


class OrderStatusChangedEvent(_EnvelopeFields):
    """Published when an order moves to another status."""

    type: Literal["order.status_changed"] = "order.status_changed"
    data: OrderStatusChangedData


class PasswordResetRequestedEvent(_EnvelopeFields):
    """Published when someone asks for a password-reset link for an active account; only the
    email worker hears it, and sends the link (template `password_reset`)."""

    type: Literal["user.password_reset_requested"] = "user.password_reset_requested"
    data: PasswordResetRequestedData


OrderEvent = OrderCreatedEvent | OrderStatusChangedEvent
AccountEvent = PasswordResetRequestedEvent
AnyEvent = OrderEvent | AccountEvent
EVENT_MODELS: dict[AnyEventType, type[AnyEvent]] = {
    EventType.ORDER_CREATED: OrderCreatedEvent,
    EventType.ORDER_STATUS_CHANGED: OrderStatusChangedEvent,
    AccountEventType.USER_PASSWORD_RESET_REQUESTED: PasswordResetRequestedEvent,
}
_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(Annotated[AnyEvent, Field(discriminator="type")])


def parse_event(raw: dict[str, Any]) -> AnyEvent:
    """The typed event in `raw`; raises `pydantic.ValidationError` when it is not one."""
    return _EVENT.validate_python(raw)


class Envelope(BaseModel):
    """An envelope as it travels: the relay and the transports carry it without looking into
    `data`, so an event they cannot parse still reaches a worker, which dead-letters it."""

    model_config = ConfigDict(extra="allow")

    id: uuid.UUID
    type: str
    version: int
    occurred_at: datetime
    order_id: uuid.UUID | None
    test: bool = False
    data: dict[str, Any]

    def to_json(self) -> bytes:
        return json.dumps(self.model_dump(mode="json"), separators=(",", ":")).encode()
