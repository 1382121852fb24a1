"""The outbox module's public interface: record an event in the caller's transaction, send an
event again to one worker, and what other modules may know of the event contract."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.health import HealthCheck
from oms.core.metrics import on_commit
from oms.core.settings import Settings
from oms.outbox import repository
from oms.outbox.asyncapi import asyncapi_document
from oms.outbox.events import (
    ACCOUNT_EVENT_TYPES,
    ENVELOPE_VERSION,
    EVENT_MODELS,
    EVENT_TYPE_OF,
    AccountEvent,
    AccountEventType,
    Actor,
    AddressSnapshot,
    AnyEvent,
    CustomerRef,
    Envelope,
    EventData,
    EventType,
    OrderCreatedData,
    OrderCreatedEvent,
    OrderEvent,
    OrderEventData,
    OrderItemSnapshot,
    OrderSnapshot,
    OrderStatusChangedData,
    OrderStatusChangedEvent,
    OrderTotals,
    PasswordResetRequestedData,
    PasswordResetRequestedEvent,
    StatusRef,
    WorkerType,
    parse_event,
    workers_hearing,
)
from oms.outbox.live import OrderEventHub, OrderEventNotice
from oms.outbox.metrics import EVENTS_RECORDED
from oms.outbox.models import OutboxEvent
from oms.outbox.transport.amqp import check_broker
from oms.outbox.transport.amqp import queue_depths as broker_queue_depths
from oms.outbox.transport.base import Incoming, Settlement

__all__ = [
    "ACCOUNT_EVENT_TYPES",
    "ENVELOPE_VERSION",
    "AccountEvent",
    "AccountEventType",
    "Actor",
    "AddressSnapshot",
    "AnyEvent",
    "CustomerRef",
    "Envelope",
    "EventData",
    "EventType",
    "Incoming",
    "OrderCreatedData",
    "OrderCreatedEvent",
    "OrderEvent",
    "OrderEventData",
    "OrderEventHub",
    "OrderEventNotice",
    "OrderItemSnapshot",
    "OrderSnapshot",
    "OrderStatusChangedData",
    "OrderStatusChangedEvent",
    "OrderTotals",
    "PasswordResetRequestedData",
    "PasswordResetRequestedEvent",
    "PendingEvents",
    "QueueDepth",
    "Settlement",
    "StatusRef",
    "WorkerType",
    "asyncapi_document",
    "backlog",
    "backlog_by_type",
    "health_checks",
    "parse_event",
    "queue_depths",
    "record_event",
    "record_test_event",
    "resend_event",
]


async def record_event(
    session: AsyncSession, data: EventData, *, occurred_at: datetime
) -> uuid.UUID:
    """Write an outbox row; it is published only if the caller's transaction commits.

    The envelope is built and validated here, so no row holds an event of the wrong shape.
    """
    order_id = (
        data.order.id if isinstance(data, OrderCreatedData | OrderStatusChangedData) else None
    )
    event = _envelope(data, occurred_at=occurred_at, order_id=order_id, test=False)
    await repository.add_event(session, _row(event))
    on_commit(session, EVENTS_RECORDED.labels(type=event.type).inc)
    return event.id


async def record_test_event(
    session: AsyncSession,
    data: OrderEventData,
    *,
    occurred_at: datetime,
    worker: str,
    configuration_id: uuid.UUID,
) -> uuid.UUID:
    """A sample event (`test: true`, no order) for one worker configuration only."""
    event = _envelope(data, occurred_at=occurred_at, order_id=None, test=True)
    row = _row(event)
    row.target_worker, row.target_configuration_id = worker, configuration_id
    await repository.add_event(session, row)
    return event.id


async def resend_event(
    session: AsyncSession, event_id: uuid.UUID, *, worker: str, configuration_id: uuid.UUID
) -> bool:
    """Queue the recorded event again, for one configuration of one worker; False when the
    event is no longer in the outbox or is not one that worker hears."""
    event = await repository.find_event(session, event_id)
    if event is None or worker not in workers_hearing(event.type):
        return False
    await repository.add_event(
        session,
        OutboxEvent(
            id=event.id,
            type=event.type,
            version=event.version,
            order_id=event.order_id,
            occurred_at=event.occurred_at,
            data=event.data,
            test=event.test,
            target_worker=worker,
            target_configuration_id=configuration_id,
        ),
    )
    return True


async def backlog(session: AsyncSession) -> tuple[int, datetime | None]:
    """(unpublished events, when the next the relay will publish occurred)."""
    return await repository.backlog(session)


@dataclass(frozen=True)
class PendingEvents:
    """Events of one type the relay has not published yet."""

    type: str
    count: int
    oldest_occurred_at: datetime


async def backlog_by_type(session: AsyncSession) -> list[PendingEvents]:
    return [
        PendingEvents(type=kind, count=count, oldest_occurred_at=oldest)
        for kind, count, oldest in await repository.backlog_by_type(session)
    ]


QueueState = Literal["ready", "waiting", "dead"]


@dataclass(frozen=True)
class QueueDepth:
    """Messages of one worker's queues in one state: `ready` to be taken, `waiting` (for a
    retry; with the embedded queue also those a consumer holds) or `dead`."""

    worker: str
    state: QueueState
    messages: int


async def queue_depths(session: AsyncSession, settings: Settings) -> list[QueueDepth]:
    """Every worker's queues, each state present (0 when empty), from the transport in use:
    the broker's queues with OMS_AMQP_URL, else the embedded queue's table."""
    if settings.amqp_url:
        found = await broker_queue_depths(settings)
    else:
        found = await repository.embedded_queue_depths(session)
    counts = {(worker, state): count for worker, state, count in found}
    states: tuple[QueueState, ...] = ("ready", "waiting", "dead")
    return [
        QueueDepth(worker=str(worker), state=state, messages=counts.get((str(worker), state), 0))
        for worker in WorkerType
        for state in states
    ]


def health_checks(settings: Settings) -> dict[str, HealthCheck]:
    """`/health` includes the broker when one is configured."""
    if not settings.amqp_url:
        return {}
    url = settings.amqp_url

    async def broker() -> None:
        await check_broker(url)

    return {"broker": broker}


def _envelope(
    data: EventData, *, occurred_at: datetime, order_id: uuid.UUID | None, test: bool
) -> AnyEvent:
    """The validated envelope of `data`, of the type its model stands for."""
    return EVENT_MODELS[EVENT_TYPE_OF[type(data)]].model_validate(
        {
            "id": uuid.uuid4(),
            "occurred_at": occurred_at,
            "order_id": order_id,
            "data": data,
            "test": test,
        }
    )


def _row(event: AnyEvent) -> OutboxEvent:
    return OutboxEvent(
        id=event.id,
        type=event.type,
        version=event.version,
        order_id=event.order_id,
        occurred_at=event.occurred_at,
        data=event.data.model_dump(mode="json"),
        test=event.test,
    )
