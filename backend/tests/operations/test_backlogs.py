"""`oms outbox` and `oms dlq` on a real database: the backlog by event type and publishing
it once, dead deliveries listed and replayed through the integrations service."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pydantic import TypeAdapter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.core.db import create_engine, create_sessionmaker
from oms.integrations import service as integrations
from oms.integrations.samples import sample_event_data
from oms.outbox import service as outbox
from tests.monitoring.processes import PROCESS_TIMEOUT
from tests.operations.conftest import Databases, oms

pytestmark = PROCESS_TIMEOUT
NEW = outbox.StatusRef(code="new", name="New")


@pytest.fixture
def url(databases: Databases) -> str:
    return databases.create()


@pytest.fixture
async def engine(url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(url, pool_size=2)
    yield engine
    await engine.dispose()


async def record(engine: AsyncEngine, event_type: outbox.EventType) -> uuid.UUID:
    async with create_sessionmaker(engine)() as session, session.begin():
        return await outbox.record_event(
            session,
            sample_event_data(event_type, NEW, currency="EUR"),
            occurred_at=datetime.now(UTC),
        )


async def test_the_outbox_is_shown_by_type_and_published_once_when_asked(
    url: str, engine: AsyncEngine
) -> None:
    empty = oms("outbox", OMS_DATABASE_URL=url)
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.strip() == "no event waits to be published"

    for event_type in (
        outbox.EventType.ORDER_CREATED,
        outbox.EventType.ORDER_CREATED,
        outbox.EventType.ORDER_STATUS_CHANGED,
    ):
        await record(engine, event_type)
    shown = oms("outbox", OMS_DATABASE_URL=url)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("3 event(s) wait to be published; the oldest occurred ")
    assert lines[1].split()[:2] == ["order.created", "2"]
    assert lines[2].split()[:2] == ["order.status_changed", "1"]

    relayed = oms("outbox", "--relay-once", OMS_DATABASE_URL=url)
    assert relayed.returncode == 0, relayed.stderr
    assert relayed.stdout.splitlines() == [
        "published 3 event(s)",
        "no event waits to be published",
    ]
    async with engine.connect() as connection:
        queued = await connection.scalar(text("SELECT count(*) FROM queue_messages"))
    assert queued == 3 * 3  # each order event goes to all three workers


async def dead_delivery(engine: AsyncEngine, configuration_id: uuid.UUID | None) -> uuid.UUID:
    event_id = await record(engine, outbox.EventType.ORDER_CREATED)
    delivery_id = uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE outbox_events SET published_at = now()"))
        await connection.execute(
            text(
                "INSERT INTO deliveries (id, event_id, event_type, configuration_id, worker, "
                "attempt, status, error, duration_ms, started_at, finished_at) VALUES (:id, "
                ":event, 'order.created', :configuration, 'webhook', 4, 'dead', "
                "'HTTP 503 from the receiver', 12, now(), now())"
            ),
            {"id": delivery_id, "event": event_id, "configuration": configuration_id},
        )
    return delivery_id


async def webhook_configuration(engine: AsyncEngine) -> uuid.UUID:
    async with create_sessionmaker(engine)() as session, session.begin():
        created = await integrations.create_configuration(
            session,
            TypeAdapter(integrations.WorkerConfigurationCreate).validate_python(
                {
                    "worker_type": "webhook",
                    "name": "ERP",
                    "settings": {"url": "https://erp.example.test/hook"},
                }
            ),
        )
    return created.id


async def test_dead_deliveries_are_listed_and_replayed(url: str, engine: AsyncEngine) -> None:
    assert oms("dlq", OMS_DATABASE_URL=url).stdout.strip() == "no dead deliveries"
    configuration = await webhook_configuration(engine)
    first = await dead_delivery(engine, configuration)
    orphan = await dead_delivery(engine, None)  # its configuration was deleted

    listed = oms("dlq", OMS_DATABASE_URL=url)
    assert listed.returncode == 0, listed.stderr
    assert {line.split()[0] for line in listed.stdout.splitlines()} == {str(first), str(orphan)}
    assert "HTTP 503 from the receiver" in listed.stdout
    assert oms("dlq", "--worker", "email", OMS_DATABASE_URL=url).stdout.strip() == (
        "no dead deliveries"
    )

    replayed = oms("dlq", "replay", str(first), OMS_DATABASE_URL=url)
    assert replayed.returncode == 0, replayed.stdout
    assert f"{first}  queued again" in replayed.stdout
    async with engine.connect() as connection:
        resent = await connection.scalar(
            text(
                "SELECT count(*) FROM outbox_events WHERE published_at IS NULL "
                "AND target_worker = 'webhook' AND target_configuration_id = :id"
            ),
            {"id": configuration},
        )
    assert resent == 1

    everything = oms("dlq", "replay", "--all", OMS_DATABASE_URL=url)
    assert everything.returncode == 1  # the orphan cannot be replayed
    assert f"{first}  queued again" in everything.stdout
    assert f"{orphan}  not replayed: The configuration of this delivery was deleted." in (
        everything.stdout
    )
    assert everything.stdout.splitlines()[-1] == "1 queued again, 1 refused"


def test_replay_needs_ids_or_all_and_ids_are_uuids(url: str) -> None:
    neither = oms("dlq", "replay", OMS_DATABASE_URL=url)
    assert neither.returncode == 2
    assert "name delivery ids or pass --all" in neither.stderr
    both = oms("dlq", "replay", "--all", str(uuid.uuid4()), OMS_DATABASE_URL=url)
    assert both.returncode == 2
    malformed = oms("dlq", "replay", "not-a-uuid", OMS_DATABASE_URL=url)
    assert malformed.returncode == 2
    assert "a delivery id is a UUID" in malformed.stderr
    unknown = uuid.uuid4()
    missing = oms("dlq", "replay", str(unknown), OMS_DATABASE_URL=url)
    assert missing.returncode == 1
    assert f"{unknown}  not replayed: No delivery with this id." in missing.stdout
