"""One transaction per request: committed before the response, rolled back on any error."""

from collections.abc import AsyncIterator

import pytest
from fastapi import APIRouter
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.app import create_app
from oms.core.db import Session
from oms.core.errors import Conflict
from oms.core.settings import Settings
from tests.conftest_helpers import serving


class KeptRefusal(Conflict):
    keeps_writes = True


def _notes_router() -> APIRouter:
    router = APIRouter(prefix="/probe/notes")

    @router.post("/{note_id}", status_code=201)
    async def write(note_id: int, session: Session, parent: int | None = None) -> dict[str, int]:
        await session.execute(
            text("INSERT INTO probe_notes (id, parent) VALUES (:id, :parent)"),
            {"id": note_id, "parent": parent},
        )
        return {"id": note_id}

    @router.post("/{note_id}/then-refuse")
    async def write_then_refuse(note_id: int, session: Session) -> None:
        await session.execute(text("INSERT INTO probe_notes (id) VALUES (:id)"), {"id": note_id})
        raise Conflict("refused after writing")

    @router.post("/{note_id}/then-refuse-keeping-it")
    async def write_then_refuse_keeping(note_id: int, session: Session) -> None:
        await session.execute(text("INSERT INTO probe_notes (id) VALUES (:id)"), {"id": note_id})
        raise KeptRefusal("refused, but the write is a record")

    return router


@pytest.fixture
async def notes(engine: AsyncEngine, settings: Settings) -> AsyncIterator[AsyncClient]:
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TABLE probe_notes (id int PRIMARY KEY, parent int REFERENCES"
                " probe_notes (id) DEFERRABLE INITIALLY DEFERRED)"
            )
        )
    app = create_app(settings)
    app.include_router(_notes_router())
    try:
        async with serving(app) as client:
            yield client
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DROP TABLE probe_notes"))


async def _stored_ids(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT id FROM probe_notes ORDER BY id"))
        return [row[0] for row in rows]


async def test_a_successful_request_is_committed(notes: AsyncClient, engine: AsyncEngine) -> None:
    response = await notes.post("/probe/notes/1")

    assert response.status_code == 201
    assert await _stored_ids(engine) == [1]


async def test_an_error_after_a_write_leaves_nothing(
    notes: AsyncClient, engine: AsyncEngine
) -> None:
    response = await notes.post("/probe/notes/2/then-refuse")

    assert response.status_code == 409
    assert await _stored_ids(engine) == []


async def test_a_failed_commit_is_an_error_response_not_a_success(
    notes: AsyncClient, engine: AsyncEngine
) -> None:
    # The deferred foreign key is only checked at COMMIT, after the handler returned.
    response = await notes.post("/probe/notes/3", params={"parent": 999})

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert await _stored_ids(engine) == []


async def test_an_error_that_keeps_writes_commits_then_answers(
    notes: AsyncClient, engine: AsyncEngine
) -> None:
    response = await notes.post("/probe/notes/4/then-refuse-keeping-it")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert await _stored_ids(engine) == [4]
