"""The events module's public interface: record an event in the caller's transaction, and
the use cases behind the admin API (worker configurations, deliveries, replay)."""

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.health import HealthCheck
from oms.core.pagination import Page, decode_cursor, page_of
from oms.core.settings import Settings
from oms.events import repository
from oms.events.envelope import ENVELOPE_VERSION, EventType
from oms.events.errors import (
    ConfigurationNotFound,
    DeliveryNotFound,
    DuplicateConfigurationName,
    InvalidSettings,
    NotReplayable,
)
from oms.events.models import Delivery, OutboxEvent, SentEmail, WorkerConfiguration
from oms.events.schemas import (
    DeliveryRead,
    EventCounters,
    TestFireRead,
    TestFireRequest,
    WorkerConfigurationCreate,
    WorkerConfigurationRead,
    WorkerConfigurationUpdate,
    mask_secret,
    new_webhook_secret,
    validate_settings,
)
from oms.events.transport.amqp import check_broker

__all__ = ["ENVELOPE_VERSION", "record_event"]

SECRET_FIELDS = ("secret",)


async def record_event(
    session: AsyncSession, *, type: str, order_id: uuid.UUID | None, data: dict[str, Any]
) -> uuid.UUID:
    """Write an outbox row; it is published only if the caller's transaction commits.

    `data` must be JSON-ready (strings for decimals and timestamps).
    """
    event_id = uuid.uuid4()
    session.add(OutboxEvent(id=event_id, type=type, order_id=order_id, data=data))
    await session.flush()
    return event_id


# --- worker configurations ---


def _with_secret(worker_type: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Webhooks always sign; warehouse calls sign too once a URL is set."""
    signs = worker_type == "webhook" or (
        worker_type == "inventory" and bool(settings.get("warehouse_url"))
    )
    if signs and not settings.get("secret"):
        return {**settings, "secret": new_webhook_secret()}
    return settings


def configuration_read(configuration: WorkerConfiguration) -> WorkerConfigurationRead:
    settings = dict(configuration.settings)
    for field in SECRET_FIELDS:
        if isinstance(settings.get(field), str):
            settings[field] = mask_secret(settings[field])
    return WorkerConfigurationRead.model_validate(
        {
            "id": configuration.id,
            "worker_type": configuration.worker_type,
            "name": configuration.name,
            "enabled": configuration.enabled,
            "trigger_events": configuration.trigger_events,
            "trigger_statuses": configuration.trigger_statuses,
            "settings": settings,
            "created_at": configuration.created_at,
            "updated_at": configuration.updated_at,
        }
    )


async def list_configurations(
    session: AsyncSession, worker_type: str | None = None
) -> list[WorkerConfigurationRead]:
    return [
        configuration_read(c) for c in await repository.list_configurations(session, worker_type)
    ]


async def _get(
    session: AsyncSession, configuration_id: uuid.UUID, *, for_update: bool = False
) -> WorkerConfiguration:
    configuration = await repository.get_configuration(
        session, configuration_id, for_update=for_update
    )
    if configuration is None:
        raise ConfigurationNotFound()
    return configuration


async def get_configuration(
    session: AsyncSession, configuration_id: uuid.UUID
) -> WorkerConfigurationRead:
    return configuration_read(await _get(session, configuration_id))


async def _ensure_unique_name(
    session: AsyncSession, worker_type: str, name: str, own_id: uuid.UUID | None = None
) -> None:
    existing = await repository.find_configuration_by_name(session, worker_type, name)
    if existing is not None and existing.id != own_id:
        raise DuplicateConfigurationName(name)


async def create_configuration(
    session: AsyncSession, body: WorkerConfigurationCreate
) -> WorkerConfigurationRead:
    await _ensure_unique_name(session, body.worker_type, body.name)
    settings = _with_secret(body.worker_type, body.settings.model_dump(mode="json"))
    configuration = WorkerConfiguration(
        id=uuid.uuid4(),
        worker_type=body.worker_type,
        name=body.name,
        enabled=body.enabled,
        trigger_events=list(body.trigger_events),
        trigger_statuses=list(body.trigger_statuses),
        settings=settings,
    )
    session.add(configuration)
    await session.flush()
    await session.refresh(configuration)
    return configuration_read(configuration)


def _validated_settings(worker_type: str, raw: dict[str, Any]) -> dict[str, Any]:
    try:
        settings = validate_settings(worker_type, raw)
    except ValidationError as error:
        raise InvalidSettings(
            [
                {
                    "field": ".".join(["settings", *(str(p) for p in item["loc"])]),
                    "in": "body",
                    "message": item["msg"],
                    "type": item["type"],
                }
                for item in error.errors()
            ]
        ) from error
    return _with_secret(worker_type, settings.model_dump(mode="json"))


async def update_configuration(
    session: AsyncSession, configuration_id: uuid.UUID, body: WorkerConfigurationUpdate
) -> WorkerConfigurationRead:
    configuration = await _get(session, configuration_id, for_update=True)
    if body.name is not None:
        await _ensure_unique_name(session, configuration.worker_type, body.name, configuration.id)
        configuration.name = body.name
    if body.enabled is not None:
        configuration.enabled = body.enabled
    if body.trigger_events is not None:
        configuration.trigger_events = list(body.trigger_events)
    if body.trigger_statuses is not None:
        configuration.trigger_statuses = list(body.trigger_statuses)
    if body.settings is not None:
        raw = dict(body.settings)
        old_secret = configuration.settings.get("secret")
        # A masked or missing secret keeps the stored one; a new whsec_… replaces it.
        if "secret" not in raw or (isinstance(raw["secret"], str) and "…" in raw["secret"]):
            if old_secret:
                raw["secret"] = old_secret
            else:
                raw.pop("secret", None)
        configuration.settings = _validated_settings(configuration.worker_type, raw)
    configuration.updated_at = datetime.now(UTC)
    await session.flush()
    await session.refresh(configuration)
    return configuration_read(configuration)


async def delete_configuration(session: AsyncSession, configuration_id: uuid.UUID) -> None:
    configuration = await _get(session, configuration_id, for_update=True)
    await session.delete(configuration)
    await session.flush()


def sample_event_data(status: str, event_type: str) -> dict[str, Any]:
    order_id = str(uuid.UUID(int=0))
    snapshot: dict[str, Any] = {
        "id": order_id,
        "number": "TEST-0001",
        "customer_id": None,
        "customer_email": "customer@example.com",
        "status": status,
        "items": [
            {
                "product_id": None,
                "sku": "SAMPLE-1",
                "name": "Sample product",
                "quantity": 1,
                "unit_price": "10.00",
                "line_total": "10.00",
            }
        ],
        "totals": {"subtotal": "10.00", "total": "10.00"},
        "currency": "EUR",
        "shipping_address": {"name": "Sample Customer", "city": "Sampletown", "country": "DE"},
        "sample": True,
    }
    if event_type == EventType.ORDER_STATUS_CHANGED:
        snapshot.update(
            old_status="pending", new_status=status, actor="system", note="Sample event"
        )
    return snapshot


async def fire_test_event(
    session: AsyncSession, configuration_id: uuid.UUID, request: TestFireRequest
) -> TestFireRead:
    """A sample event for this configuration only, through the whole pipeline."""
    configuration = await _get(session, configuration_id)
    event_id = uuid.uuid4()
    session.add(
        OutboxEvent(
            id=event_id,
            type=str(request.event_type),
            order_id=None,
            data=sample_event_data(request.status, request.event_type),
            target_worker=configuration.worker_type,
            target_configuration_id=configuration.id,
        )
    )
    await session.flush()
    return TestFireRead(event_id=event_id, event_type=request.event_type)


# --- deliveries ---


async def list_deliveries(
    session: AsyncSession,
    *,
    status: str | None = None,
    worker: str | None = None,
    order_id: uuid.UUID | None = None,
    event_id: uuid.UUID | None = None,
    configuration_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[DeliveryRead]:
    rows = await repository.list_deliveries(
        session,
        status=status,
        worker=worker,
        order_id=order_id,
        event_id=event_id,
        configuration_id=configuration_id,
        after=decode_cursor(cursor, datetime, uuid.UUID) if cursor else None,
        limit=limit + 1,
    )
    return page_of(rows, limit, lambda row: (row.started_at, row.id), DeliveryRead.model_validate)


async def replay_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> Delivery:
    """Queue the event again for the delivery's configuration (through the outbox)."""
    delivery = await repository.get_delivery(session, delivery_id)
    if delivery is None:
        raise DeliveryNotFound()
    if delivery.status not in ("dead", "failed"):
        raise NotReplayable("Only a dead or failed delivery can be replayed.")
    if delivery.configuration_id is None:
        raise NotReplayable("The configuration of this delivery was deleted.")
    await repository.lock_action(session, delivery.event_id, delivery.configuration_id)
    _, succeeded = await repository.attempts_so_far(
        session, delivery.event_id, delivery.configuration_id
    )
    if succeeded:
        raise NotReplayable("A later attempt of this delivery already succeeded.")
    event = await repository.find_event(session, delivery.event_id)
    if event is None:
        raise NotReplayable("The event of this delivery is no longer in the outbox.")
    session.add(
        OutboxEvent(
            id=event.id,
            type=event.type,
            order_id=event.order_id,
            occurred_at=event.occurred_at,
            data=event.data,
            target_worker=delivery.worker,
            target_configuration_id=delivery.configuration_id,
        )
    )
    try:
        await session.flush()
    except IntegrityError as error:  # pragma: no cover - ids are unique per target row
        raise NotReplayable("The delivery could not be queued again.") from error
    return delivery


async def event_counters(session: AsyncSession) -> EventCounters:
    raw = await repository.event_counters(session)
    by_worker: dict[str, dict[str, int]] = raw["by_worker"]

    def total(status: str) -> int:
        return sum(counts.get(status, 0) for counts in by_worker.values())

    return EventCounters(
        published=raw["published"],
        pending=raw["pending"],
        delivered=total("succeeded"),
        retried=total("failed"),
        dead_lettered=total("dead"),
        by_worker=by_worker,
    )


async def list_sent_emails(session: AsyncSession, limit: int = 50) -> list[SentEmail]:
    return await repository.list_sent_emails(session, limit)


def health_checks(settings: Settings) -> dict[str, HealthCheck]:
    """`/health` includes the broker when one is configured."""
    if not settings.amqp_url:
        return {}
    url = settings.amqp_url

    async def broker() -> None:
        await check_broker(url)

    return {"broker": broker}


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
        await create_configuration(session, body)
