"""Customers as staff see them: the users with the customer role (the auth module's), with
what the orders module knows of each (how many orders, the latest, the saved addresses).

Here rather than in auth because the orders and addresses are this module's; auth is reached
through its service, as every module reaches another.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import service as auth
from oms.core.pagination import Page
from oms.orders import addresses_service, repository
from oms.orders.errors import CustomerNotFound
from oms.orders.schemas import CustomerRead, CustomerSummary


def _summary(user: auth.UserRead, figures: repository.CustomerFigures | None) -> CustomerSummary:
    return CustomerSummary(
        id=user.id,
        email=user.email,
        name=user.full_name,
        active=user.is_active,
        created_at=user.created_at,
        order_count=figures.orders if figures is not None else 0,
        last_order_at=figures.last_order_at if figures is not None else None,
    )


async def list_customers(
    session: AsyncSession, *, search: str | None, cursor: str | None, limit: int
) -> Page[CustomerSummary]:
    """Oldest first, paged as `GET /users` is (its cursor); `search` is part of the email or
    name. The order figures of a page come from one query."""
    users = await auth.list_users(
        session, role=auth.Role.CUSTOMER, search=search, cursor=cursor, limit=limit
    )
    figures = await repository.figures_of_customers(session, [user.id for user in users.items])
    return Page(
        items=[_summary(user, figures.get(user.id)) for user in users.items],
        next_cursor=users.next_cursor,
    )


async def get_customer(session: AsyncSession, customer_id: uuid.UUID) -> CustomerRead:
    """The customer with their order figures and saved addresses; 404 for a user without
    the customer role."""
    user = await auth.get_user(session, customer_id)
    if user is None or auth.Role.CUSTOMER not in user.roles:
        raise CustomerNotFound(customer_id)
    figures = await repository.figures_of_customers(session, [user.id])
    summary = _summary(user, figures.get(user.id))
    addresses = await addresses_service.all_addresses(session, user.id)
    return CustomerRead(**summary.model_dump(), addresses=addresses)
