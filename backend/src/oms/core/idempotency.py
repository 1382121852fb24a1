"""Idempotency keys for POSTs that create things (`Idempotency-Key` header).

A retry with the same key and body gets the stored response, marked
`Idempotent-Replayed: true`, and creates nothing; the same key with another body is 422; a
request whose key is still in flight is 409. Keys are kept 24 hours per user.

How it stays correct under concurrency and crashes: the request's own transaction takes a
transaction-scoped advisory lock on (user, key) before anything else, then looks for a
stored response, and the handler stores its response in that same transaction. So a stored
response exists exactly when the request's writes committed; a request that fails or whose
process dies rolls back and releases the lock, leaving the key free for a retry (nothing is
ever stuck "in flight"). Error responses are not stored: retrying them runs them again.

Adopting it on an endpoint:

    Idempotent = Annotated[IdempotentRequest, Depends(idempotency(caller_id))]

    @router.post(...)
    async def create_thing(body: ..., session: Session, idempotent: Idempotent) -> Response:
        thing = await service.create_thing(session, body)
        return await idempotent.respond(session, 201, ThingRead(...), headers={...})
"""

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import DateTime, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from oms.core.db import Base, Session
from oms.core.errors import Conflict, ProblemError, Unprocessable
from oms.core.locks import Lock, try_xact_lock
from oms.core.openapi import RETRY_AFTER, header, may_raise

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION_HOURS = 24
MAX_KEY_LENGTH = 255
# Expired keys removed per stored response: cleanup keeps pace without a scheduler.
_PURGE_BATCH = 100


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSONB, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


class InvalidIdempotencyKey(ProblemError):
    status, slug, title = 400, "invalid-idempotency-key", "Invalid Idempotency-Key"

    def __init__(self) -> None:
        super().__init__(
            f"The {IDEMPOTENCY_HEADER} header must be 1 to {MAX_KEY_LENGTH} visible ASCII"
            " characters."
        )


class IdempotencyKeyReused(Unprocessable):
    slug = "idempotency-key-reused"

    def __init__(self) -> None:
        super().__init__(
            f"This {IDEMPOTENCY_HEADER} was used for a different request; use a new key."
        )


class IdempotencyKeyInFlight(Conflict):
    slug = "idempotency-key-in-flight"

    def __init__(self) -> None:
        super().__init__(
            f"A request with this {IDEMPOTENCY_HEADER} is still being processed; retry later.",
            headers={RETRY_AFTER: "1"},
        )


class _Replay(Exception):
    """Raised by the dependency to answer with a stored response instead of the handler's."""

    def __init__(self, response: Response) -> None:
        super().__init__("replayed")
        self.response = response


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """The request's key (if any); `respond` stores the response with it."""

    owner: uuid.UUID
    key: str | None
    fingerprint: str

    async def respond(
        self,
        session: AsyncSession,
        status_code: int,
        content: BaseModel,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        body = content.model_dump_json()
        kept = dict(headers or {})
        if self.key is not None:
            await _store(session, self, status_code, body, kept)
        return Response(body, status_code=status_code, headers=kept, media_type="application/json")


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests "the same": method, path and body (JSON compared by value)."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256(f"{method.upper()} {path}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(33 <= ord(char) <= 126 for char in key)


def idempotency(
    owner: Callable[..., Awaitable[uuid.UUID]],
) -> Callable[..., Awaitable[IdempotentRequest]]:
    """A dependency for POST endpoints; `owner` is a dependency giving the caller's user id
    (keys are per user)."""

    @may_raise(
        {
            400: f"The {IDEMPOTENCY_HEADER} is not 1 to {MAX_KEY_LENGTH} visible ASCII characters.",
            409: f"A request with this {IDEMPOTENCY_HEADER} is still in flight; retry after"
            " `Retry-After` seconds.",
            422: f"This {IDEMPOTENCY_HEADER} was used with another request; use a new key.",
        },
        headers={
            409: {
                RETRY_AFTER: header(
                    RETRY_AFTER,
                    required=False,
                    description=f"When the {IDEMPOTENCY_HEADER} is in flight: seconds to wait"
                    " before sending the request again.",
                )
            }
        },
    )
    async def guard(
        request: Request,
        session: Session,
        owner_id: Annotated[uuid.UUID, Depends(owner)],
        key: Annotated[
            str | SkipJsonSchema[None],
            Header(
                alias=IDEMPOTENCY_HEADER,
                # Documented only: an invalid key is answered by `InvalidIdempotencyKey`.
                json_schema_extra={"pattern": f"^[!-~]{{1,{MAX_KEY_LENGTH}}}$"},
                description="Makes retries safe: the same key and body answer the first "
                "response again (kept 24 h).",
            ),
        ] = None,
    ) -> IdempotentRequest:
        body = await request.body()
        idempotent = IdempotentRequest(
            owner=owner_id,
            key=key,
            fingerprint=fingerprint(request.method, request.url.path, body),
        )
        if key is None:
            return idempotent
        if not _valid_key(key):
            raise InvalidIdempotencyKey()
        if not await _lock(session, owner_id, key):
            raise IdempotencyKeyInFlight()
        stored = await _stored(session, owner_id, key)
        if stored is not None:
            if stored.fingerprint != idempotent.fingerprint:
                raise IdempotencyKeyReused()
            raise _Replay(_replayed(stored))
        return idempotent

    return guard


def install_idempotency(app: FastAPI) -> None:
    async def replay(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, _Replay)
        return exc.response

    app.add_exception_handler(_Replay, replay)


def _replayed(record: IdempotencyRecord) -> Response:
    headers = {**record.headers, REPLAYED_HEADER: "true"}
    return Response(
        record.body, status_code=record.status_code, headers=headers, media_type="application/json"
    )


async def _lock(session: AsyncSession, owner: uuid.UUID, key: str) -> bool:
    return await try_xact_lock(session, Lock.IDEMPOTENCY_KEY, f"{owner}:{key}")


async def _stored(session: AsyncSession, owner: uuid.UUID, key: str) -> IdempotencyRecord | None:
    rows = await session.execute(
        text(
            "SELECT fingerprint, status_code, body, headers FROM idempotency_keys"
            " WHERE user_id = :owner AND key = :key"
            " AND created_at > now() - make_interval(hours => :hours)"
        ),
        {"owner": owner, "key": key, "hours": RETENTION_HOURS},
    )
    row = rows.first()
    if row is None:
        return None
    return IdempotencyRecord(
        user_id=owner,
        key=key,
        fingerprint=row.fingerprint,
        status_code=row.status_code,
        body=row.body,
        headers=row.headers,
    )


_STORE = text(
    """
    WITH purged AS (
        DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM idempotency_keys
            WHERE created_at < now() - make_interval(hours => :hours)
              AND NOT (user_id = :owner AND key = :key)
            LIMIT :batch FOR UPDATE SKIP LOCKED
        ))
    )
    INSERT INTO idempotency_keys (user_id, key, fingerprint, status_code, body, headers)
    VALUES (:owner, :key, :fingerprint, :status_code, :body, CAST(:headers AS jsonb))
    ON CONFLICT (user_id, key) DO UPDATE SET
        fingerprint = EXCLUDED.fingerprint, status_code = EXCLUDED.status_code,
        body = EXCLUDED.body, headers = EXCLUDED.headers, created_at = now()
    """
)


async def _store(
    session: AsyncSession,
    request: IdempotentRequest,
    status_code: int,
    body: str,
    headers: dict[str, Any],
) -> None:
    # An expired record of the same key is overwritten; a live one cannot exist, since
    # this request holds the key's lock and found none.
    await session.execute(
        _STORE,
        {
            "owner": request.owner,
            "key": request.key,
            "fingerprint": request.fingerprint,
            "status_code": status_code,
            "body": body,
            "headers": json.dumps(headers),
            "hours": RETENTION_HOURS,
            "batch": _PURGE_BATCH,
        },
    )
