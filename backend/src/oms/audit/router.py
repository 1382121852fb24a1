"""HTTP endpoints of the audit log: the admin listing and its CSV export."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from oms.audit import service
from oms.audit.schemas import AuditEntryRead, AuditFilter
from oms.auth.dependencies import AuditReader
from oms.core.db import Session
from oms.core.openapi import problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.core.timestamps import Moment

router = APIRouter(prefix="/audit", tags=["audit"])


def audit_filter(
    actor: Annotated[uuid.UUID | None, Query(description="The acting user's id.")] = None,
    entity: Annotated[
        str | None, Query(max_length=64, description="Kind of thing changed: `product`, ...")
    ] = None,
    entity_id: Annotated[
        str | None, Query(max_length=400, description="The changed thing's id or code.")
    ] = None,
    action: Annotated[
        str | None, Query(max_length=64, description="What was done: `product.updated`, ...")
    ] = None,
    since: Annotated[
        Moment | None, Query(description="At or after this moment (with its offset).")
    ] = None,
    until: Annotated[
        Moment | None, Query(description="Before this moment (with its offset).")
    ] = None,
) -> AuditFilter:
    return AuditFilter(
        actor=actor, entity=entity, entity_id=entity_id, action=action, since=since, until=until
    )


Filter = Annotated[AuditFilter, Depends(audit_filter)]


@router.get("", responses=problems({400: "The cursor is not one this listing issued."}))
async def list_audit_entries(
    _: AuditReader,
    session: Session,
    where: Filter,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> Page[AuditEntryRead]:
    """Every recorded change, newest first (by time, then id)."""
    return await service.list_entries(session, where, cursor=cursor, limit=limit)


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One line per entry, newest first, after a header line.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def export_audit_entries(
    _: AuditReader, where: Filter, request: Request
) -> StreamingResponse:
    """The entries the same filters select, as CSV, streamed in batches."""
    return StreamingResponse(
        service.export_csv(request.app.state.sessions, where),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )
