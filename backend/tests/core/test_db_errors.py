"""`violations_as`: a violated constraint becomes the caller's domain error, inside a savepoint
that leaves the caller's transaction usable."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from oms.core.db import create_sessionmaker
from oms.core.db_errors import violations_as
from oms.core.errors import Conflict


class CodeTaken(Conflict):
    slug = "probe-code-taken"


INSERT = text("INSERT INTO probe_codes (code, size) VALUES (:code, :size)")


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session in a transaction over a table of its own, rolled back afterwards."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TABLE probe_codes (code text NOT NULL,"
                " size int NOT NULL CONSTRAINT ck_probe_codes_size CHECK (size >= 0))"
            )
        )
        await connection.execute(
            text("CREATE UNIQUE INDEX uq_probe_codes_code_lower ON probe_codes (lower(code))")
        )
    try:
        async with create_sessionmaker(engine)() as session:
            await session.begin()
            await session.execute(INSERT, {"code": "a", "size": 1})
            yield session
            await session.rollback()
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DROP TABLE probe_codes"))


async def _insert_mapping_the_index(session: AsyncSession, *rows: tuple[str, int]) -> None:
    async with violations_as(session, {"uq_probe_codes_code_lower": CodeTaken("taken")}):
        for code, size in rows:
            await session.execute(INSERT, {"code": code, "size": size})


async def _codes(session: AsyncSession) -> list[str]:
    return list(await session.scalars(text("SELECT code FROM probe_codes ORDER BY code")))


async def test_a_violated_unique_index_raises_the_error_mapped_to_it(
    session: AsyncSession,
) -> None:
    with pytest.raises(CodeTaken) as raised:
        await _insert_mapping_the_index(session, ("A", 1))
    assert isinstance(raised.value.__cause__, IntegrityError)


async def test_a_violation_of_a_constraint_not_mapped_is_re_raised(
    session: AsyncSession,
) -> None:
    with pytest.raises(IntegrityError, match="ck_probe_codes_size"):
        await _insert_mapping_the_index(session, ("b", -1))
    assert await _codes(session) == ["a"]


async def test_the_transaction_goes_on_after_a_refused_write(session: AsyncSession) -> None:
    with pytest.raises(CodeTaken):
        await _insert_mapping_the_index(session, ("c", 1), ("A", 1))
    # The savepoint took the block's writes ("c") with it; the rest of the transaction stays.
    await session.execute(INSERT, {"code": "d", "size": 1})
    assert await _codes(session) == ["a", "d"]


async def test_a_write_that_breaks_nothing_is_kept(session: AsyncSession) -> None:
    await _insert_mapping_the_index(session, ("e", 1))
    assert await _codes(session) == ["a", "e"]
