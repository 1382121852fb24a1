"""The integrations module's ids for the no-leak walk: worker configurations belong to nobody;
a delivery is about the other customer's order (customers may not use these routes)."""

import uuid
from datetime import UTC, datetime

from oms.integrations import service as integrations
from oms.integrations.models import Delivery
from oms.integrations.schemas import EmailConfigurationCreate, EmailSettings
from tests.leak_registry import LeakWorld, owned, shared


@shared("configuration_id")
async def any_configuration(world: LeakWorld) -> str:
    async with world.app.state.sessions() as session, session.begin():
        configuration = await integrations.create_configuration(
            session,
            EmailConfigurationCreate(
                worker_type="email",
                name=f"Leak walk {uuid.uuid4().hex[:8]}",
                settings=EmailSettings(send_to_customer=True),
            ),
        )
    return str(configuration.id)


@shared("key", prefix="/api/v1/email-templates")
async def a_template(world: LeakWorld) -> str:
    return "shipped"


@owned("delivery_id")
async def other_customers_delivery(world: LeakWorld) -> str:
    marker = f"mail to {world.victim.user.email} refused"
    now = datetime.now(UTC)
    delivery = Delivery(
        id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        event_type="order.created",
        order_id=uuid.uuid4(),
        configuration_id=None,
        worker="email",
        attempt=1,
        status="dead",
        response="550",
        error=marker,
        duration_ms=1,
        started_at=now,
        finished_at=now,
    )
    async with world.app.state.sessions() as session, session.begin():
        session.add(delivery)
    world.remember(marker)
    return str(delivery.id)
