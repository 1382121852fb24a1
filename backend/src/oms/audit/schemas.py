"""What the audit listing and export show of an entry, and how they are filtered."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from oms.core.audit import Origin


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "at": "2026-12-10T09:30:00Z",
                    "origin": "api",
                    "actor_id": "0f8e2c4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
                    "actor_email": "admin@example.com",
                    "actor_roles": ["admin"],
                    "address": "203.0.113.7",
                    "request_id": "5d0c1e8f3b2a4c6d",
                    "action": "status.updated",
                    "entity": "status",
                    "entity_id": "shipped",
                    "before": {"colour": "#1f6feb"},
                    "after": {"colour": "#2da44e"},
                }
            ]
        },
    )

    id: int
    at: datetime
    origin: Origin
    actor_id: uuid.UUID | None
    actor_email: str | None
    actor_roles: list[str]
    address: str | None
    request_id: str | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Entries matching every field given; `since` inclusive, `until` exclusive."""

    actor: uuid.UUID | None = None
    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
