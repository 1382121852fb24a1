"""Order events, live: one LISTEN per API process, fanned out to the clients following orders.

Recording an order event NOTIFYs `oms_order_events` with what a client is shown (a trigger
on the outbox, see the migration `order_events_live`), so a process queries nothing per
event. Each follower has a bounded queue of its own; one that falls that far behind is
ended (it reconnects with `Last-Event-ID`) rather than slowing the others. A notification
sent while the listener was reconnecting is lost, so every follower is then told to catch
up from the outbox table itself.
"""

import asyncio
import json
import uuid
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.core.notifications import Subscription
from oms.outbox import repository
from oms.outbox.models import OutboxEvent

log = structlog.get_logger("oms.outbox.live")

ORDER_EVENTS_CHANNEL = "oms_order_events"
REPLAY_WINDOW = timedelta(hours=1)
"""How far back `Last-Event-ID` (and catching up after a lost listener) reaches."""
MAX_REPLAYED = 1000
QUEUE_SIZE = 1000
REMEMBERED_IDS = 10_000


@dataclass(frozen=True, slots=True)
class OrderEventNotice:
    """An order event as a follower is shown it."""

    id: uuid.UUID
    type: str
    order_id: uuid.UUID
    customer_id: uuid.UUID | None
    number: str
    status: str
    previous_status: str | None
    version: int
    occurred_at: datetime

    def data(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "order_id": str(self.order_id),
            "number": self.number,
            "status": self.status,
            "version": self.version,
            "occurred_at": self.occurred_at.isoformat(),
        }
        if self.previous_status is not None:
            shown["previous_status"] = self.previous_status
        return shown

    @classmethod
    def from_payload(cls, payload: str) -> "OrderEventNotice":
        raw = json.loads(payload)
        return cls(
            id=uuid.UUID(raw["id"]),
            type=raw["type"],
            order_id=uuid.UUID(raw["order_id"]),
            customer_id=uuid.UUID(raw["customer_id"]) if raw.get("customer_id") else None,
            number=raw["number"],
            status=raw["status"],
            previous_status=raw.get("previous_status"),
            version=int(raw["version"]),
            occurred_at=datetime.fromisoformat(raw["occurred_at"]),
        )

    @classmethod
    def from_row(cls, row: OutboxEvent) -> "OrderEventNotice":
        order = row.data["order"]
        assert row.order_id is not None
        return cls(
            id=row.id,
            type=row.type,
            order_id=row.order_id,
            customer_id=uuid.UUID(order["customer"]["id"]),
            number=order["number"],
            status=order["status"]["code"],
            previous_status=(row.data.get("previous_status") or {}).get("code"),
            version=int(order["version"]),
            occurred_at=row.occurred_at,
        )


class _CatchUp:
    """Put in a follower's queue when notifications may have been missed."""


class _End:
    """Put in a follower's queue when the hub closes, or the follower fell behind."""


_CATCH_UP, _END = _CatchUp(), _End()


@dataclass(eq=False)
class _Follower:
    customer_id: uuid.UUID | None  # None: every customer's orders (staff)
    order_id: uuid.UUID | None
    queue: asyncio.Queue[OrderEventNotice | _CatchUp | _End] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE + 2)
    )

    def wants(self, notice: OrderEventNotice) -> bool:
        return (self.customer_id is None or notice.customer_id == self.customer_id) and (
            self.order_id is None or notice.order_id == self.order_id
        )


class OrderEventHub:
    """The process's one listener on order events, and the streams that follow them."""

    def __init__(self, url: URL, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._followers: set[_Follower] = set()
        self._closed = False
        self.subscription = Subscription(
            url, ORDER_EVENTS_CHANNEL, on_payload=self._notified, on_gap=self._missed
        )

    def start(self) -> None:
        self.subscription.start()

    async def close(self) -> None:
        """End every stream, then stop listening."""
        self._closed = True
        for follower in list(self._followers):
            self._offer(follower, _END)
        await self.subscription.stop()

    def _offer(self, follower: _Follower, item: OrderEventNotice | _CatchUp | _End) -> None:
        queue = follower.queue
        if isinstance(item, OrderEventNotice) and queue.qsize() >= QUEUE_SIZE:
            log.warning("order event follower fell behind; ending its stream")
            item = _END
            self._followers.discard(follower)
        if not queue.full():
            queue.put_nowait(item)

    def _notified(self, payload: str) -> None:
        try:
            notice = OrderEventNotice.from_payload(payload)
        except (ValueError, KeyError, TypeError) as error:
            log.warning("unreadable order event notification", error=str(error))
            return
        for follower in list(self._followers):
            if follower.wants(notice):
                self._offer(follower, notice)

    def _missed(self) -> None:
        for follower in list(self._followers):
            self._offer(follower, _CATCH_UP)

    async def _replay(
        self, follower: _Follower, *, since: datetime, after: uuid.UUID | None
    ) -> list[OrderEventNotice]:
        async with self._sessions() as session:
            rows = await repository.order_events_since(
                session,
                since=since,
                after=after,
                customer_id=follower.customer_id,
                order_id=follower.order_id,
                limit=MAX_REPLAYED,
            )
        return [OrderEventNotice.from_row(row) for row in rows]

    async def follow(
        self,
        *,
        customer_id: uuid.UUID | None,
        order_id: uuid.UUID | None,
        last_event_id: uuid.UUID | None,
    ) -> AsyncGenerator[OrderEventNotice, None]:
        """The events of `customer_id`'s orders (None: everyone's), or of one order, as they
        are recorded; first, with `last_event_id`, those of the last hour after it. Ends when
        the hub closes or the follower falls behind."""
        follower = _Follower(customer_id, order_id)
        if self._closed:
            return
        self._followers.add(follower)
        started = datetime.now(UTC)
        sent: deque[uuid.UUID] = deque(maxlen=REMEMBERED_IDS)

        def fresh(notices: list[OrderEventNotice]) -> list[OrderEventNotice]:
            new = [notice for notice in notices if notice.id not in sent]
            sent.extend(notice.id for notice in new)
            return new

        try:
            if last_event_id is not None:
                since = started - REPLAY_WINDOW
                try:
                    replayed = await self._replay(follower, since=since, after=last_event_id)
                except (SQLAlchemyError, OSError, TimeoutError) as error:
                    # The stream ends; the client reconnects with the same Last-Event-ID.
                    log.warning("cannot replay order events", error=str(error))
                    return
                for notice in fresh(replayed):
                    yield notice
            while True:
                item = await follower.queue.get()
                if isinstance(item, _End):
                    return
                if isinstance(item, _CatchUp):
                    try:
                        missed = await self._replay(follower, since=started, after=None)
                    except (SQLAlchemyError, OSError, TimeoutError) as error:
                        # The database is away; the reconnected listener asks again.
                        log.warning("cannot catch up on order events yet", error=str(error))
                        continue
                    for notice in fresh(missed):
                        yield notice
                    continue
                for notice in fresh([item]):
                    yield notice
        finally:
            self._followers.discard(follower)
