"""Faults on the API's side while orders stream in: PostgreSQL cut, the API SIGKILLed in the
middle of requests, the API stopped with SIGTERM. An order is stored whole, with its event,
or not at all; an answer tells the truth; a graceful stop answers every request it holds."""

import asyncio
import time

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.events.services import HttpReceiver
from tests.fault_proxy import Mode
from tests.faults.conftest import Shop, Stack
from tests.faults.invariants import (
    assert_answers_told_the_truth,
    assert_no_partial_orders,
    until_every_event_is_delivered,
)
from tests.faults.stream import OrderStream, Outcome

FAULT_SECONDS = 2.0
# Slows every exchange with PostgreSQL so that requests are certainly inside the API, in the
# middle of their transaction, when the process is signalled.
SLOW_DATABASE = 0.2
IN_THE_SERVER = 1.0


async def _everything_holds(
    engine: AsyncEngine, receiver: HttpReceiver, shop: Shop, stream: OrderStream
) -> None:
    await until_every_event_is_delivered(engine, receiver, stream)
    await assert_no_partial_orders(engine, shop.stock)
    await assert_answers_told_the_truth(engine, stream)


@pytest.mark.timeout(180)
async def test_orders_answer_503_and_nothing_is_half_written_while_the_database_is_cut(
    stack: Stack, shop: Shop, receiver: HttpReceiver, engine: AsyncEngine
) -> None:
    stream = OrderStream(lambda: stack.api.url, shop.tokens, shop.items).start()
    try:
        await stream.until_placed(60)
        stack.database.set(Mode.RESET)
        cut_at = time.monotonic()
        await stream.until_refused(20)
        await asyncio.sleep(max(0.0, FAULT_SECONDS - (time.monotonic() - cut_at)))
        stack.database.pass_through()
        await stream.until_placed(stream.placed() + 60)
    finally:
        outcomes = await stream.stop()

    refused = [outcome for outcome in outcomes if outcome.answered and not outcome.placed]
    assert [outcome for outcome in outcomes if not outcome.answered] == []
    assert {outcome.status for outcome in refused} == {503}
    assert {outcome.content_type for outcome in refused} == {"application/problem+json"}
    await _everything_holds(engine, receiver, shop, stream)
    print(f"{len(outcomes)} orders asked for, {len(refused)} refused while PostgreSQL was cut")


@pytest.mark.timeout(180)
async def test_an_api_killed_in_the_middle_of_requests_leaves_no_partial_order(
    stack: Stack, shop: Shop, receiver: HttpReceiver, engine: AsyncEngine
) -> None:
    stream = OrderStream(lambda: stack.api.url, shop.tokens, shop.items).start()
    try:
        await stream.until_placed(60)
        stack.database.set(Mode.DELAY, SLOW_DATABASE)
        await stream.until_every_client_waits(IN_THE_SERVER)
        killed = stream.in_flight()
        await asyncio.to_thread(stack.api.kill)
        stack.database.pass_through()
        stack.api.start()
        await asyncio.to_thread(stack.api.wait_until_serving)
        await stream.until_placed(stream.placed() + 60)
    finally:
        outcomes = await stream.stop()

    assert len(killed) == len(shop.tokens)
    assert [outcome for outcome in killed if outcome.answered] == []
    assert [outcome for outcome in outcomes if outcome.answered and not outcome.placed] == []
    await _everything_holds(engine, receiver, shop, stream)
    print(f"{stream.placed()} orders placed, {len(killed)} in flight when the API was killed")


@pytest.mark.timeout(180)
async def test_sigterm_under_load_answers_every_request_in_flight_and_exits_0(
    stack: Stack, shop: Shop, receiver: HttpReceiver, engine: AsyncEngine
) -> None:
    stream = OrderStream(lambda: stack.api.url, shop.tokens, shop.items).start()
    try:
        await stream.until_placed(60)
        stack.database.set(Mode.DELAY, SLOW_DATABASE)
        await stream.until_every_client_waits(IN_THE_SERVER)
        in_flight = stream.in_flight()
        stopped_at = time.monotonic()
        stack.api.terminate()
        stack.database.pass_through()
        exit_code = await asyncio.to_thread(stack.api.exit_code)
    finally:
        outcomes = await stream.stop()

    assert exit_code == 0
    assert len(in_flight) == len(shop.tokens)
    asked_before: list[Outcome] = [o for o in outcomes if o.started < stopped_at]
    assert [outcome for outcome in asked_before if not outcome.placed] == []
    await _everything_holds(engine, receiver, shop, stream)
    print(f"{len(asked_before)} orders asked for before SIGTERM, {len(in_flight)} in flight")
