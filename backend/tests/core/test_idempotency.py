"""Idempotency keys, through a probe endpoint that writes a row per call."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, Header
from fastapi.responses import Response
from httpx import AsyncClient
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.app import create_app
from oms.core.db import Session
from oms.core.errors import Conflict
from oms.core.idempotency import (
    IdempotentRequest,
    fingerprint,
    idempotency,
)
from oms.core.locks import Lock
from oms.core.settings import Settings
from tests.conftest_helpers import serving

OWNER = uuid.UUID("00000000-0000-0000-0000-00000000a11c")
OTHER = uuid.UUID("00000000-0000-0000-0000-00000000b0b0")


async def probe_owner(x_probe_user: Annotated[str, Header()] = str(OWNER)) -> uuid.UUID:
    return uuid.UUID(x_probe_user)


Idempotent = Annotated[IdempotentRequest, Depends(idempotency(probe_owner))]


class Note(BaseModel):
    id: int
    text: str


def _probe() -> APIRouter:
    router = APIRouter(prefix="/probe/notes")

    @router.post("", status_code=201)
    async def create(note: Note, session: Session, idempotent: Idempotent) -> Response:
        await session.execute(
            text("INSERT INTO probe_idem_notes (id, text) VALUES (:id, :text)"),
            {"id": note.id, "text": note.text},
        )
        if note.text == "refuse":
            raise Conflict("refused after writing")
        return await idempotent.respond(
            session, 201, note, headers={"Location": f"/probe/notes/{note.id}"}
        )

    return router


@pytest.fixture
async def notes(engine: AsyncEngine, settings: Settings) -> AsyncIterator[AsyncClient]:
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE probe_idem_notes (id int PRIMARY KEY, text text)")
        )
    app = create_app(settings)
    app.include_router(_probe())
    try:
        async with serving(app) as client:
            yield client
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DROP TABLE probe_idem_notes"))
            await connection.execute(text("DELETE FROM idempotency_keys"))


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(
            (await connection.execute(text("SELECT count(*) FROM probe_idem_notes"))).scalar_one()
        )


def test_fingerprint_compares_json_by_value() -> None:
    assert fingerprint("POST", "/a", b'{"a": 1, "b": 2}') == fingerprint(
        "post", "/a", b'{"b":2,"a":1}'
    )
    assert fingerprint("POST", "/a", b'{"a": 1}') != fingerprint("POST", "/a", b'{"a": 2}')
    assert fingerprint("POST", "/a", b'{"a": 1}') != fingerprint("POST", "/b", b'{"a": 1}')
    assert fingerprint("POST", "/a", b"not json") != fingerprint("POST", "/a", b"not json!")


async def test_without_a_key_every_call_executes(notes: AsyncClient, engine: AsyncEngine) -> None:
    assert (await notes.post("/probe/notes", json={"id": 1, "text": "a"})).status_code == 201
    assert (await notes.post("/probe/notes", json={"id": 2, "text": "a"})).status_code == 201
    assert await _count(engine) == 2


async def test_a_retry_replays_the_stored_response(notes: AsyncClient, engine: AsyncEngine) -> None:
    headers = {"Idempotency-Key": "key-1"}
    first = await notes.post("/probe/notes", json={"id": 1, "text": "a"}, headers=headers)
    again = await notes.post("/probe/notes", json={"text": "a", "id": 1}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json() == {"id": 1, "text": "a"}
    assert again.headers["location"] == first.headers["location"] == "/probe/notes/1"
    assert await _count(engine) == 1


async def test_the_same_key_with_another_body_is_422(
    notes: AsyncClient, engine: AsyncEngine
) -> None:
    headers = {"Idempotency-Key": "key-2"}
    await notes.post("/probe/notes", json={"id": 1, "text": "a"}, headers=headers)
    other = await notes.post("/probe/notes", json={"id": 2, "text": "b"}, headers=headers)

    assert other.status_code == 422
    assert other.json()["type"] == "urn:oms:problem:idempotency-key-reused"
    assert await _count(engine) == 1


async def test_keys_belong_to_one_user(notes: AsyncClient, engine: AsyncEngine) -> None:
    key = {"Idempotency-Key": "shared"}
    mine = await notes.post("/probe/notes", json={"id": 1, "text": "a"}, headers=key)
    theirs = await notes.post(
        "/probe/notes",
        json={"id": 2, "text": "a"},
        headers={**key, "X-Probe-User": str(OTHER)},
    )
    assert mine.status_code == theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers
    assert await _count(engine) == 2


async def test_a_key_in_flight_is_409(notes: AsyncClient, engine: AsyncEngine) -> None:
    headers = {"Idempotency-Key": "slow"}
    # Another request holding the key: its transaction holds the key's lock.
    async with engine.connect() as other:
        await other.execute(
            text("SELECT pg_advisory_xact_lock(:ns, hashtext(:subject))"),
            {"ns": int(Lock.IDEMPOTENCY_KEY), "subject": f"{OWNER}:slow"},
        )
        concurrent = await notes.post("/probe/notes", json={"id": 1, "text": "a"}, headers=headers)
        await other.rollback()

    assert concurrent.status_code == 409
    assert concurrent.json()["type"] == "urn:oms:problem:idempotency-key-in-flight"
    assert concurrent.headers["retry-after"] == "1"
    assert await _count(engine) == 0
    # Once that request ended (here: failed), the key is free.
    after = await notes.post("/probe/notes", json={"id": 1, "text": "a"}, headers=headers)
    assert after.status_code == 201
    assert await _count(engine) == 1


async def test_twenty_concurrent_requests_with_one_key_write_once(
    notes: AsyncClient, engine: AsyncEngine
) -> None:
    headers = {"Idempotency-Key": "burst"}
    responses = await asyncio.gather(
        *(
            notes.post("/probe/notes", json={"id": 7, "text": "a"}, headers=headers)
            for _ in range(20)
        )
    )
    codes = sorted(response.status_code for response in responses)
    assert set(codes) <= {201, 409}
    fresh = [
        r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers
    ]
    assert len(fresh) == 1
    assert await _count(engine) == 1


async def test_a_failed_request_leaves_the_key_free(
    notes: AsyncClient, engine: AsyncEngine
) -> None:
    headers = {"Idempotency-Key": "retry-me"}
    failed = await notes.post("/probe/notes", json={"id": 1, "text": "refuse"}, headers=headers)
    assert failed.status_code == 409
    assert await _count(engine) == 0

    # A corrected body under the same key runs: nothing was stored for the failure.
    retried = await notes.post("/probe/notes", json={"id": 1, "text": "ok"}, headers=headers)
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    assert await _count(engine) == 1


async def test_an_expired_key_runs_again_and_expired_keys_are_purged(
    notes: AsyncClient, engine: AsyncEngine
) -> None:
    await notes.post(
        "/probe/notes", json={"id": 1, "text": "a"}, headers={"Idempotency-Key": "old"}
    )
    await notes.post(
        "/probe/notes",
        json={"id": 2, "text": "a"},
        headers={"Idempotency-Key": "older", "X-Probe-User": str(OTHER)},
    )
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
        )

    again = await notes.post(
        "/probe/notes", json={"id": 3, "text": "new body"}, headers={"Idempotency-Key": "old"}
    )
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    async with engine.connect() as connection:
        keys = (await connection.execute(text("SELECT key FROM idempotency_keys"))).scalars().all()
    # The other user's expired key went in the same write; the reused one is fresh.
    assert keys == ["old"]


async def test_an_invalid_key_is_400(notes: AsyncClient, engine: AsyncEngine) -> None:
    for key in ("", "has space", "x" * 256, "tab\tkey"):
        response = await notes.post(
            "/probe/notes", json={"id": 1, "text": "a"}, headers={"Idempotency-Key": key}
        )
        assert response.status_code == 400, key
    assert await _count(engine) == 0
