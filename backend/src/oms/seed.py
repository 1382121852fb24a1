"""Demo data for `oms seed --demo` and the first `make run`: each module adds what is missing."""

from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import service as auth
from oms.events import service as events
from oms.orders import service as orders
from oms.products import service as products
from oms.workflow import service as workflow

log = structlog.get_logger("oms.seed")

DemoSeeder = Callable[[AsyncSession], Awaitable[None]]

# Filled in module order (users before orders); each seeder only adds rows that are missing.
DEMO_SEEDERS: tuple[DemoSeeder, ...] = (
    auth.seed_demo_users,  # first: the other modules' demo data refers to these users
    products.seed_demo_catalogue,
    workflow.seed_demo_workflow,
    orders.seed_demo_orders,  # after users, catalogue and workflow
    events.seed_demo_worker_configurations,
)


async def seed_demo(session: AsyncSession) -> None:
    for seeder in DEMO_SEEDERS:
        await seeder(session)
    log.info("demo data ready", seeders=len(DEMO_SEEDERS))
