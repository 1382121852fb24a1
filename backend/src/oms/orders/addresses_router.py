"""HTTP endpoints of saved shipping addresses: `/me/addresses`, the caller's own."""

import uuid

from fastapi import APIRouter, Request, Response, status

from oms.auth.dependencies import Idempotent, ProfileOwner
from oms.core.conditional import NOT_MODIFIED, IfMatch, IfNoneMatch, not_modified, tagged_json
from oms.core.db import Session
from oms.core.etags import etag, if_none_match_passes
from oms.core.openapi import gives_etag, merge_responses, problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.orders import addresses_service as service
from oms.orders.schemas import SavedAddressCreate, SavedAddressRead, SavedAddressUpdate

router = APIRouter(prefix="/me/addresses", tags=["addresses"])


@router.get("")
async def list_saved_addresses(
    session: Session,
    user: ProfileOwner,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> Page[SavedAddressRead]:
    """The caller's saved shipping addresses, oldest first."""
    return await service.list_addresses(session, user.user_id, cursor=cursor, limit=limit)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SavedAddressRead,
    responses=merge_responses(
        problems({409: f"You keep {service.MAX_SAVED_ADDRESSES} addresses already (`limit`)."}),
        gives_etag(201),
    ),
)
async def create_saved_address(
    body: SavedAddressCreate,
    session: Session,
    user: ProfileOwner,
    idempotent: Idempotent,
    request: Request,
) -> Response:
    """Checked like an order's shipping address. `is_default: true` makes it the default."""
    created = await service.create_address(session, user.user_id, body)
    location = str(request.url_for("get_saved_address", address_id=created.id))
    return await idempotent.respond(
        session,
        status.HTTP_201_CREATED,
        created,
        headers={"Location": location, "ETag": etag(created.version)},
    )


@router.get("/{address_id}", response_model=SavedAddressRead, responses=NOT_MODIFIED)
async def get_saved_address(
    address_id: uuid.UUID, session: Session, user: ProfileOwner, if_none_match: IfNoneMatch = None
) -> Response:
    found = await service.get_address(session, user.user_id, address_id)
    if not if_none_match_passes(if_none_match, found.version):
        return not_modified(found.version)
    return tagged_json(found, found.version)


@router.patch("/{address_id}", response_model=SavedAddressRead)
async def update_saved_address(
    address_id: uuid.UUID,
    body: SavedAddressUpdate,
    session: Session,
    user: ProfileOwner,
    if_match: IfMatch = None,
) -> Response:
    updated = await service.update_address(
        session, user.user_id, address_id, body, if_match=if_match
    )
    return tagged_json(updated, updated.version)


@router.delete("/{address_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_saved_address(address_id: uuid.UUID, session: Session, user: ProfileOwner) -> None:
    await service.delete_address(session, user.user_id, address_id)
