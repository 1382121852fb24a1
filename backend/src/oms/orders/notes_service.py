"""Staff's internal notes on an order: list, add, read, delete.

Notes are for staff only (the routes need `orders:notes`): they are no part of the order as
the API shows it nor of any event, so customers and other systems never see them. Adding
and deleting are audited, with the text, so a deleted note can still be accounted for.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import service as auth
from oms.core import audit
from oms.core.pagination import Page, decode_cursor, page_of
from oms.orders import repository
from oms.orders.errors import OrderNoteNotFound, OrderNoteNotYours, OrderNotFound
from oms.orders.models import OrderNote
from oms.orders.schemas import OrderNoteCreate, OrderNoteRead
from oms.orders.visibility import visibility_of


async def _ensure_order(
    session: AsyncSession, order_id: uuid.UUID, principal: auth.Principal
) -> None:
    if not await repository.order_is_visible(session, order_id, visibility_of(principal)):
        raise OrderNotFound(order_id)


async def list_notes(
    session: AsyncSession,
    order_id: uuid.UUID,
    principal: auth.Principal,
    *,
    cursor: str | None,
    limit: int,
) -> Page[OrderNoteRead]:
    """Newest first, keyset-paged on (created_at, id). The cursor is checked before the
    order is looked up, so a bad one is a 400 whether or not the order exists."""
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    await _ensure_order(session, order_id, principal)
    rows = await repository.notes_of(session, order_id, before=before, limit=limit + 1)
    return page_of(rows, limit, lambda row: [row.created_at, row.id], OrderNoteRead.model_validate)


async def add_note(
    session: AsyncSession, order_id: uuid.UUID, data: OrderNoteCreate, principal: auth.Principal
) -> OrderNote:
    await _ensure_order(session, order_id, principal)
    email = principal.email
    if not email:  # a token without the claim: the user's own record has it
        user = await auth.get_user(session, principal.user_id)
        email = user.email if user is not None else ""
    note = OrderNote(
        id=uuid.uuid4(),
        order_id=order_id,
        author_id=principal.user_id,
        author_email=email,
        text=data.text,
        created_at=datetime.now(UTC),
    )
    await repository.add_note(session, note)
    audit.record(
        session,
        action="order.note_added",
        entity="order",
        entity_id=order_id,
        after={"note_id": str(note.id), "text": note.text},
    )
    return note


async def get_note(
    session: AsyncSession, order_id: uuid.UUID, note_id: uuid.UUID, principal: auth.Principal
) -> OrderNote:
    await _ensure_order(session, order_id, principal)
    note = await repository.note(session, order_id, note_id)
    if note is None:
        raise OrderNoteNotFound(note_id)
    return note


async def delete_note(
    session: AsyncSession, order_id: uuid.UUID, note_id: uuid.UUID, principal: auth.Principal
) -> None:
    """Its author may delete a note, and whoever may delete any note (admins)."""
    await _ensure_order(session, order_id, principal)
    note = await repository.note(session, order_id, note_id, lock=True)
    if note is None:
        raise OrderNoteNotFound(note_id)
    if note.author_id != principal.user_id and not principal.can(
        auth.Permission.ORDER_NOTES_DELETE_ANY
    ):
        raise OrderNoteNotYours()
    await repository.delete_note(session, note)
    audit.record(
        session,
        action="order.note_deleted",
        entity="order",
        entity_id=order_id,
        before={
            "note_id": str(note.id),
            "text": note.text,
            "author_id": str(note.author_id),
            "author_email": note.author_email,
        },
    )
