"""The demo's worker configurations: customer mail on, example integrations off."""

from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from oms.integrations import repository, service
from oms.integrations.schemas import WorkerConfigurationCreate

DEMO_CONFIGURATIONS: tuple[dict[str, Any], ...] = (
    {
        "worker_type": "email",
        "name": "Customer notifications",
        "enabled": True,
        "trigger_statuses": [],
        "settings": {"send_to_customer": True},
    },
    {
        # Disabled until pointed at a real shipping system.
        "worker_type": "webhook",
        "name": "Shipping system (example)",
        "enabled": False,
        "trigger_events": ["order.status_changed"],
        "trigger_statuses": ["confirmed", "shipped"],
        "settings": {"url": "https://shipping.example.com/oms/events"},
    },
    {
        # The warehouse is told about cancellations and returns; OMS's own stock is already
        # given back by the orders module, so this configuration does not move it again.
        "worker_type": "inventory",
        "name": "Warehouse sync (example)",
        "enabled": False,
        "trigger_events": ["order.status_changed"],
        "trigger_statuses": ["cancelled", "returned"],
        "settings": {"warehouse_url": "https://warehouse.example.com/api/movements"},
    },
)


async def seed_demo_worker_configurations(session: AsyncSession) -> None:
    """The demo's worker configurations, each created only if its name is not taken."""
    adapter: TypeAdapter[WorkerConfigurationCreate] = TypeAdapter(WorkerConfigurationCreate)
    for raw in DEMO_CONFIGURATIONS:
        body = adapter.validate_python(raw)
        if await repository.find_configuration_by_name(session, body.worker_type, body.name):
            continue
        await service.create_configuration(session, body)
