"""Demo workflow: new → confirmed → processing → shipped → delivered → returned, with
cancellation from new (customers too) and confirmed (staff)."""

from sqlalchemy.ext.asyncio import AsyncSession

from oms.workflow import repository
from oms.workflow.models import OrderStatus, OrderStatusTransition

STAFF = ["admin", "manager"]
EVERYONE = ["admin", "customer", "manager"]

DEMO_STATUSES = (
    # code, name, colour, initial, terminal, releases stock
    ("new", "New", "#2563eb", True, False, False),
    ("confirmed", "Confirmed", "#7c3aed", False, False, False),
    ("processing", "Processing", "#d97706", False, False, False),
    ("shipped", "Shipped", "#0891b2", False, False, False),
    ("delivered", "Delivered", "#16a34a", False, False, False),
    ("cancelled", "Cancelled", "#dc2626", False, True, True),
    ("returned", "Returned", "#64748b", False, True, True),
)

# What customers see instead of the staff names: (customer name, description).
DEMO_CUSTOMER_VIEW = {
    "new": ("Received", "We have your order and will confirm it shortly."),
    "confirmed": ("Confirmed", "Your order is confirmed and waits to be packed."),
    "processing": ("Being packed", "We are packing your order."),
    "shipped": ("On its way", "Your parcel has left our warehouse."),
    "delivered": ("Delivered", "Your parcel has arrived. Enjoy!"),
    "cancelled": ("Cancelled", "This order was cancelled; nothing will be charged."),
    "returned": ("Returned", "We have your return and will refund you."),
}

DEMO_TRANSITIONS = (
    ("new", "confirmed", STAFF),
    ("confirmed", "processing", STAFF),
    ("processing", "shipped", STAFF),
    ("shipped", "delivered", STAFF),
    ("new", "cancelled", EVERYONE),
    ("confirmed", "cancelled", STAFF),
    ("delivered", "returned", STAFF),
)


async def seed_demo_workflow(session: AsyncSession) -> None:
    """Add the demo statuses and transitions that are missing; never change existing ones."""
    existing = await repository.statuses_by_code(session, [s[0] for s in DEMO_STATUSES])
    has_initial = await repository.initial_status(session) is not None
    for position, (code, name, colour, initial, terminal, releases) in enumerate(DEMO_STATUSES):
        if code in existing:
            continue
        customer_name, customer_description = DEMO_CUSTOMER_VIEW[code]
        session.add(
            OrderStatus(
                code=code,
                name=name,
                customer_name=customer_name,
                customer_description=customer_description,
                colour=colour,
                is_initial=initial and not has_initial,
                is_terminal=terminal,
                releases_stock=releases,
                position=position * 10,
            )
        )
    await session.flush()
    statuses = await repository.statuses_by_code(session, [s[0] for s in DEMO_STATUSES])
    for source, target, roles in DEMO_TRANSITIONS:
        if statuses[source].is_terminal:
            continue  # an admin made it terminal: nothing may leave it
        if await repository.transition_between(session, source, target) is None:
            session.add(OrderStatusTransition(from_status=source, to_status=target, roles=roles))
    await session.flush()
