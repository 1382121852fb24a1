"""The audit log is written in the change's transaction and cannot be rewritten in SQL."""

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.core import audit
from tests.audit_trail import recorded


async def _entry(app: FastAPI) -> None:
    async with app.state.sessions() as session, session.begin():
        audit.record(session, action="test.done", entity="test", entity_id="1", after={"a": 1})


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET after = '{}'::jsonb",
        "DELETE FROM audit_log",
        # Refused even when no row matches: nothing may be rewritten, however it is aimed.
        "DELETE FROM audit_log WHERE id < 0",
    ],
)
async def test_the_database_refuses_update_and_delete(
    app: FastAPI, engine: AsyncEngine, statement: str
) -> None:
    await _entry(app)

    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as connection:
            await connection.execute(text(statement))

    [entry] = await recorded(engine, "test.done")
    assert entry["after"] == {"a": 1}


async def test_inserting_stays_possible_after_a_refusal(app: FastAPI, engine: AsyncEngine) -> None:
    await _entry(app)
    with pytest.raises(DBAPIError):
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM audit_log"))

    await _entry(app)

    assert len(await recorded(engine, "test.done")) == 2


async def _failing_change(app: FastAPI) -> None:
    async with app.state.sessions() as session, session.begin():
        audit.record(session, action="test.done", entity="test", entity_id="1")
        raise RuntimeError("the change fails")


async def test_a_rolled_back_change_leaves_no_entry(app: FastAPI, engine: AsyncEngine) -> None:
    with pytest.raises(RuntimeError):
        await _failing_change(app)

    assert await recorded(engine, "test.done") == []


async def test_outside_a_request_the_origin_is_system_or_the_one_named(
    app: FastAPI, engine: AsyncEngine
) -> None:
    await _entry(app)
    with audit.acting_from("cli"):
        await _entry(app)

    system, cli = await recorded(engine, "test.done")
    assert (system["origin"], system["actor_id"], system["address"]) == ("system", None, None)
    assert cli["origin"] == "cli"


def test_an_update_keeps_only_the_fields_that_changed() -> None:
    before = {"name": "Chair", "price": "10.00", "stock": 5}
    after = {"name": "Chair", "price": "12.00", "stock": 5, "colour": "red"}

    assert audit._changed_only(before, after) == (
        {"price": "10.00"},
        {"colour": "red", "price": "12.00"},
    )
