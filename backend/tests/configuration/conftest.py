"""Fixtures of the configuration tests: the secrets the documents name, and an importer."""

from typing import Any

import pytest
from httpx import AsyncClient, Response

from tests.actors import Actor
from tests.configuration.documents import EXAMPLE_SECRETS, SECRET, as_yaml

IMPORT = "/api/v1/config/import"
EXPORT = "/api/v1/config/export"


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**EXAMPLE_SECRETS, "OMS_TEST_ERP_SECRET": SECRET}.items():
        monkeypatch.setenv(name, value)


async def import_document(
    client: AsyncClient, admin: Actor, document: dict[str, Any], *, dry_run: bool = False
) -> Response:
    return await client.post(
        IMPORT,
        params={"dry_run": "true"} if dry_run else None,
        content=as_yaml(document),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )


# The events tests' real pipeline (relay and workers), SMTP server and HTTP receiver.
from tests.events.conftest import (  # noqa: E402
    amqp_base_url,
    amqp_url,
    event_settings,
    mode,
    no_pipeline_left_running,
    pipeline,
    pipeline_engine,
    receiver,
    smtp,
)

__all__ = [
    "amqp_base_url",
    "amqp_url",
    "event_settings",
    "mode",
    "no_pipeline_left_running",
    "pipeline",
    "pipeline_engine",
    "receiver",
    "smtp",
]
