"""What must hold after any fault: orders are whole or absent, every answer told the truth,
and every committed event reached the webhook receiver."""

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.events.services import HttpReceiver, ReceivedRequest, eventually
from tests.faults.stream import OrderStream

ORDERS = "SELECT note, id FROM orders"
EVENTS = "SELECT id FROM outbox_events"
UNPUBLISHED = "SELECT count(*) FROM outbox_events WHERE published_at IS NULL"
SUCCESSES = (
    "SELECT d.event_id FROM deliveries d JOIN outbox_events e ON e.id = d.event_id "
    "WHERE d.status = 'succeeded'"
)


async def _rows(engine: AsyncEngine, sql: str) -> list[Any]:
    async with engine.connect() as connection:
        return list((await connection.execute(text(sql))).all())


async def _count(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text(sql)) or 0)


async def assert_no_partial_orders(engine: AsyncEngine, stock: dict[str, int]) -> None:
    """Every order has its items and its `order.created` outbox row, nothing exists without
    its order, and the stock taken is exactly what the orders hold (`stock`: SKU → the
    stock before the stream)."""
    partial = {
        "items without their order": "SELECT count(*) FROM order_items i "
        "WHERE NOT EXISTS (SELECT FROM orders o WHERE o.id = i.order_id)",
        "orders without items": "SELECT count(*) FROM orders o "
        "WHERE NOT EXISTS (SELECT FROM order_items i WHERE i.order_id = o.id)",
        "orders without their order.created event": "SELECT count(*) FROM orders o "
        "WHERE NOT EXISTS (SELECT FROM outbox_events e "
        "WHERE e.order_id = o.id AND e.type = 'order.created')",
        "events without their order": "SELECT count(*) FROM outbox_events e "
        "WHERE NOT EXISTS (SELECT FROM orders o WHERE o.id = e.order_id)",
        "orders with more than one order.created event": "SELECT count(*) FROM "
        "(SELECT order_id FROM outbox_events WHERE type = 'order.created' "
        "GROUP BY order_id HAVING count(*) > 1) twice",
    }
    found = {name: await _count(engine, sql) for name, sql in partial.items()}
    assert found == dict.fromkeys(partial, 0)
    sold = dict(
        await _rows(
            engine,
            "SELECT p.sku, p.stock + coalesce((SELECT sum(i.quantity) FROM order_items i "
            "WHERE i.product_id = p.id), 0) FROM products p",
        )
    )
    assert sold == stock, "stock taken differs from the items of the stored orders"


async def assert_answers_told_the_truth(engine: AsyncEngine, stream: OrderStream) -> None:
    """A 201 names a stored order and no request stored two. A request answered with an
    error (or not at all) may still have stored its whole order when the connection broke
    during the commit, so that the API could not know; a retry with its `Idempotency-Key`
    then answers with that very order and creates nothing."""
    stored = {note: str(order_id) for note, order_id in await _rows(engine, ORDERS)}
    notes = Counter(note for note, _ in await _rows(engine, ORDERS))
    assert [note for note, times in notes.items() if times > 1] == []
    outcomes = stream.outcomes
    assert set(stored) <= {outcome.note for outcome in outcomes}, "orders nobody asked for"
    for outcome in outcomes:
        if outcome.placed:
            assert stored.get(outcome.note) == outcome.order_id, outcome
        elif outcome.note in stored:
            replayed = await stream.replay(outcome)
            assert replayed.status_code == 201, (outcome, replayed.text)
            assert replayed.headers.get("idempotent-replayed") == "true", outcome
            assert replayed.json()["id"] == stored[outcome.note], outcome
    assert await _count(engine, "SELECT count(*) FROM orders") == len(stored)


def ours(receiver: HttpReceiver, stream: OrderStream) -> list[ReceivedRequest]:
    """The webhooks about the stream's orders (an earlier test's redelivery may arrive too)."""
    return [
        request
        for request in receiver.at("/hook")
        if str(json.loads(request.body)["data"]["order"]["note"]).startswith(stream.tag)
    ]


def webhook_ids(requests: Sequence[ReceivedRequest]) -> list[str]:
    return [request.headers["webhook-id"] for request in requests]


async def until_every_event_is_delivered(
    engine: AsyncEngine, receiver: HttpReceiver, stream: OrderStream, *, within: float = 90.0
) -> None:
    """Every outbox row is published and its event reached the receiver, with one success
    logged per event; a duplicate (the at-least-once window) carries the same id and body."""

    async def delivered() -> bool:
        events = {str(event_id) for (event_id,) in await _rows(engine, EVENTS)}
        succeeded = {str(event_id) for (event_id,) in await _rows(engine, SUCCESSES)}
        received = set(webhook_ids(ours(receiver, stream)))
        return bool(events) and events <= received and succeeded == events

    try:
        await eventually(delivered, within=within, interval=0.2)
    except AssertionError:
        recorded = await _count(engine, "SELECT count(*) FROM outbox_events")
        raise AssertionError(
            f"{recorded} events, {await _count(engine, UNPUBLISHED)} unpublished, "
            f"{len(set(webhook_ids(ours(receiver, stream))))} distinct ids at the receiver, "
            f"{len(await _rows(engine, SUCCESSES))} successes logged"
        ) from None
    events = {str(event_id) for (event_id,) in await _rows(engine, EVENTS)}
    requests = ours(receiver, stream)
    assert set(webhook_ids(requests)) == events, "the receiver got events OMS never recorded"
    assert await _count(engine, UNPUBLISHED) == 0
    successes = Counter(str(event_id) for (event_id,) in await _rows(engine, SUCCESSES))
    assert successes == Counter(events), "not exactly one logged success per event"
    first_body: dict[str, bytes] = {}
    for request in requests:
        webhook_id = request.headers["webhook-id"]
        assert json.loads(request.body)["id"] == webhook_id
        assert first_body.setdefault(webhook_id, request.body) == request.body
