"""A webhook worker SIGKILLed again and again while orders stream in, each time while a
webhook is in the receiver's hands: nothing is lost, the receiver may get an event twice
(the at-least-once window), always with the same `webhook-id`, so a receiver that
deduplicates on it acts on every event exactly once."""

import asyncio
from collections import Counter

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.events.services import HttpReceiver, ReceivedRequest
from tests.faults.conftest import Shop, Stack
from tests.faults.invariants import (
    assert_answers_told_the_truth,
    assert_no_partial_orders,
    ours,
    until_every_event_is_delivered,
    webhook_ids,
)
from tests.faults.stream import OrderStream

KILLS = 3


class DeduplicatingReceiver:
    """What a Standard Webhooks receiver does with what arrives: acts once per `webhook-id`."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.acted_on: list[str] = []

    def receive(self, request: ReceivedRequest) -> None:
        webhook_id = request.headers["webhook-id"]
        if webhook_id not in self.seen:
            self.seen.add(webhook_id)
            self.acted_on.append(webhook_id)


async def _kill_while_a_webhook_is_unanswered(stack: Stack, receiver: HttpReceiver) -> None:
    receiver.hold = asyncio.Event()
    receiver.arrived.clear()
    try:
        await asyncio.wait_for(receiver.arrived.wait(), 60)
        await asyncio.to_thread(stack.worker.kill)
    finally:
        receiver.hold.set()
        receiver.hold = None


@pytest.mark.timeout(240)
async def test_a_webhook_worker_killed_repeatedly_loses_nothing_and_repeats_only_with_the_same_id(
    stack: Stack, shop: Shop, receiver: HttpReceiver, engine: AsyncEngine
) -> None:
    stream = OrderStream(lambda: stack.api.url, shop.tokens, shop.items).start()
    try:
        await stream.until_placed(40)
        for _ in range(KILLS):
            await _kill_while_a_webhook_is_unanswered(stack, receiver)
            await stream.until_placed(stream.placed() + 40)  # orders go on meanwhile
            stack.worker.start()
    finally:
        outcomes = await stream.stop()

    assert [outcome for outcome in outcomes if not outcome.placed] == []
    await until_every_event_is_delivered(engine, receiver, stream)
    await assert_no_partial_orders(engine, shop.stock)
    await assert_answers_told_the_truth(engine, stream)

    raw = ours(receiver, stream)
    # Each kill left one webhook received but unanswered, so it is sent again.
    assert len(raw) - len(set(webhook_ids(raw))) >= KILLS
    deduplicating = DeduplicatingReceiver()
    for request in raw:
        deduplicating.receive(request)
    async with engine.connect() as connection:
        events = [
            str(event) for event in await connection.scalars(text("SELECT id FROM outbox_events"))
        ]
    assert Counter(deduplicating.acted_on) == Counter(events)
    print(f"{len(outcomes)} orders, {len(events)} events, {len(raw)} webhooks received")
