"""The database's refusals as domain errors: the one way every module turns a violated
constraint into a problem a client can act on.

A service runs a write under `violations_as`, naming what each constraint means in its own
terms; the repository underneath only runs the SQL.
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.errors import ProblemError


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint (or unique index) the database refused, as asyncpg
    reports it; None when the driver names none."""
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None)
    return name if isinstance(name, str) and name else None


@asynccontextmanager
async def violations_as(
    session: AsyncSession, errors: Mapping[str, ProblemError]
) -> AsyncIterator[None]:
    """Run the block in a savepoint; a violation of a constraint named in `errors` raises
    that error instead.

    The savepoint is rolled back either way, so the caller's transaction stays usable (a
    refusal that keeps its writes, or a caller that goes on, needs that). A violation of any
    other constraint is re-raised as it is: it is a bug, not an answer for the client.
    """
    try:
        async with session.begin_nested():
            yield
    except IntegrityError as error:
        refusal = errors.get(violated_constraint(error) or "")
        if refusal is None:
            raise
        raise refusal from error
