"""All SQL of the integrations module."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.locks import Lock, xact_lock
from oms.core.pagination import keyset_after
from oms.integrations.models import Delivery, EmailTemplate, SentEmail, WorkerConfiguration

# --- worker configurations ---


async def configurations_for(
    session: AsyncSession, worker: str, ids: Sequence[uuid.UUID] | None, *, enabled_only: bool
) -> list[WorkerConfiguration]:
    query = select(WorkerConfiguration).where(WorkerConfiguration.worker_type == worker)
    if ids is not None:
        query = query.where(WorkerConfiguration.id.in_(ids))
    if enabled_only:
        query = query.where(WorkerConfiguration.enabled.is_(True))
    return list((await session.scalars(query.order_by(WorkerConfiguration.created_at))).all())


async def list_configurations(
    session: AsyncSession,
    worker_type: str | None,
    *,
    after: tuple[str, str, uuid.UUID] | None,
    limit: int | None,
) -> list[WorkerConfiguration]:
    """By (worker_type, name, id), the `ix_worker_configurations_listing` index; `after` is
    the key of the last row of the previous page; `limit=None`: all of them."""
    key = (WorkerConfiguration.worker_type, WorkerConfiguration.name, WorkerConfiguration.id)
    query = select(WorkerConfiguration).order_by(*key).limit(limit)
    if worker_type:
        query = query.where(WorkerConfiguration.worker_type == worker_type)
    if after is not None:
        query = query.where(keyset_after(key, after))
    return list((await session.scalars(query)).all())


async def add_configuration(session: AsyncSession, configuration: WorkerConfiguration) -> None:
    session.add(configuration)
    await session.flush()
    await session.refresh(configuration)


async def save_configuration(session: AsyncSession, configuration: WorkerConfiguration) -> None:
    await session.flush()
    await session.refresh(configuration)


async def delete_configuration(session: AsyncSession, configuration: WorkerConfiguration) -> None:
    await session.delete(configuration)
    await session.flush()


async def get_configuration(
    session: AsyncSession, configuration_id: uuid.UUID, *, for_update: bool = False
) -> WorkerConfiguration | None:
    query = select(WorkerConfiguration).where(WorkerConfiguration.id == configuration_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def find_configuration_by_name(
    session: AsyncSession, worker_type: str, name: str
) -> WorkerConfiguration | None:
    return await session.scalar(
        select(WorkerConfiguration).where(
            WorkerConfiguration.worker_type == worker_type, WorkerConfiguration.name == name
        )
    )


# --- deliveries ---


# The hot path of every message: fixed statements, built once.
_ATTEMPTS = text(
    "SELECT count(*), count(*) FILTER (WHERE status = 'succeeded') FROM deliveries "
    "WHERE event_id = :event_id AND configuration_id = :configuration_id"
)
# A built-in action (account mail) records its deliveries without a configuration.
_BUILT_IN_ATTEMPTS = text(
    "SELECT count(*), count(*) FILTER (WHERE status = 'succeeded') FROM deliveries "
    "WHERE event_id = :event_id AND configuration_id IS NULL"
)
_ADD_DELIVERY = text(
    "INSERT INTO deliveries (id, event_id, event_type, order_id, configuration_id, worker, "
    "attempt, status, response, error, duration_ms, started_at, finished_at) VALUES "
    "(:id, :event_id, :event_type, :order_id, :configuration_id, :worker, :attempt, :status, "
    ":response, :error, :duration_ms, :started_at, :finished_at)"
)


async def lock_action(
    session: AsyncSession, event_id: uuid.UUID, configuration_id: uuid.UUID | None
) -> None:
    """Serialises concurrent deliveries of one (event, configuration) until commit; None
    stands for the built-in account action."""
    await xact_lock(session, Lock.DELIVERY, f"{event_id}:{configuration_id or 'built-in'}")


async def attempts_so_far(
    session: AsyncSession, event_id: uuid.UUID, configuration_id: uuid.UUID | None
) -> tuple[int, bool]:
    """How many attempts were recorded, and whether one succeeded (None: of the built-in
    account action)."""
    if configuration_id is None:
        row = (await session.execute(_BUILT_IN_ATTEMPTS, {"event_id": event_id})).one()
    else:
        row = (
            await session.execute(
                _ATTEMPTS, {"event_id": event_id, "configuration_id": configuration_id}
            )
        ).one()
    return int(row[0]), bool(row[1])


async def add_delivery(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(_ADD_DELIVERY, values)


async def get_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def list_deliveries(
    session: AsyncSession,
    *,
    status: str | None,
    worker: str | None,
    order_id: uuid.UUID | None,
    event_id: uuid.UUID | None,
    configuration_id: uuid.UUID | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Delivery]:
    query = select(Delivery)
    if status:
        query = query.where(Delivery.status == status)
    if worker:
        query = query.where(Delivery.worker == worker)
    if order_id:
        query = query.where(Delivery.order_id == order_id)
    if event_id:
        query = query.where(Delivery.event_id == event_id)
    if configuration_id:
        query = query.where(Delivery.configuration_id == configuration_id)
    if after is not None:
        # Newest first; the cursor is the last row seen.
        query = query.where(
            keyset_after((Delivery.started_at, Delivery.id), after, descending=True)
        )
    query = query.order_by(Delivery.started_at.desc(), Delivery.id.desc()).limit(limit)
    return list((await session.scalars(query)).all())


async def latest_failures(session: AsyncSession, limit: int) -> list[Delivery]:
    """The latest failed or dead deliveries, newest first (`ix_deliveries_failed_started_at`)."""
    query = (
        select(Delivery)
        # Written out, not bound, so that the planner matches the partial index's predicate.
        .where(text("deliveries.status IN ('failed', 'dead')"))
        .order_by(Delivery.started_at.desc(), Delivery.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def list_sent_emails(
    session: AsyncSession, *, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[SentEmail]:
    """Newest first on (created_at, id), the `ix_sent_emails_created_at_id` index read
    backwards; `after` is the key of the last row of the previous page."""
    key = (SentEmail.created_at, SentEmail.id)
    query = select(SentEmail).order_by(SentEmail.created_at.desc(), SentEmail.id.desc())
    if after is not None:
        query = query.where(keyset_after(key, after, descending=True))
    return list((await session.scalars(query.limit(limit))).all())


# --- email templates ---------------------------------------------------------------------


async def edited_templates(session: AsyncSession) -> Sequence[EmailTemplate]:
    return (await session.scalars(select(EmailTemplate).order_by(EmailTemplate.key))).all()


async def edited_template(
    session: AsyncSession, key: str, *, lock: bool = False
) -> EmailTemplate | None:
    query = select(EmailTemplate).where(EmailTemplate.key == key)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def lock_email_templates(session: AsyncSession) -> None:
    await xact_lock(session, Lock.EMAIL_TEMPLATES)


async def count_edited_templates(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(EmailTemplate)) or 0)


async def add_edited_template(session: AsyncSession, template: EmailTemplate) -> None:
    session.add(template)
    await session.flush()


async def delete_edited_template(session: AsyncSession, template: EmailTemplate) -> None:
    await session.delete(template)
    await session.flush()
