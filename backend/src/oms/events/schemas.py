"""API shapes of the events module: worker configurations (settings validated per worker type),
deliveries, sent mail and counters."""

import base64
import binascii
import secrets
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

from oms.events.envelope import EventType

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix, not a secret
TriggerEvent = Literal["order.created", "order.status_changed"]
StatusCode = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_\-]+$")]


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def mask_secret(secret: str | None) -> str | None:
    if not secret:
        return secret
    prefix = SECRET_PREFIX if secret.startswith(SECRET_PREFIX) else ""
    return f"{prefix}…{secret[-4:]}"


def _check_secret(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.startswith(SECRET_PREFIX):
        raise ValueError("must start with whsec_")
    try:
        raw = base64.b64decode(value[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error as error:
        raise ValueError("must be whsec_ followed by base64") from error
    if not 24 <= len(raw) <= 64:
        raise ValueError("must hold 24 to 64 random bytes")
    return value


class EmailSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    send_to_customer: bool = True
    recipients: list[EmailStr] = Field(default=[], max_length=20)
    template: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9_]+$",
        description="Template name to use instead of the one named after the status.",
    )

    @model_validator(mode="after")
    def _someone_receives_it(self) -> "EmailSettings":
        if not self.send_to_customer and not self.recipients:
            raise ValueError("set send_to_customer or give recipients")
        return self


class WebhookSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl
    secret: str | None = Field(default=None, description="whsec_…; generated when absent.")
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)

    @field_validator("secret")
    @classmethod
    def _secret_format(cls, value: str | None) -> str | None:
        return _check_secret(value)


class InventorySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    direction: Literal["in", "out"] = Field(
        default="in", description="`in`: stock comes back (release); `out`: stock leaves."
    )
    apply_locally: bool = Field(
        default=False,
        description="Release the stock in OMS's own catalogue too. Off by default: the orders "
        "module already gives stock back when an order is cancelled or returned.",
    )
    warehouse_url: AnyHttpUrl | None = None
    secret: str | None = Field(default=None, description="whsec_… signing warehouse calls.")
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)

    @field_validator("secret")
    @classmethod
    def _secret_format(cls, value: str | None) -> str | None:
        return _check_secret(value)

    @model_validator(mode="after")
    def _does_something(self) -> "InventorySettings":
        if not self.apply_locally and self.warehouse_url is None:
            raise ValueError("set warehouse_url or apply_locally")
        if self.apply_locally and self.direction != "in":
            raise ValueError("apply_locally supports direction `in` (release) only")
        return self


WorkerSettings = EmailSettings | WebhookSettings | InventorySettings
SETTINGS_BY_TYPE: dict[str, type[WorkerSettings]] = {
    "email": EmailSettings,
    "webhook": WebhookSettings,
    "inventory": InventorySettings,
}


class _ConfigurationBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    trigger_events: list[TriggerEvent] = Field(
        default=[], description="Event types that trigger it; empty means all."
    )
    trigger_statuses: list[StatusCode] = Field(
        default=[], description="Order statuses (after the event) that trigger it; empty: all."
    )


class EmailConfigurationCreate(_ConfigurationBase):
    worker_type: Literal["email"]
    settings: EmailSettings


class WebhookConfigurationCreate(_ConfigurationBase):
    worker_type: Literal["webhook"]
    settings: WebhookSettings


class InventoryConfigurationCreate(_ConfigurationBase):
    worker_type: Literal["inventory"]
    settings: InventorySettings


WorkerConfigurationCreate = Annotated[
    EmailConfigurationCreate | WebhookConfigurationCreate | InventoryConfigurationCreate,
    Field(discriminator="worker_type"),
]


class WorkerConfigurationUpdate(BaseModel):
    """Fields to change; `settings` replaces the settings (a secret left out is kept)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    enabled: bool | None = None
    trigger_events: list[TriggerEvent] | None = None
    trigger_statuses: list[StatusCode] | None = None
    settings: dict[str, Any] | None = None


class WorkerConfigurationRead(BaseModel):
    id: uuid.UUID
    worker_type: Literal["email", "webhook", "inventory"]
    name: str
    enabled: bool
    trigger_events: list[str]
    trigger_statuses: list[str]
    settings: dict[str, Any] = Field(description="Secrets are masked.")
    created_at: datetime
    updated_at: datetime


class TestFireRead(BaseModel):
    event_id: uuid.UUID
    event_type: str


class TestFireRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_type: EventType = EventType.ORDER_STATUS_CHANGED
    status: StatusCode = "confirmed"


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    order_id: uuid.UUID | None
    configuration_id: uuid.UUID | None
    worker: str
    attempt: int
    status: Literal["succeeded", "failed", "dead"]
    response: str | None
    error: str | None
    duration_ms: int
    started_at: datetime
    finished_at: datetime


class ReplayRead(BaseModel):
    event_id: uuid.UUID
    configuration_id: uuid.UUID
    worker: str


class SentEmailRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID | None
    configuration_id: uuid.UUID | None
    sender: str
    recipients: list[str]
    subject: str
    html: str
    text_body: str
    created_at: datetime


class EventCounters(BaseModel):
    published: int
    pending: int
    delivered: int
    retried: int
    dead_lettered: int
    by_worker: dict[str, dict[str, int]]


def validate_settings(worker_type: str, raw: dict[str, Any]) -> WorkerSettings:
    adapter: TypeAdapter[WorkerSettings] = TypeAdapter(SETTINGS_BY_TYPE[worker_type])
    return adapter.validate_python(raw)
