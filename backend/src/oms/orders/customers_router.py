"""HTTP endpoints of customers for staff: `/customers`. Their orders are
`GET /orders?customer_id=`."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from oms.auth.dependencies import CustomerReader
from oms.core.db import Session
from oms.core.openapi import link, links, merge_responses, problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.orders import customers_service as service
from oms.orders.schemas import CustomerRead, CustomerSummary

router = APIRouter(prefix="/customers", tags=["customers"])


@router.get(
    "",
    responses=links(
        200,
        getCustomer=link(
            "getCustomer",
            "Read the customer with their saved addresses.",
            parameters={"customer_id": "$response.body#/items/0/id"},
        ),
    ),
)
async def list_customers(
    session: Session,
    _: CustomerReader,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=320, description="Part of the email or name, any case."),
    ] = None,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> Page[CustomerSummary]:
    """The users with the customer role, oldest first (by creation time, then id), each with
    how many orders they have and when they placed the latest."""
    return await service.list_customers(session, search=q, cursor=cursor, limit=limit)


@router.get(
    "/{customer_id}",
    responses=merge_responses(
        problems({404: "No user with the customer role has this id."}),
        links(
            200,
            listOrders=link(
                "listOrders",
                "The customer's orders.",
                parameters={"customer_id": "$response.body#/id"},
            ),
        ),
    ),
)
async def get_customer(session: Session, _: CustomerReader, customer_id: uuid.UUID) -> CustomerRead:
    """The customer, their order figures and their saved shipping addresses."""
    return await service.get_customer(session, customer_id)
