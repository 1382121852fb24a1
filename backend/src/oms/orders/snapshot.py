"""The order as its events carry it: the outbox's typed snapshot, built from an order row."""

from decimal import Decimal

from oms.orders.models import Order
from oms.orders.schemas import format_number
from oms.outbox import service as outbox


def order_snapshot(order: Order, status: outbox.StatusRef) -> outbox.OrderSnapshot:
    """`status` is the order's current status with its display name."""
    return outbox.OrderSnapshot(
        id=order.id,
        number=format_number(order.number),
        status=status,
        customer=outbox.CustomerRef(
            id=order.customer_id, email=order.customer_email, name=order.customer_name
        ),
        items=[
            outbox.OrderItemSnapshot(
                product_id=item.product_id,
                sku=item.sku,
                name=item.name,
                quantity=item.quantity,
                unit_price=item.unit_price,
                line_total=item.line_total,
            )
            for item in order.items
        ],
        totals=outbox.OrderTotals(
            items=sum((item.line_total for item in order.items), Decimal(0)),
            total=order.total,
        ),
        currency=order.currency,
        shipping_address=outbox.AddressSnapshot.model_validate(order.shipping_address),
        note=order.note,
        version=order.version,
        created_at=order.created_at,
        updated_at=order.updated_at,
    )
