"""API shapes of the integrations module: worker configurations (settings typed per worker
type), deliveries, sent mail and counters."""

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
    StrictBool,
    StrictFloat,
    TypeAdapter,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from oms.branding import service as branding
from oms.core.pagination import Page
from oms.outbox import service as outbox
from oms.workflow import service as workflow

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix, not a secret
MASK = "…"
DeliveryStatus = Literal["succeeded", "failed", "dead"]


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def mask_secret(secret: str | None) -> str | None:
    if not secret:
        return secret
    prefix = SECRET_PREFIX if secret.startswith(SECRET_PREFIX) else ""
    return f"{prefix}{MASK}{secret[-4:]}"


def is_masked(secret: str | None) -> bool:
    return secret is not None and MASK in secret


def _check_secret(value: str | None) -> str | None:
    """A whsec_ secret, or the masked form a read returns (which means: keep the stored one)."""
    if value is None or (is_masked(value) and len(value) <= 20):
        return value
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

    send_to_customer: StrictBool = True
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
    secret: str | None = Field(
        default=None,
        description="whsec_…; generated when absent. Reads show it masked; sending the masked "
        "value back (or leaving it out) on an update keeps it.",
    )
    timeout_seconds: StrictFloat = Field(default=10.0, gt=0, le=60)

    @field_validator("secret")
    @classmethod
    def _secret_format(cls, value: str | None) -> str | None:
        return _check_secret(value)


class InventorySettings(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["warehouse_url"]},
                {"required": ["apply_locally"], "properties": {"apply_locally": {"const": True}}},
            ]
        },
    )

    direction: Literal["in", "out"] = Field(
        default="in", description="`in`: stock comes back (release); `out`: stock leaves."
    )
    apply_locally: StrictBool = Field(
        default=False,
        description="Release the stock in OMS's own catalogue too. Off by default: the orders "
        "module already gives stock back when an order is cancelled or returned.",
    )
    warehouse_url: AnyHttpUrl | SkipJsonSchema[None] = None
    secret: str | None = Field(
        default=None, description="whsec_… signing warehouse calls; masked like a webhook's."
    )
    timeout_seconds: StrictFloat = Field(default=10.0, gt=0, le=60)

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


Name = Annotated[str, Field(min_length=1, max_length=200)]
TriggerEvents = Annotated[
    list[outbox.EventType],
    Field(max_length=len(outbox.EventType), description="Event types that trigger it; empty: all."),
]
TriggerStatuses = Annotated[
    list[workflow.StatusCode],
    Field(
        max_length=100,
        description="Order statuses (after the event) that trigger it; empty: all. Each must "
        "be a status of the workflow.",
    ),
]


class _ConfigurationBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    enabled: StrictBool = True
    trigger_events: TriggerEvents = []
    trigger_statuses: TriggerStatuses = []


class EmailConfigurationCreate(_ConfigurationBase):
    worker_type: Literal[outbox.WorkerType.EMAIL]
    settings: EmailSettings


class WebhookConfigurationCreate(_ConfigurationBase):
    worker_type: Literal[outbox.WorkerType.WEBHOOK]
    settings: WebhookSettings


class InventoryConfigurationCreate(_ConfigurationBase):
    worker_type: Literal[outbox.WorkerType.INVENTORY]
    settings: InventorySettings


WorkerConfigurationCreate = Annotated[
    EmailConfigurationCreate | WebhookConfigurationCreate | InventoryConfigurationCreate,
    Field(discriminator="worker_type"),
]


class _ConfigurationChanges(BaseModel):
    """Fields to change; `worker_type` names the configuration's type (it cannot change) and
    `settings` replaces the settings as a whole."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    enabled: StrictBool | None = None
    trigger_events: TriggerEvents | None = None
    trigger_statuses: TriggerStatuses | None = None


class EmailConfigurationUpdate(_ConfigurationChanges):
    worker_type: Literal[outbox.WorkerType.EMAIL]
    settings: EmailSettings | None = None


class WebhookConfigurationUpdate(_ConfigurationChanges):
    worker_type: Literal[outbox.WorkerType.WEBHOOK]
    settings: WebhookSettings | None = None


class InventoryConfigurationUpdate(_ConfigurationChanges):
    worker_type: Literal[outbox.WorkerType.INVENTORY]
    settings: InventorySettings | None = None


WorkerConfigurationUpdate = Annotated[
    EmailConfigurationUpdate | WebhookConfigurationUpdate | InventoryConfigurationUpdate,
    Field(discriminator="worker_type"),
]


class _ConfigurationRead(BaseModel):
    id: uuid.UUID
    name: str
    enabled: bool
    trigger_events: list[outbox.EventType]
    trigger_statuses: list[str]
    created_at: datetime
    updated_at: datetime


class EmailConfigurationRead(_ConfigurationRead):
    worker_type: Literal[outbox.WorkerType.EMAIL]
    settings: EmailSettings


class WebhookConfigurationRead(_ConfigurationRead):
    worker_type: Literal[outbox.WorkerType.WEBHOOK]
    settings: WebhookSettings = Field(description="The secret is masked.")


class InventoryConfigurationRead(_ConfigurationRead):
    worker_type: Literal[outbox.WorkerType.INVENTORY]
    settings: InventorySettings = Field(description="The secret is masked.")


WorkerConfigurationRead = Annotated[
    EmailConfigurationRead | WebhookConfigurationRead | InventoryConfigurationRead,
    Field(discriminator="worker_type"),
]
WORKER_CONFIGURATION_READ: TypeAdapter[
    EmailConfigurationRead | WebhookConfigurationRead | InventoryConfigurationRead
] = TypeAdapter(WorkerConfigurationRead)


class WorkerConfigurationPage(Page[WorkerConfigurationRead]):
    """`Page[WorkerConfigurationRead]` under a name of its own: its items are a union, from
    which the OpenAPI document would otherwise get an unreadable generated schema name."""


# Examples in the OpenAPI document: one configuration per worker type, as created and read.
WORKER_CONFIGURATION_CREATE_EXAMPLES: dict[str, dict[str, Any]] = {
    "email": {
        "worker_type": "email",
        "name": "Order mail to customers",
        "trigger_events": ["order.created", "order.status_changed"],
        "trigger_statuses": [],
        "settings": {"send_to_customer": True, "recipients": ["orders@example.com"]},
    },
    "webhook": {
        "worker_type": "webhook",
        "name": "ERP",
        "trigger_events": ["order.status_changed"],
        "trigger_statuses": ["confirmed", "shipped"],
        "settings": {"url": "https://erp.example.com/hooks/oms", "timeout_seconds": 10},
    },
    "inventory": {
        "worker_type": "inventory",
        "name": "Warehouse stock",
        "trigger_events": ["order.status_changed"],
        "trigger_statuses": ["cancelled", "returned"],
        "settings": {"direction": "in", "warehouse_url": "https://wms.example.com/stock"},
    },
}
_READ_SETTINGS: dict[str, dict[str, Any]] = {
    "email": {"send_to_customer": True, "recipients": ["orders@example.com"], "template": None},
    "webhook": {
        "url": "https://erp.example.com/hooks/oms",
        "secret": f"{SECRET_PREFIX}{MASK}Qk8=",
        "timeout_seconds": 10.0,
    },
    "inventory": {
        "direction": "in",
        "apply_locally": False,
        "warehouse_url": "https://wms.example.com/stock",
        "secret": f"{SECRET_PREFIX}{MASK}n3Zs",
        "timeout_seconds": 10.0,
    },
}
_EXAMPLE_IDS = {
    "email": "1d4f6a8c-2b3e-4c5d-9e7f-0a1b2c3d4e5f",
    "webhook": "7a9c1e3f-5b7d-4f9a-8c2e-4d6f8a0b2c4e",
    "inventory": "c2e4a6b8-0d1f-4a3c-b5e7-9f1a3c5e7b9d",
}
WORKER_CONFIGURATION_READ_EXAMPLES: dict[str, dict[str, Any]] = {
    kind: {
        "id": _EXAMPLE_IDS[kind],
        "enabled": True,
        **created,
        "settings": _READ_SETTINGS[kind],
        "created_at": "2025-03-01T08:00:00Z",
        "updated_at": "2025-03-01T08:00:00Z",
    }
    for kind, created in WORKER_CONFIGURATION_CREATE_EXAMPLES.items()
}


class TestFireRead(BaseModel):
    event_id: uuid.UUID
    event_type: outbox.EventType


class TestFireRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_type: outbox.EventType = outbox.EventType.ORDER_STATUS_CHANGED
    status: workflow.StatusCode = Field(
        default="confirmed", description="The sample order's status; a status of the workflow."
    )


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    order_id: uuid.UUID | None
    configuration_id: uuid.UUID | None
    worker: outbox.WorkerType
    attempt: int
    status: DeliveryStatus
    response: str | None
    error: str | None
    duration_ms: int
    started_at: datetime
    finished_at: datetime


class ReplayRead(BaseModel):
    event_id: uuid.UUID
    configuration_id: uuid.UUID
    worker: outbox.WorkerType


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


# --- email templates ---


class EmailTemplateWrite(BaseModel):
    """Jinja2 (sandboxed) seeing `order`, `actor`, `previous_status`, `note`, `event_type`
    and `brand`; the HTML part is autoescaped and may extend `base.html.j2`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject": "{{ order.number }} is on its way",
                    "html": '{% extends "base.html.j2" %}{% block heading %}On its way'
                    "{% endblock %}{% block body %}<p>Hello {{ order.customer.name }}!</p>"
                    "{% endblock %}",
                    "text": "Hello {{ order.customer.name }}, {{ order.number }} is on its way.",
                }
            ]
        },
    )

    subject: Annotated[str, Field(min_length=1, max_length=1_000)]
    html: Annotated[str, Field(min_length=1, max_length=100_000)]
    text: Annotated[str, Field(min_length=1, max_length=50_000)]


class EmailTemplateRead(BaseModel):
    key: str
    subject: str
    html: str
    text: str
    shipped: bool = Field(description="OMS ships a default under this key.")
    edited: bool = Field(description="Edited through the API; resetting restores the default.")
    version: int = Field(description="0 for a shipped default never edited.")
    updated_at: datetime | None


# A branding not saved yet, to preview emails with: the same shape `PUT /branding` takes.
BrandingDraft = branding.BrandingWrite


class RenderedEmailRead(BaseModel):
    subject: str
    html: str
    text: str
