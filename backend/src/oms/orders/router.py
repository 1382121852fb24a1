"""HTTP endpoints of orders: place, list, read, move through the workflow."""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Query, Request, Response, status
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.convertors import StringConvertor, register_url_convertor

from oms.auth.dependencies import (
    Idempotent,
    OrderCreator,
    OrderReader,
    OrderTransitioner,
    RateLimited,
)
from oms.branding.dependencies import ShopCurrency
from oms.core.conditional import NOT_MODIFIED, IfMatch, IfNoneMatch, not_modified, tagged_json
from oms.core.db import Session
from oms.core.etags import etag, if_none_match_passes
from oms.core.openapi import examples, gives_etag, link, links, merge_responses, problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.core.streaming import until
from oms.core.timestamps import Moment
from oms.orders import service
from oms.orders.schemas import (
    ORDER_PAGE_EXAMPLE,
    OrderCreate,
    OrderEventMessage,
    OrderRead,
    OrderSummary,
    Quote,
    QuoteRequest,
    StatusChange,
    TargetStatus,
)


class _OrderSegment(StringConvertor):
    """A path segment naming an order: anything but the names of the routes beside it, so
    `GET /orders/quote` is a 405 of `/orders/quote`, while `/orders/not-an-id` still
    reaches the order routes and is a 400 naming `order_id`."""

    regex = r"(?!(?:quote|events)(?:/|$))[^/]+"


register_url_convertor("order", _OrderSegment())


class _OrderEventStream(EventSourceResponse):
    # Set on the class, so the OpenAPI document files the messages' schema under it.
    media_type = "text/event-stream"


router = APIRouter(prefix="/orders", tags=["orders"])

_THE_ORDER = {"order_id": "$response.body#/id"}
_READ_ORDER = link("getOrder", "Read the order placed.", parameters=_THE_ORDER)
_LIST_TARGETS = link(
    "listOrderTransitions", "The statuses the order may move to.", parameters=_THE_ORDER
)
_CHANGE_STATUS = link(
    "changeOrderStatus",
    "Move the order on, guarded by the version just answered.",
    parameters={**_THE_ORDER, "header.If-Match": "$response.header.ETag"},
)

OrderCreationLimit = RateLimited(
    "orders",
    per_user=lambda settings: settings.rate_limit_orders_per_user,
    per_address=lambda settings: settings.rate_limit_orders_per_address,
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderRead,
    dependencies=[OrderCreationLimit],
    responses=merge_responses(
        problems(
            {
                403: "Only staff may place an order for another customer (`customer_id`).",
                409: "Not enough stock (`lines` names each short product with `requested` and"
                " `available`), or no initial order status is configured.",
                422: "An item names an unknown or archived product, or `customer_id` no active"
                " user.",
                429: "Too many requests from this user or client address; see `Retry-After`.",
            }
        ),
        gives_etag(201),
        links(201, getOrder=_READ_ORDER, listTargets=_LIST_TARGETS, changeStatus=_CHANGE_STATUS),
    ),
)
async def create_order(
    body: OrderCreate,
    session: Session,
    user: OrderCreator,
    idempotent: Idempotent,
    currency: ShopCurrency,
    request: Request,
) -> Response:
    order = await service.create_order(session, body, user, currency=currency)
    location = str(request.url_for("get_order", order_id=order.id))
    return await idempotent.respond(
        session,
        status.HTTP_201_CREATED,
        OrderRead.model_validate(order),
        headers={"Location": location, "ETag": etag(order.version)},
    )


@router.post(
    "/quote",
    responses=problems(
        {
            403: "Only staff may quote an order for another customer (`customer_id`).",
            422: "An item names an unknown or archived product, or `customer_id` no active user.",
        }
    ),
)
async def quote_order(
    body: QuoteRequest, session: Session, user: OrderCreator, currency: ShopCurrency
) -> Quote:
    """Prices the items as placing the order would, against the stock as it is now, and
    reserves nothing. Short stock is no error here: the line says `in_stock: false` and
    `problems` says why placing it now would fail."""
    return await service.quote_order(session, body, user, currency=currency)


@router.get("", responses=examples(200, page=ORDER_PAGE_EXAMPLE))
async def list_orders(
    session: Session,
    user: OrderReader,
    status_codes: Annotated[
        list[str] | None, Query(alias="status", description="Any of these statuses.")
    ] = None,
    customer_id: Annotated[uuid.UUID | None, Query(description="Staff: one customer's.")] = None,
    created_from: Annotated[Moment | None, Query(description="Created at or after.")] = None,
    created_to: Annotated[Moment | None, Query(description="Created before.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Order number, or part of an email.")
    ] = None,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> Page[OrderSummary]:
    """Newest first. Customers see their own orders only."""
    return await service.list_orders(
        session,
        user,
        service.OrderFilter(
            statuses=tuple(status_codes or ()),
            customer_id=customer_id,
            created_from=created_from,
            created_to=created_to,
            text=q,
        ),
        cursor=cursor,
        limit=limit,
    )


KEEP_ALIVE_SECONDS = 15
SHUTDOWN_GRACE_SECONDS = 2


def _keep_alive() -> ServerSentEvent:
    return ServerSentEvent(comment="keep-alive")


@router.get(
    "/events",
    response_class=_OrderEventStream,
    responses={
        200: {
            "description": "A stream of server-sent events, one per order event: `id` the"
            " outbox event id, `event` `order.created` or `order.status_changed`, `data` JSON"
            " `{order_id, number, status, previous_status (status changes), version,"
            " occurred_at}` (the schema below); a `: keep-alive` comment every 15 seconds.",
            "model": OrderEventMessage,
        },
    },
)
async def follow_order_events(
    request: Request,
    user: OrderReader,
    order_id: Annotated[uuid.UUID | None, Query(description="Follow this order only.")] = None,
    last_event_id: Annotated[
        uuid.UUID | None,
        Header(
            alias="Last-Event-ID",
            description="The `id` of the last event received: the events of the last hour"
            " recorded after it are sent first.",
        ),
    ] = None,
) -> EventSourceResponse:
    """Live order events: customers get their own orders' only, staff everyone's. The stream
    ends when the server shuts down; reconnect with `Last-Event-ID` to miss nothing."""
    notices = service.follow_order_events(
        request.app.state.order_events, user, order_id=order_id, last_event_id=last_event_id
    )
    # Set when the server begins to shut down: the stream then ends with its last chunk.
    shutting_down = anyio.Event()

    async def messages() -> AsyncIterator[ServerSentEvent]:
        async for notice in until(shutting_down, notices):
            yield ServerSentEvent(
                id=str(notice.id), event=notice.type, data=json.dumps(notice.data())
            )

    return EventSourceResponse(
        messages(),
        ping=KEEP_ALIVE_SECONDS,
        ping_message_factory=_keep_alive,
        sep="\n",
        shutdown_event=shutting_down,
        shutdown_grace_period=SHUTDOWN_GRACE_SECONDS,
    )


@router.get(
    "/{order_id:order}",
    response_model=OrderRead,
    responses={
        **NOT_MODIFIED,
        **links(200, listTargets=_LIST_TARGETS, changeStatus=_CHANGE_STATUS),
    },
)
async def get_order(
    order_id: uuid.UUID,
    session: Session,
    user: OrderReader,
    if_none_match: IfNoneMatch = None,
) -> Response:
    order = await service.get_order(session, order_id, user)
    if not if_none_match_passes(if_none_match, order.version):
        return not_modified(order.version)
    return tagged_json(OrderRead.model_validate(order), order.version)


@router.patch(
    "/{order_id:order}/status",
    response_model=OrderRead,
    responses=problems(
        {
            409: "The transition is not allowed (`allowed_targets` lists the options), or the"
            " stock it takes back is gone.",
            422: "The stock it takes back is of a product no longer sold.",
        }
    ),
)
async def change_order_status(
    order_id: uuid.UUID,
    body: StatusChange,
    session: Session,
    user: OrderTransitioner,
    if_match: IfMatch = None,
) -> Response:
    order = await service.change_status(session, order_id, body, user, if_match=if_match)
    return tagged_json(OrderRead.model_validate(order), order.version)


@router.get(
    "/{order_id:order}/transitions",
    responses=links(
        200,
        changeStatus=link(
            "changeOrderStatus",
            "Move the order to the first status offered.",
            parameters={"order_id": "$request.path.order_id"},
            request_body={"status": "$response.body#/0/code"},
        ),
    ),
)
async def list_order_transitions(
    order_id: uuid.UUID, session: Session, user: OrderReader
) -> list[TargetStatus]:
    targets = await service.allowed_targets(session, order_id, user)
    return [
        TargetStatus(code=t.code, name=t.name, colour=t.colour, is_terminal=t.is_terminal)
        for t in targets
    ]
