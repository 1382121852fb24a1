"""Demo data for `oms seed --demo` and the first `make run`: each module's `demo` adds what is
missing."""

from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import demo as auth_demo
from oms.branding import demo as branding_demo
from oms.integrations import demo as integrations_demo
from oms.orders import demo as orders_demo
from oms.products import demo as products_demo
from oms.workflow import demo as workflow_demo

log = structlog.get_logger("oms.seed")

DemoSeeder = Callable[[AsyncSession], Awaitable[None]]

# Filled in module order (users before orders); each seeder only adds rows that are missing.
DEMO_SEEDERS: tuple[DemoSeeder, ...] = (
    auth_demo.seed_demo_users,  # first: the other modules' demo data refers to these users
    branding_demo.seed_demo_branding,
    products_demo.seed_demo_catalogue,
    workflow_demo.seed_demo_workflow,
    orders_demo.seed_demo_orders,  # after users, catalogue and workflow
    integrations_demo.seed_demo_worker_configurations,  # after workflow: triggers name statuses
)


async def seed_demo(session: AsyncSession) -> None:
    for seeder in DEMO_SEEDERS:
        await seeder(session)
    log.info("demo data ready", seeders=len(DEMO_SEEDERS))
