"""The database: declarative base, engine, and the one place a request's transaction lives."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from oms.core.database_url import async_url
from oms.core.errors import ProblemError
from oms.core.openapi import may_raise

DATABASE_UNAVAILABLE = (
    "The database is unreachable or did not answer in time; retry after `Retry-After` seconds."
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    """`created_at` / `updated_at` kept by the database clock."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def create_engine(
    url: str | URL,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    connect_timeout: float = 5.0,
) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        connect_args={"timeout": connect_timeout},
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


@may_raise({503: DATABASE_UNAVAILABLE})
async def transaction(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the handler returns, rolled back if it raises.

    Bound with `scope="function"` so the commit happens before the response is sent: a
    failed commit becomes an error response, never a 2xx for data that was not stored.
    A `ProblemError` with `keeps_writes` is answered after its transaction commits.
    """
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    refusal: ProblemError | None = None
    async with sessions() as session, session.begin():
        try:
            yield session
        except ProblemError as error:
            if not error.keeps_writes:
                raise
            refusal = error
    if refusal is not None:
        raise refusal


Session = Annotated[AsyncSession, Depends(transaction, scope="function")]
