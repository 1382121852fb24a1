"""Demo orders for `oms seed --demo`: a few orders of the demo customer, in several statuses.

Added only when the demo customer and an admin exist and the customer has no orders yet;
an order whose products or statuses an admin has since changed is skipped.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import service as auth
from oms.branding import service as branding
from oms.core.errors import ProblemError
from oms.orders import repository, service
from oms.orders.schemas import OrderCreate, StatusChange

DEMO_CUSTOMER = "customer@example.com"
DEMO_ADDRESS = {
    "name": "Demo Customer",
    "line1": "Musterstraße 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
    "phone": "+49 30 1234567",
}
# Items by SKU (the demo catalogue's), then the statuses staff move the order through.
DEMO_ORDERS: tuple[tuple[list[tuple[str, int]], list[str]], ...] = (
    ([("FUR-CHAIR-OAK", 4), ("FUR-TABLE-WAL", 1)], ["confirmed", "processing", "shipped"]),
    ([("ELE-LAMP-LED", 2), ("ELE-CHARGER-65", 1)], ["confirmed"]),
    ([("FUR-SHELF-PINE", 1)], ["cancelled"]),
    ([("ELE-SPK-BT", 1)], []),
)


async def seed_demo_orders(session: AsyncSession) -> None:
    customer = await auth.find_user(session, DEMO_CUSTOMER)
    admin = await auth.active_admin(session)
    if (
        customer is None
        or auth.Role.CUSTOMER not in customer.roles
        or admin is None
        or await repository.has_orders(session, customer.id)
    ):
        return
    buyer = auth.Principal(customer.id, frozenset({auth.Role.CUSTOMER}), email=customer.email)
    staff = auth.Principal(admin.id, frozenset({auth.Role.ADMIN}), email=admin.email)
    currency = await branding.shop_currency(session)
    for items, path in DEMO_ORDERS:
        body = OrderCreate.model_validate(
            {
                "items": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
                "shipping_address": DEMO_ADDRESS,
            }
        )
        try:
            async with session.begin_nested():
                order = await service.create_order(session, body, buyer, currency=currency)
                for status in path:
                    await service.change_status(
                        session, order.id, StatusChange(status=status), staff
                    )
        except ProblemError:
            continue
