"""API shapes of the configuration import."""

from typing import Any, Literal

from pydantic import BaseModel, Field

from oms.configuration.document import ConfigDocument


class ChangeRead(BaseModel):
    op: Literal["add", "remove", "change"]
    path: str = Field(
        description="What changes: `statuses.shipped.customer_name`, `transitions.new -> "
        "cancelled`, `worker_configurations.webhook 'ERP'.settings.url`.",
        examples=["statuses.shipped.customer_name"],
    )
    before: Any = Field(default=None, description="The value now (`null` for an addition).")
    after: Any = Field(default=None, description="The value after (`null` for a removal).")
    line: str = Field(
        description="The change as the CLI prints it.",
        examples=['~ status shipped: customer_name "Shipped" -> "On its way"'],
    )


class ImportRead(BaseModel):
    dry_run: bool
    applied: bool = Field(description="True when the changes were made (never on a dry run).")
    changes: list[ChangeRead] = Field(description="Empty: the document is what OMS has.")


__all__ = ["ChangeRead", "ConfigDocument", "ImportRead"]
