"""The audit log's public interface: the admin listing and the streamed CSV export."""

from collections.abc import AsyncIterator
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.audit import repository
from oms.audit.schemas import AuditEntryRead, AuditFilter
from oms.core.audit import AuditEntry
from oms.core.csv_export import csv_cell, csv_lines
from oms.core.pagination import Page, decode_cursor, page_of

__all__ = ["AuditFilter", "export_csv", "list_entries"]

EXPORT_BATCH = 500
CSV_COLUMNS = tuple(AuditEntryRead.model_fields)


def _key(row: AuditEntry) -> tuple[datetime, int]:
    return (row.at, row.id)


async def list_entries(
    session: AsyncSession, where: AuditFilter, *, cursor: str | None, limit: int
) -> Page[AuditEntryRead]:
    """Newest first, keyset-paged on (at, id)."""
    before = decode_cursor(cursor, datetime, int) if cursor else None
    rows = await repository.entries(session, where, before=before, limit=limit + 1)
    return page_of(rows, limit, _key, AuditEntryRead.model_validate)


async def export_csv(
    sessions: async_sessionmaker[AsyncSession], where: AuditFilter
) -> AsyncIterator[str]:
    """The entries `where` selects as CSV, newest first, a header line first.

    Read in batches of `EXPORT_BATCH`, each in its own short transaction: a slow reader
    holds no connection between batches, and keyset paging (on an append-only table)
    neither repeats nor skips an entry.
    """
    yield csv_lines([list(CSV_COLUMNS)])
    before: tuple[object, ...] | None = None
    while True:
        async with sessions() as session, session.begin():
            rows = await repository.entries(session, where, before=before, limit=EXPORT_BATCH)
        if not rows:
            return
        yield csv_lines(
            [[csv_cell(getattr(row, column)) for column in CSV_COLUMNS] for row in rows]
        )
        if len(rows) < EXPORT_BATCH:
            return
        before = _key(rows[-1])
