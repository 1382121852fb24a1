"""A sample order event, built from the event contract: what "send test" sends and what a
template preview renders."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from oms.outbox import service as outbox

SAMPLE_ACTOR = outbox.Actor(id=uuid.UUID(int=0), email="staff@example.com")


def sample_order(status: outbox.StatusRef, *, currency: str, at: datetime) -> outbox.OrderSnapshot:
    price = Decimal("10.00")
    return outbox.OrderSnapshot(
        id=uuid.UUID(int=0),
        number="TEST-000001",
        status=status,
        customer=outbox.CustomerRef(
            id=uuid.UUID(int=1), email="customer@example.com", name="Sample Customer"
        ),
        items=[
            outbox.OrderItemSnapshot(
                product_id=uuid.UUID(int=2),
                sku="SAMPLE-1",
                name="Sample product",
                quantity=2,
                unit_price=price,
                line_total=price * 2,
            )
        ],
        totals=outbox.OrderTotals(items=price * 2, total=price * 2),
        currency=currency,
        shipping_address=outbox.AddressSnapshot(
            name="Sample Customer",
            line1="1 Sample Street",
            city="Sampletown",
            postal_code="12345",
            country="DE",
        ),
        note=None,
        version=1,
        created_at=at,
        updated_at=at,
    )


def sample_event_data(
    event_type: outbox.EventType, status: outbox.StatusRef, *, currency: str
) -> outbox.OrderEventData:
    at = datetime.now(UTC)
    order = sample_order(status, currency=currency, at=at)
    if event_type == outbox.EventType.ORDER_CREATED:
        return outbox.OrderCreatedData(order=order, actor=SAMPLE_ACTOR)
    return outbox.OrderStatusChangedData(
        order=order,
        previous_status=outbox.StatusRef(code="pending", name="Pending"),
        actor=SAMPLE_ACTOR,
        note="Sample event",
    )


def sample_password_reset(*, public_url: str) -> outbox.PasswordResetRequestedData:
    return outbox.PasswordResetRequestedData(
        user_id=uuid.UUID(int=1),
        email="customer@example.com",
        full_name="Sample Customer",
        reset_url=f"{public_url.rstrip('/')}/reset-password?token=sample-token",
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    )
