"""All SQL of the audit log's read side."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms.audit.schemas import AuditFilter
from oms.core.audit import AuditEntry
from oms.core.pagination import keyset_after


def _conditions(where: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.actor is not None:
        conditions.append(AuditEntry.actor_id == where.actor)
    if where.entity is not None:
        conditions.append(AuditEntry.entity == where.entity)
    if where.entity_id is not None:
        conditions.append(AuditEntry.entity_id == where.entity_id)
    if where.action is not None:
        conditions.append(AuditEntry.action == where.action)
    if where.since is not None:
        conditions.append(AuditEntry.at >= where.since)
    if where.until is not None:
        conditions.append(AuditEntry.at < where.until)
    return conditions


async def entries(
    session: AsyncSession, where: AuditFilter, *, before: tuple[object, ...] | None, limit: int
) -> Sequence[AuditEntry]:
    """Newest first, keyset-paged on (at, id), `limit` rows after the key `before`."""
    query = select(AuditEntry).where(*_conditions(where))
    if before is not None:
        query = query.where(keyset_after([AuditEntry.at, AuditEntry.id], before, descending=True))
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return (await session.scalars(query)).all()
