"""The AsyncAPI document, `/health` with a broker, and the pipeline inside the API process."""

import json
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.app import create_app
from oms.core.settings import Settings
from oms.outbox.asyncapi import asyncapi_json
from oms.pipeline import run_pipeline_in_app
from tests.conftest_helpers import running_app, serving
from tests.events.conftest import record_created
from tests.events.services import HttpReceiver, eventually, free_port
from tests.events.test_pipeline import deliveries
from tests.processes import OMS, oms_env

DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.json"


def test_the_committed_asyncapi_document_is_what_the_code_generates() -> None:
    assert DOCUMENT.read_text() == asyncapi_json(), "run `oms asyncapi -o docs/asyncapi.json`"


async def test_the_asyncapi_document_is_served(settings: Settings) -> None:
    async with running_app(settings) as client:
        response = await client.get("/api/asyncapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["asyncapi"] == "3.0.0"
    assert set(document["channels"]) == {
        "orderCreated",
        "orderStatusChanged",
        "userPasswordResetRequested",
    }
    receivers = {
        name
        for name, operation in document["operations"].items()
        if operation["action"] == "receive"
    }
    # Account events reach the email worker only: no webhook or inventory receives them.
    assert {name for name in receivers if name.endswith("userPasswordResetRequested")} == {
        "email_userPasswordResetRequested"
    }
    assert "webhook_orderCreated" in receivers
    payload = document["components"]["schemas"]["OrderStatusChangedEvent"]
    assert {"id", "type", "version", "occurred_at", "order_id", "data"} <= set(
        payload["properties"]
    )
    assert json.loads(asyncapi_json()) == document


async def test_health_includes_the_broker_when_configured(
    settings: Settings, amqp_url: str
) -> None:
    async with running_app(settings.model_copy(update={"amqp_url": amqp_url})) as client:
        response = await client.get("/health")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}

    closed = f"amqp://guest:guest@127.0.0.1:{free_port()}/"
    async with running_app(settings.model_copy(update={"amqp_url": closed})) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


async def test_without_a_broker_health_has_no_broker_check(settings: Settings) -> None:
    async with running_app(settings) as client:
        response = await client.get("/health")
    assert "broker" not in response.json()["checks"]


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_the_api_process_runs_relay_and_workers_in_process(
    event_settings: Settings,
    clean_database: None,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
    admin: object,
) -> None:
    from tests.actors import Actor

    assert isinstance(admin, Actor)
    app = create_app(event_settings)
    run_pipeline_in_app(app, event_settings)
    async with serving(app) as client:
        created = await client.post(
            "/api/v1/worker-configurations",
            json={"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
            headers=admin.headers,
        )
        assert created.status_code == 201
        await record_created(sessions, uuid.uuid4())

        async def delivered() -> bool:
            return len(await deliveries(sessions, status="succeeded")) == 1

        await eventually(delivered)
    assert len(receiver.requests) == 1


def test_a_separate_relay_needs_a_shared_database() -> None:
    result = subprocess.run(
        [OMS, "relay"], env=oms_env(), capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert "OMS_DATABASE_URL" in result.stderr.decode()


def test_an_unknown_worker_kind_is_a_usage_error() -> None:
    result = subprocess.run(
        [OMS, "worker", "fax"], env=oms_env(), capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 2
