"""HTTP endpoints of the workflow configuration: statuses and transitions (admins write)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from oms.auth.dependencies import Idempotent, Requires
from oms.auth.permissions import Permission
from oms.auth.principal import Principal
from oms.core.db import Session
from oms.workflow import service
from oms.workflow.schemas import (
    StatusCreate,
    StatusRead,
    StatusUpdate,
    TransitionCreate,
    TransitionRead,
    TransitionUpdate,
)

router = APIRouter(prefix="/workflow", tags=["workflow"])

ConfigReader = Annotated[Principal, Requires(Permission.CONFIG_READ)]
ConfigWriter = Annotated[Principal, Requires(Permission.CONFIG_WRITE)]


@router.get("/statuses")
async def list_statuses(session: Session, _: ConfigReader) -> list[StatusRead]:
    return await service.list_statuses(session)


@router.post("/statuses", status_code=status.HTTP_201_CREATED, response_model=StatusRead)
async def create_status(
    body: StatusCreate, session: Session, request: Request, _: ConfigWriter, idempotent: Idempotent
) -> Response:
    created = await service.create_status(session, body)
    location = str(request.url_for("get_status", code=created.code))
    return await idempotent.respond(
        session, status.HTTP_201_CREATED, created, headers={"Location": location}
    )


@router.get("/statuses/{code}")
async def get_status(code: str, session: Session, _: ConfigReader) -> StatusRead:
    return await service.get_status(session, code)


@router.patch("/statuses/{code}")
async def update_status(
    code: str, body: StatusUpdate, session: Session, _: ConfigWriter
) -> StatusRead:
    return await service.update_status(session, code, body)


@router.delete("/statuses/{code}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_status(code: str, session: Session, _: ConfigWriter) -> None:
    await service.delete_status(session, code)


@router.get("/transitions")
async def list_transitions(
    session: Session,
    _: ConfigReader,
    status_code: Annotated[
        str | None, Query(alias="status", description="Only transitions from or to it.")
    ] = None,
) -> list[TransitionRead]:
    return await service.list_transitions(session, status_code)


@router.post("/transitions", status_code=status.HTTP_201_CREATED, response_model=TransitionRead)
async def create_transition(
    body: TransitionCreate,
    session: Session,
    request: Request,
    _: ConfigWriter,
    idempotent: Idempotent,
) -> Response:
    created = await service.create_transition(session, body)
    location = str(request.url_for("get_transition", transition_id=created.id))
    return await idempotent.respond(
        session, status.HTTP_201_CREATED, created, headers={"Location": location}
    )


@router.get("/transitions/{transition_id}")
async def get_transition(
    transition_id: uuid.UUID, session: Session, _: ConfigReader
) -> TransitionRead:
    return await service.get_transition(session, transition_id)


@router.patch("/transitions/{transition_id}")
async def update_transition(
    transition_id: uuid.UUID, body: TransitionUpdate, session: Session, _: ConfigWriter
) -> TransitionRead:
    return await service.update_transition(session, transition_id, body)


@router.delete("/transitions/{transition_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_transition(transition_id: uuid.UUID, session: Session, _: ConfigWriter) -> None:
    await service.delete_transition(session, transition_id)
