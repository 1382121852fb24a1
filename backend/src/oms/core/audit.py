"""The audit log: who changed what, when, from which address, and the fields before and after.

Every module records its changes here with `record(session, ...)`, in the same transaction
as the change, so a change rolled back leaves no record. Who and from where are not passed
in: `AuditContextMiddleware` starts each request's context with the client address, and the
authenticated caller is named with `identify(...)` once the token is verified. Outside a
request (an `oms` command, seeding, startup) the origin is `system`, or `cli` within
`acting_from("cli")`.

The table is append-only in the database itself: a trigger (see the migration) refuses any
UPDATE or DELETE. Snapshots must never hold a secret or a password hash; the caller gives
the fields it means to show (a masked secret, no hash).
"""

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import BigInteger, DateTime, Identity, Index, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Receive, Scope, Send

from oms.core.db import Base
from oms.core.request_context import current_request_id

Origin = Literal["api", "cli", "system"]
Snapshot = Mapping[str, Any] | BaseModel | None

MAX_ADDRESS_LENGTH = 64


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        # Newest first, alone or within one actor, entity or action.
        Index("ix_audit_log_at_id", "at", "id"),
        Index("ix_audit_log_actor_id_at_id", "actor_id", "at", "id"),
        Index("ix_audit_log_entity_entity_id_at_id", "entity", "entity_id", "at", "id"),
        Index("ix_audit_log_action_at_id", "action", "at", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    origin: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_email: Mapped[str | None] = mapped_column(String(320))
    actor_roles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    address: Mapped[str | None] = mapped_column(String(MAX_ADDRESS_LENGTH))
    request_id: Mapped[str | None] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(400))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


@dataclass(slots=True)
class AuditContext:
    """Who acts, from where. Mutable, so the caller named deep in a request's dependencies
    is seen by the whole request."""

    origin: Origin
    address: str | None = None
    actor_id: uuid.UUID | None = None
    actor_email: str | None = None
    actor_roles: list[str] = field(default_factory=list)


_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current_context() -> AuditContext:
    return _context.get() or AuditContext(origin="system")


def identify(user_id: uuid.UUID, email: str, roles: frozenset[str]) -> None:
    """Name the authenticated caller of the current request as the actor of its changes."""
    context = _context.get()
    if context is not None:
        context.actor_id, context.actor_email = user_id, email or None
        context.actor_roles = sorted(roles)


@contextmanager
def acting_from(origin: Origin, *, address: str | None = None) -> Iterator[AuditContext]:
    """Changes made inside are recorded as coming from `origin` (an `oms` command: `cli`)."""
    token = _context.set(AuditContext(origin=origin, address=address))
    try:
        yield current_context()
    finally:
        _context.reset(token)


class AuditContextMiddleware:
    """Starts every HTTP request with a fresh context: the client address (uvicorn has
    already applied trusted proxy headers to it) and the request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0][:MAX_ADDRESS_LENGTH] if client else None
        with acting_from("api", address=address):
            await self.app(scope, receive, send)


def _plain(snapshot: Snapshot) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    if isinstance(snapshot, BaseModel):
        return snapshot.model_dump(mode="json")
    plain: dict[str, Any] = to_jsonable_python(dict(snapshot))
    return plain


def _changed_only(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
    return (
        {key: before[key] for key in sorted(keys) if key in before},
        {key: after[key] for key in sorted(keys) if key in after},
    )


def record(
    session: AsyncSession,
    *,
    action: str,
    entity: str,
    entity_id: object,
    before: Snapshot = None,
    after: Snapshot = None,
) -> None:
    """Add one entry to the audit log, written with the session's transaction.

    With both `before` and `after`, only the fields that differ are kept, and an update that
    changed no field is not recorded.
    """
    plain_before, plain_after = _plain(before), _plain(after)
    if plain_before is not None and plain_after is not None:
        plain_before, plain_after = _changed_only(plain_before, plain_after)
        if not plain_before and not plain_after:
            return
    context = current_context()
    session.add(
        AuditEntry(
            origin=context.origin,
            actor_id=context.actor_id,
            actor_email=context.actor_email,
            actor_roles=list(context.actor_roles),
            address=context.address,
            request_id=current_request_id() if context.origin == "api" else None,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=plain_before,
            after=plain_after,
        )
    )
