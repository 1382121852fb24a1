"""HTTP endpoints of the workflow configuration: statuses and transitions (admins write)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from oms.auth.dependencies import ConfigReader, ConfigWriter, Idempotent
from oms.core.db import Session
from oms.core.openapi import problems
from oms.workflow import service
from oms.workflow.schemas import (
    CustomerStatusRead,
    StatusCreate,
    StatusRead,
    StatusUpdate,
    TransitionCreate,
    TransitionRead,
    TransitionUpdate,
    WorkflowGraph,
)

router = APIRouter(prefix="/workflow", tags=["workflow"])


@router.get("/customer-statuses")
async def list_customer_statuses(session: Session, response: Response) -> list[CustomerStatusRead]:
    """Every status as customers see it (public: the shop's apps show it to anyone)."""
    response.headers["Cache-Control"] = "public, max-age=60"
    return await service.list_customer_statuses(session)


@router.get("/graph")
async def get_workflow_graph(session: Session, _: ConfigReader) -> WorkflowGraph:
    """Statuses and transitions as one graph, with what is wrong with it flagged."""
    return await service.workflow_graph(session)


@router.get("/statuses")
async def list_workflow_statuses(session: Session, _: ConfigReader) -> list[StatusRead]:
    return await service.list_statuses(session)


@router.post(
    "/statuses",
    status_code=status.HTTP_201_CREATED,
    response_model=StatusRead,
    responses=problems(
        {
            409: "A status with this code exists, it would be both initial and terminal,"
            " another initial status was set at the same time, or the workflow has its"
            " maximum of statuses (`limit`)."
        }
    ),
)
async def create_workflow_status(
    body: StatusCreate, session: Session, request: Request, _: ConfigWriter, idempotent: Idempotent
) -> Response:
    created = await service.create_status(session, body)
    location = str(request.url_for("get_workflow_status", code=created.code))
    return await idempotent.respond(
        session, status.HTTP_201_CREATED, created, headers={"Location": location}
    )


@router.get("/statuses/{code}")
async def get_workflow_status(code: str, session: Session, _: ConfigReader) -> StatusRead:
    return await service.get_status(session, code)


@router.patch(
    "/statuses/{code}",
    responses=problems(
        {
            409: "The change would leave no initial status, make it initial and terminal or"
            " terminal with exits, or re-code a status in use or to a code taken."
        }
    ),
)
async def update_workflow_status(
    code: str, body: StatusUpdate, session: Session, _: ConfigWriter
) -> StatusRead:
    return await service.update_status(session, code, body)


@router.delete(
    "/statuses/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(
        {409: "Orders or transitions use the status, or it is the initial one of several."}
    ),
)
async def delete_workflow_status(code: str, session: Session, _: ConfigWriter) -> None:
    await service.delete_status(session, code)


@router.get("/transitions")
async def list_workflow_transitions(
    session: Session,
    _: ConfigReader,
    status_code: Annotated[
        str | None, Query(alias="status", description="Only transitions from or to it.")
    ] = None,
) -> list[TransitionRead]:
    return await service.list_transitions(session, status_code)


@router.post(
    "/transitions",
    status_code=status.HTTP_201_CREATED,
    response_model=TransitionRead,
    responses=problems(
        {
            409: "The transition exists, it would leave a terminal status, or the workflow"
            " has its maximum of transitions (`limit`).",
            422: "`from_status` or `to_status` names no status.",
        }
    ),
)
async def create_workflow_transition(
    body: TransitionCreate,
    session: Session,
    request: Request,
    _: ConfigWriter,
    idempotent: Idempotent,
) -> Response:
    created = await service.create_transition(session, body)
    location = str(request.url_for("get_workflow_transition", transition_id=created.id))
    return await idempotent.respond(
        session, status.HTTP_201_CREATED, created, headers={"Location": location}
    )


@router.get("/transitions/{transition_id}")
async def get_workflow_transition(
    transition_id: uuid.UUID, session: Session, _: ConfigReader
) -> TransitionRead:
    return await service.get_transition(session, transition_id)


@router.patch("/transitions/{transition_id}")
async def update_workflow_transition(
    transition_id: uuid.UUID, body: TransitionUpdate, session: Session, _: ConfigWriter
) -> TransitionRead:
    return await service.update_transition(session, transition_id, body)


@router.delete("/transitions/{transition_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_workflow_transition(
    transition_id: uuid.UUID, session: Session, _: ConfigWriter
) -> None:
    await service.delete_transition(session, transition_id)
