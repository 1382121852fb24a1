"""The configuration document: the whole white-label configuration of one OMS, as the typed
models its published JSON Schema (`docs/config.schema.json`) is generated from.

The document is declarative: what it lists is what OMS has afterwards, and what it leaves
out is removed. Secrets are never written in it, only `${ENV_VAR}` references.
"""

import re
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator

from oms.auth import service as auth
from oms.branding import service as branding
from oms.integrations import service as integrations
from oms.outbox import service as outbox
from oms.products import service as products
from oms.workflow import service as workflow

DOCUMENT_VERSION = 1
SECRET_REFERENCE = re.compile(r"^\$\{([A-Z_][A-Z0-9_]{0,99})\}$")


def _is_reference(value: str) -> str:
    if not SECRET_REFERENCE.fullmatch(value):
        raise ValueError(
            "a secret is written as a ${ENV_VAR} reference (upper-case letters, digits and"
            " underscores), never inline"
        )
    return value


SecretReference = Annotated[
    str,
    Field(
        json_schema_extra={"pattern": SECRET_REFERENCE.pattern},
        description="`${ENV_VAR}`: the secret is read from this environment variable on import.",
        examples=["${OMS_SECRET_WEBHOOK_ERP}"],
    ),
    AfterValidator(_is_reference),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ImageSource(Strict):
    """A logo or favicon: a file beside the document (CLI only) or a URL to fetch."""

    file: Annotated[str, Field(min_length=1, max_length=255, examples=["logo.svg"])] | None = None
    url: Annotated[HttpUrl, Field(max_length=2048)] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.file is None) == (self.url is None):
            raise ValueError("give exactly one of `file` and `url`")
        return self


class BrandingSection(branding.BrandingWrite):
    logo: ImageSource | None = None
    favicon: ImageSource | None = None


class StatusEntry(Strict):
    """An order status; the document's order of statuses is their display order."""

    code: workflow.StatusCode
    name: Annotated[str, Field(min_length=1, max_length=100)]
    customer_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    customer_description: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#64748b"
    initial: bool = Field(default=False, description="Orders start here; exactly one status.")
    terminal: bool = Field(default=False, description="No transition leaves it.")
    releases_stock: bool = Field(default=False, description="Entering it gives stock back.")


class TransitionEntry(Strict):
    from_status: workflow.StatusCode
    to_status: workflow.StatusCode
    roles: Annotated[
        list[auth.Role],
        Field(min_length=1, max_length=len(auth.Role), description="Who may take it."),
    ]

    @model_validator(mode="after")
    def _not_a_loop(self) -> Self:
        if self.from_status == self.to_status:
            raise ValueError("a transition must lead to another status")
        return self


class CategoryEntry(Strict):
    code: products.CategoryCode
    name: Annotated[str, Field(min_length=1, max_length=200)]
    attribute_schema: dict[str, Any] = Field(
        default_factory=dict, description="JSON Schema (2020-12) of its products' attributes."
    )


class WebhookWorkerSettings(Strict):
    """A webhook worker's settings as the document writes them: the secret is a reference."""

    url: HttpUrl
    secret: SecretReference | None = Field(
        default=None, description="Absent: the stored secret is kept, or one is generated."
    )
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)


class InventoryWorkerSettings(Strict):
    """An inventory worker's settings as the document writes them: the secret is a reference."""

    direction: Literal["in", "out"] = "in"
    apply_locally: bool = False
    warehouse_url: HttpUrl | None = None
    secret: SecretReference | None = None
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)


class _WorkerBase(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    enabled: bool = True
    trigger_events: Annotated[list[outbox.EventType], Field(max_length=len(outbox.EventType))] = (
        Field(default=[], description="Event types that trigger it; empty: all.")
    )
    trigger_statuses: Annotated[list[workflow.StatusCode], Field(max_length=100)] = Field(
        default=[], description="Statuses of this document that trigger it; empty: all."
    )


class EmailWorker(_WorkerBase):
    worker_type: Literal[outbox.WorkerType.EMAIL]
    settings: integrations.EmailSettings


class WebhookWorker(_WorkerBase):
    worker_type: Literal[outbox.WorkerType.WEBHOOK]
    settings: WebhookWorkerSettings


class InventoryWorker(_WorkerBase):
    worker_type: Literal[outbox.WorkerType.INVENTORY]
    settings: InventoryWorkerSettings


WorkerEntry = Annotated[
    EmailWorker | WebhookWorker | InventoryWorker, Field(discriminator="worker_type")
]


class EmailTemplateEntry(Strict):
    """An edited email template; shipped templates not listed are used as shipped."""

    key: Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z][a-z0-9_]*$")]
    subject: Annotated[str, Field(min_length=1, max_length=1_000)]
    html: Annotated[str, Field(min_length=1, max_length=100_000)]
    text: Annotated[str, Field(min_length=1, max_length=50_000)]


class ConfigDocument(Strict):
    """The whole white-label configuration of one OMS."""

    model_config = ConfigDict(extra="forbid", title="OMS configuration")

    version: Literal[1] = Field(description="The document format's version.")
    branding: BrandingSection
    statuses: Annotated[list[StatusEntry], Field(max_length=workflow.MAX_STATUSES)]
    transitions: Annotated[list[TransitionEntry], Field(max_length=workflow.MAX_TRANSITIONS)]
    categories: Annotated[list[CategoryEntry], Field(max_length=1_000)]
    worker_configurations: Annotated[list[WorkerEntry], Field(max_length=100)]
    email_templates: Annotated[
        list[EmailTemplateEntry], Field(max_length=integrations.MAX_EDITED_TEMPLATES)
    ]
