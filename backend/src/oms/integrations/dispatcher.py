"""A worker's handling of one message: find the configurations it triggers, run each action
once (deduplicated on event id and configuration id), log every attempt, then ack, schedule
a retry or dead-letter. The same code runs on either transport.

Account events skip the configurations: the worker's built-in account action (the email
worker's account mail) runs once per event, logged as a delivery without a configuration,
with the same retries and dead-lettering."""

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

import structlog
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.integrations import repository
from oms.integrations.actions.account_mail import send_account_mail
from oms.integrations.actions.base import Action, ActionContext, ActionResult, Event, WorkerServices
from oms.integrations.actions.email import send_email
from oms.integrations.actions.inventory import move_stock
from oms.integrations.actions.webhook import send_webhook
from oms.integrations.metrics import DELIVERIES
from oms.integrations.models import WorkerConfiguration
from oms.outbox import service as outbox

log = structlog.get_logger("oms.integrations")

ACTIONS: Mapping[outbox.WorkerType, Action] = {
    outbox.WorkerType.EMAIL: send_email,
    outbox.WorkerType.WEBHOOK: send_webhook,
    outbox.WorkerType.INVENTORY: move_stock,
}
AccountAction = Callable[
    [AsyncSession, outbox.AccountEvent, WorkerServices], Awaitable[ActionResult]
]
ACCOUNT_ACTIONS: Mapping[outbox.WorkerType, AccountAction] = {
    outbox.WorkerType.EMAIL: send_account_mail,
}
# A bound on any one action, above the per-request timeouts inside it.
ACTION_TIMEOUT_SECONDS = 90.0
CONFIGURATION_TTL = 5.0
# Only actions that write to the database need their writes undone on failure.
WRITING_WORKERS = frozenset({outbox.WorkerType.EMAIL, outbox.WorkerType.INVENTORY})


def triggered_by(configuration: WorkerConfiguration, event: Event) -> bool:
    if configuration.trigger_events and event.type not in configuration.trigger_events:
        return False
    if configuration.trigger_statuses:
        return event.data.order.status.code in configuration.trigger_statuses
    return True


class _Failed(Exception):
    """Rolls back whatever the action wrote when it reports failure."""

    def __init__(self, result: ActionResult):
        self.result = result


class Dispatcher:
    def __init__(
        self,
        worker: outbox.WorkerType,
        sessions: async_sessionmaker[AsyncSession],
        services: WorkerServices,
        actions: Mapping[outbox.WorkerType, Action] = ACTIONS,
    ):
        self.worker = worker
        self.sessions = sessions
        self.services = services
        self.action = actions[worker]
        self.configurations = ConfigurationCache(worker, sessions)
        self.undo_on_failure = worker in WRITING_WORKERS

    async def __call__(self, incoming: outbox.Incoming, settlement: outbox.Settlement) -> None:
        try:
            event = outbox.parse_event(incoming.envelope.model_dump())
        except ValidationError as invalid:
            # No attempt can succeed: dead-letter it at once, where it can be inspected.
            reason = (
                f"not a {incoming.envelope.type} event of envelope version "
                f"{outbox.ENVELOPE_VERSION}: {invalid}"
            )
            log.warning(
                "unreadable event dead-lettered",
                worker=self.worker,
                event_id=str(incoming.envelope.id),
                version=incoming.envelope.version,
            )
            await settlement.dead((), reason[:1000])
            return
        retries = len(self.services.settings.retry_delays)
        final = incoming.attempt > retries
        if isinstance(event, outbox.PasswordResetRequestedEvent):
            await self._account_event(incoming, event, settlement, final=final)
            return
        failed: list[tuple[uuid.UUID | None, str]] = []
        for configuration in await self._configurations(incoming, event):
            result = await self._run_once(
                configuration.id, event, self._configured(configuration, event), final=final
            )
            if result is not None and not result.succeeded:
                failed.append((configuration.id, result.error or "failed"))
        await self._settle(incoming, event, settlement, failed, final=final)

    def _configured(
        self, configuration: WorkerConfiguration, event: Event
    ) -> Callable[[AsyncSession], Awaitable[ActionResult]]:
        def run(session: AsyncSession) -> Awaitable[ActionResult]:
            return self.action(ActionContext(session, event, configuration, self.services))

        return run

    async def _account_event(
        self,
        incoming: outbox.Incoming,
        event: outbox.AccountEvent,
        settlement: outbox.Settlement,
        *,
        final: bool,
    ) -> None:
        action = ACCOUNT_ACTIONS.get(self.worker)
        if action is None:
            # Transports route account events only to the workers that hear them; one sent
            # here otherwise is dropped, never handed to a configuration.
            log.warning("account event not for this worker", worker=self.worker, type=event.type)
            await settlement.ack()
            return
        result = await self._run_once(
            None, event, lambda session: action(session, event, self.services), final=final
        )
        failed: list[tuple[uuid.UUID | None, str]] = []
        if result is not None and not result.succeeded:
            failed.append((None, result.error or "failed"))
        await self._settle(incoming, event, settlement, failed, final=final)

    async def _settle(
        self,
        incoming: outbox.Incoming,
        event: outbox.AnyEvent,
        settlement: outbox.Settlement,
        failed: list[tuple[uuid.UUID | None, str]],
        *,
        final: bool,
    ) -> None:
        if not failed:
            await settlement.ack()
            return
        ids = tuple(item[0] for item in failed if item[0] is not None)
        error = "; ".join(item[1] for item in failed)[:1000]
        if final:
            log.warning("dead-lettered", worker=self.worker, event_id=str(event.id))
            await settlement.dead(ids, error)
        else:
            await settlement.retry(incoming.attempt - 1, ids, error)

    async def _configurations(
        self, incoming: outbox.Incoming, event: Event
    ) -> list[WorkerConfiguration]:
        if incoming.configuration_ids is None:
            enabled = await self.configurations.enabled()
            return [item for item in enabled if triggered_by(item, event)]
        async with self.sessions() as session:
            return await repository.configurations_for(
                session,
                self.worker,
                incoming.configuration_ids,
                enabled_only=not incoming.manual,
            )

    async def _run_once(
        self,
        configuration_id: uuid.UUID | None,
        event: outbox.AnyEvent,
        action: Callable[[AsyncSession], Awaitable[ActionResult]],
        *,
        final: bool,
    ) -> ActionResult | None:
        """The action's result, or None when an earlier delivery already succeeded
        (`configuration_id` None: the built-in account action)."""
        async with self.sessions() as session, session.begin():
            # The lock is taken in a statement of its own: a statement's snapshot predates its
            # locks, and the count below must see a success committed while we waited.
            await repository.lock_action(session, event.id, configuration_id)
            attempts, succeeded = await repository.attempts_so_far(
                session, event.id, configuration_id
            )
            if succeeded:
                return None
            started_at = datetime.now(UTC)
            clock = time.perf_counter()
            try:
                result = await self._perform(session, action)
            except Exception as error:  # noqa: BLE001 - every failure is logged and retried
                result = ActionResult(succeeded=False, error=f"{type(error).__name__}: {error}")
            status = "succeeded" if result.succeeded else ("dead" if final else "failed")
            await repository.add_delivery(
                session,
                {
                    "id": uuid.uuid4(),
                    "event_id": event.id,
                    "event_type": event.type,
                    "order_id": event.order_id,
                    "configuration_id": configuration_id,
                    "worker": self.worker,
                    "attempt": attempts + 1,
                    "status": status,
                    "response": result.response,
                    "error": result.error,
                    "duration_ms": round((time.perf_counter() - clock) * 1000),
                    "started_at": started_at,
                    "finished_at": datetime.now(UTC),
                },
            )
        DELIVERIES.labels(worker=self.worker, outcome=status, attempt=str(attempts + 1)).inc()
        if logging.getLogger("oms.integrations").isEnabledFor(logging.INFO):  # else unseen
            log.info(
                "delivery",
                worker=self.worker,
                event_id=str(event.id),
                configuration=str(configuration_id or "built-in"),
                status=status,
                attempt=attempts + 1,
            )
        return result

    async def _perform(
        self, session: AsyncSession, action: Callable[[AsyncSession], Awaitable[ActionResult]]
    ) -> ActionResult:
        if not self.undo_on_failure:
            async with asyncio.timeout(ACTION_TIMEOUT_SECONDS):
                return await action(session)
        try:
            async with session.begin_nested():
                async with asyncio.timeout(ACTION_TIMEOUT_SECONDS):
                    result = await action(session)
                if not result.succeeded:
                    raise _Failed(result)
        except _Failed as failure:
            return failure.result
        return result


class ConfigurationCache:
    """A worker's enabled configurations, reloaded when one changes (NOTIFY from a trigger on
    `worker_configurations`) and at least every `CONFIGURATION_TTL` seconds."""

    def __init__(self, worker: outbox.WorkerType, sessions: async_sessionmaker[AsyncSession]):
        self.worker = worker
        self.sessions = sessions
        self._items: list[WorkerConfiguration] | None = None
        self._loaded_at = 0.0
        self._generation = 0

    def invalidate(self) -> None:
        self._generation += 1
        self._items = None

    async def enabled(self) -> list[WorkerConfiguration]:
        items = self._items
        if items is not None and time.monotonic() - self._loaded_at < CONFIGURATION_TTL:
            return items
        generation = self._generation
        async with self.sessions() as session:
            items = await repository.configurations_for(
                session, self.worker, None, enabled_only=True
            )
        if generation == self._generation:
            # Kept only if nothing changed while loading; else the next message reloads.
            self._items, self._loaded_at = items, time.monotonic()
        return items
