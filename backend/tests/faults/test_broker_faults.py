"""RabbitMQ cut (connections reset) or silent (nothing answers) for a few seconds while
orders stream in: the API goes on taking orders, and once the broker is back every event
reaches the webhook receiver, whether the relay lost it or the worker did."""

import asyncio
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.outbox.models import OutboxEvent
from tests.events.services import HttpReceiver, eventually
from tests.fault_proxy import Mode
from tests.faults.conftest import Shop, Stack
from tests.faults.invariants import (
    assert_answers_told_the_truth,
    assert_no_partial_orders,
    until_every_event_is_delivered,
)
from tests.faults.stream import OrderStream

FAULT_SECONDS = 3.0
# Messages a worker may have in hand when its broker goes away (its concurrency).
IN_HAND = 8


async def _unpublished(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(
            select(func.count()).where(OutboxEvent.published_at.is_(None))
        )
        return int(count or 0)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("fault", [Mode.RESET, Mode.DROP], ids=["cut", "silent"])
@pytest.mark.parametrize("side", ["relay", "worker"])
async def test_no_event_is_lost_when_the_broker_fails_during_a_stream_of_orders(
    side: str,
    fault: Mode,
    stack: Stack,
    shop: Shop,
    receiver: HttpReceiver,
    engine: AsyncEngine,
) -> None:
    proxy = stack.relay_broker if side == "relay" else stack.worker_broker
    stream = OrderStream(lambda: stack.api.url, shop.tokens, shop.items).start()
    try:
        await stream.until_placed(60)

        async def flowing() -> bool:
            return len(receiver.requests) >= 20

        await eventually(flowing, within=60)

        proxy.set(fault)
        received_before = len(receiver.requests)
        cut_at = time.monotonic()
        await stream.until_placed(stream.placed() + 100)
        await asyncio.sleep(max(0.0, FAULT_SECONDS - (time.monotonic() - cut_at)))
        if side == "relay":
            assert await _unpublished(engine) > 0, "the relay published through a dead broker"
        else:
            assert len(receiver.requests) - received_before <= IN_HAND
        proxy.pass_through()
        away = time.monotonic() - cut_at

        await stream.until_placed(stream.placed() + 60)
    finally:
        outcomes = await stream.stop()

    assert [outcome for outcome in outcomes if not outcome.placed] == []
    healed_at = time.monotonic()
    await until_every_event_is_delivered(engine, receiver, stream)
    await assert_no_partial_orders(engine, shop.stock)
    await assert_answers_told_the_truth(engine, stream)
    print(
        f"{len(outcomes)} orders; broker away {away:.1f}s; all delivered "
        f"{time.monotonic() - healed_at:.1f}s after the stream ended"
    )
