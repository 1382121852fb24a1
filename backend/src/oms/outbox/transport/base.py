"""The transport port: what the relay and the workers need from a message transport."""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from oms.outbox.events import Envelope

# A message a consumer keeps failing to finish (it crashes, say) is dead-lettered after
# this many deliveries; the same limit is declared on the RabbitMQ queues.
DELIVERY_LIMIT = 10


@dataclass(frozen=True)
class Outgoing:
    """One outbox row to publish: to every worker, or to one worker (replay, test fire)."""

    envelope: Envelope
    target_worker: str | None = None
    configuration_ids: tuple[uuid.UUID, ...] | None = None

    @property
    def manual(self) -> bool:
        return self.target_worker is not None


@dataclass(frozen=True)
class Incoming:
    envelope: Envelope
    worker: str
    attempt: int
    configuration_ids: tuple[uuid.UUID, ...] | None
    manual: bool


class Settlement(Protocol):
    """How the consumer finishes a message; exactly one of these is called."""

    async def ack(self) -> None: ...

    async def retry(
        self, delay_index: int, configuration_ids: tuple[uuid.UUID, ...], error: str
    ) -> None: ...

    async def dead(self, configuration_ids: tuple[uuid.UUID, ...], error: str) -> None: ...


MessageHandler = Callable[[Incoming, Settlement], Awaitable[None]]


class Transport(Protocol):
    async def publish(self, session: AsyncSession, batch: Sequence[Outgoing]) -> None:
        """Publish all of `batch` or raise; with the embedded queue this writes in `session`."""

    async def consume(self, worker: str, handler: MessageHandler) -> None:
        """Deliver messages to `handler` until cancelled."""

    async def close(self) -> None: ...
