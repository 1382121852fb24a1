"""HTTP endpoints of staff's internal notes on an order (`/orders/{order_id}/notes`)."""

import uuid

from fastapi import APIRouter, Request, Response, status

from oms.auth.dependencies import Idempotent, NoteKeeper
from oms.core.db import Session
from oms.core.openapi import link, links, problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.orders import notes_service
from oms.orders.schemas import OrderNoteCreate, OrderNoteRead

router = APIRouter(prefix="/orders", tags=["orders"])

_THE_NOTE = {"order_id": "$response.body#/order_id", "note_id": "$response.body#/id"}


@router.get("/{order_id}/notes")
async def list_order_notes(
    order_id: uuid.UUID,
    session: Session,
    user: NoteKeeper,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> Page[OrderNoteRead]:
    """Staff's internal notes on the order, newest first. Customers never see them."""
    return await notes_service.list_notes(session, order_id, user, cursor=cursor, limit=limit)


@router.post(
    "/{order_id}/notes",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderNoteRead,
    responses=links(
        201,
        getNote=link("getOrderNote", "Read the note written.", parameters=_THE_NOTE),
        deleteNote=link("deleteOrderNote", "Delete the note written.", parameters=_THE_NOTE),
    ),
)
async def add_order_note(
    order_id: uuid.UUID,
    body: OrderNoteCreate,
    session: Session,
    user: NoteKeeper,
    idempotent: Idempotent,
    request: Request,
) -> Response:
    """Adds an internal note to the order, by the caller; the text is audited."""
    note = await notes_service.add_note(session, order_id, body, user)
    location = str(request.url_for("get_order_note", order_id=order_id, note_id=note.id))
    return await idempotent.respond(
        session,
        status.HTTP_201_CREATED,
        OrderNoteRead.model_validate(note),
        headers={"Location": location},
    )


@router.get("/{order_id}/notes/{note_id}")
async def get_order_note(
    order_id: uuid.UUID, note_id: uuid.UUID, session: Session, user: NoteKeeper
) -> OrderNoteRead:
    note = await notes_service.get_note(session, order_id, note_id, user)
    return OrderNoteRead.model_validate(note)


@router.delete(
    "/{order_id}/notes/{note_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems({403: "Only the note's author, or an admin, may delete it."}),
)
async def delete_order_note(
    order_id: uuid.UUID, note_id: uuid.UUID, session: Session, user: NoteKeeper
) -> Response:
    """Deletes the note: its author may, and admins (`orders:notes-delete-any`)."""
    await notes_service.delete_note(session, order_id, note_id, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
