"""HTTP endpoints of orders: place, list, export, read, move through the workflow (one order
or many)."""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.convertors import StringConvertor, register_url_convertor

from oms.auth.dependencies import (
    AllOrdersReader,
    BulkTransitioner,
    Idempotent,
    OrderCreator,
    OrderReader,
    OrderTransitioner,
    RateLimited,
)
from oms.branding.dependencies import ShopCurrency
from oms.core.conditional import NOT_MODIFIED, IfMatch, IfNoneMatch, not_modified, tagged_json
from oms.core.db import Session
from oms.core.errors import as_problem
from oms.core.etags import etag, if_none_match_passes
from oms.core.openapi import examples, gives_etag, link, links, merge_responses, problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.core.streaming import until
from oms.core.timestamps import Moment
from oms.orders import service
from oms.orders.schemas import (
    MAX_BULK_ORDERS,
    MIN_SEARCH_RUN,
    ORDER_PAGE_EXAMPLE,
    BulkStatusChange,
    BulkStatusResult,
    BulkStatusResults,
    OrderCreate,
    OrderEventMessage,
    OrderRead,
    OrderSort,
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

    regex = r"(?!(?:quote|events|export\.csv|bulk-status)(?:/|$))[^/]+"


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
_ADD_NOTE = link("addOrderNote", "Staff: add an internal note to the order.", parameters=_THE_ORDER)

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
        links(
            201,
            getOrder=_READ_ORDER,
            listTargets=_LIST_TARGETS,
            changeStatus=_CHANGE_STATUS,
            addNote=_ADD_NOTE,
        ),
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


_SEARCH_TOO_SHORT = (
    f"`q` is neither an order number nor {MIN_SEARCH_RUN} letters or digits in a row"
    " (`search-too-short`)."
)


def order_filter(
    status_codes: Annotated[
        list[str] | None, Query(alias="status", description="Any of these statuses.")
    ] = None,
    customer_id: Annotated[uuid.UUID | None, Query(description="Staff: one customer's.")] = None,
    created_from: Annotated[Moment | None, Query(description="Created at or after.")] = None,
    created_to: Annotated[Moment | None, Query(description="Created before.")] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="An order number (`OMS-000123` or `123`), or part of the customer's"
            f" email or name: at least {MIN_SEARCH_RUN} letters or digits in a row.",
        ),
    ] = None,
) -> service.OrderFilter:
    return service.OrderFilter(
        statuses=tuple(status_codes or ()),
        customer_id=customer_id,
        created_from=created_from,
        created_to=created_to,
        text=q,
    )


Filter = Annotated[service.OrderFilter, Depends(order_filter)]
Sort = Annotated[
    OrderSort,
    Query(
        description="The order of the list: by `created_at`, `total` or `number`, descending"
        " with a leading `-`. A cursor belongs to the sort it was issued for."
    ),
]


@router.get(
    "",
    responses=merge_responses(
        examples(200, page=ORDER_PAGE_EXAMPLE),
        problems({400: _SEARCH_TOO_SHORT}),
    ),
)
async def list_orders(
    session: Session,
    user: OrderReader,
    where: Filter,
    sort: Sort = OrderSort.NEWEST,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> Page[OrderSummary]:
    """Newest first unless `sort` says otherwise. Customers see their own orders only."""
    return await service.list_orders(session, user, where, sort=sort, cursor=cursor, limit=limit)


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses=merge_responses(
        {
            200: {
                "description": "A header line, then one line per order: `number, created_at,"
                " status, status_name, customer_email, customer_name, item_count, total,"
                " currency` (`item_count`: the units ordered). A cell that a spreadsheet would"
                " run as a formula starts with `'`.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        },
        problems({400: _SEARCH_TOO_SHORT}),
    ),
)
async def export_orders(
    user: AllOrdersReader, where: Filter, request: Request, sort: Sort = OrderSort.NEWEST
) -> StreamingResponse:
    """Every order the same filters select, in the same order as the listing, as CSV,
    streamed in batches."""
    lines = service.export_orders(request.app.state.sessions, user, where, sort=sort)
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="orders.csv"'},
    )


@router.post(
    "/bulk-status",
    response_model=BulkStatusResults,
    # Each problem is shown as it would be answered: without the members it does not have.
    response_model_exclude_unset=True,
    responses=problems(
        {400: f"`order_ids` is empty, longer than {MAX_BULK_ORDERS} or names an order twice."}
    ),
)
async def bulk_change_order_status(
    body: BulkStatusChange, session: Session, user: BulkTransitioner, request: Request
) -> BulkStatusResults:
    """Moves each order to `to_status` as `PATCH /orders/{id}/status` would (the workflow's
    rules for the caller's roles, stock, history, audit, one event each), each on its own: a
    refused or unknown order is reported in its result with the problem the single change
    would answer, and the others are moved all the same."""
    outcomes = await service.change_status_of_many(session, body, user)
    return BulkStatusResults(
        results=[
            BulkStatusResult(
                order_id=outcome.order_id,
                number=outcome.number,
                ok=outcome.refusal is None,
                status=outcome.status,
                problem=None
                if outcome.refusal is None
                else as_problem(outcome.refusal, request.url.path),
            )
            for outcome in outcomes
        ]
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
