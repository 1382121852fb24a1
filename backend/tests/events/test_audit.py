"""Worker configuration and email template changes land in the audit log, secrets masked."""

import base64
import secrets

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.actors import Actor
from tests.audit_trail import TEST_CLIENT_ADDRESS, only, recorded
from tests.events.test_email_templates import SHIPPED, TEMPLATES, _put
from tests.events.test_pipeline import create_configuration, webhook_secret

CONFIGURATIONS = "/api/v1/worker-configurations"


def _secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def _whole_log(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT audit_log::text FROM audit_log"))
        return "\n".join(row[0] for row in rows)


async def test_worker_configuration_changes_are_recorded_with_secrets_masked(
    client: AsyncClient,
    admin: Actor,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first, second = _secret(), _secret()
    body = {
        "worker_type": "webhook",
        "name": "ERP",
        "settings": {"url": "https://erp.example", "secret": first},
    }
    configuration_id = await create_configuration(client, admin, body)
    url = f"{CONFIGURATIONS}/{configuration_id}"
    changed = await client.patch(
        url,
        json={
            "worker_type": "webhook",
            "settings": {"url": "https://erp.example", "secret": second},
        },
        headers=admin.headers,
    )
    deleted = await client.delete(url, headers=admin.headers)

    assert (changed.status_code, deleted.status_code) == (200, 204)
    created = await only(engine, "worker_configuration.created")
    assert (created["actor_id"], created["address"]) == (admin.user.id, TEST_CLIENT_ADDRESS)
    assert created["entity_id"] == configuration_id
    assert created["after"]["settings"]["secret"].endswith(first[-4:])
    update = await only(engine, "worker_configuration.updated")
    assert update["after"]["settings"]["secret"].endswith(second[-4:])
    assert (await only(engine, "worker_configuration.deleted"))["before"]["name"] == "ERP"
    log = await _whole_log(engine)
    assert first not in log
    assert second not in log
    assert first[6:20] not in log
    assert second[6:20] not in log


async def test_a_generated_secret_never_reaches_the_log(
    client: AsyncClient,
    admin: Actor,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    body = {"worker_type": "webhook", "name": "ERP", "settings": {"url": "https://erp.example"}}
    configuration_id = await create_configuration(client, admin, body)

    secret = await webhook_secret(sessions, configuration_id)
    assert secret.startswith("whsec_")
    assert secret[6:] not in await _whole_log(engine)


async def test_a_refused_configuration_records_nothing(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    body = {"worker_type": "email", "name": "Mail", "trigger_statuses": ["no_such_status"]}

    refused = await client.post(CONFIGURATIONS, json=body, headers=admin.headers)

    assert refused.status_code == 400
    assert await recorded(engine, "worker_configuration.created") == []


async def test_an_email_template_put_and_reset_are_recorded(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    broken = await _put(client, admin, "shipped", {**SHIPPED, "subject": "{{ unclosed"})
    saved = await _put(client, admin, "shipped", SHIPPED)
    reset = await client.delete(f"{TEMPLATES}/shipped", headers=admin.headers)

    assert (broken.status_code, saved.status_code, reset.status_code) == (400, 200, 204)
    put = await only(engine, "email_template.put")
    assert (put["entity"], put["entity_id"]) == ("email_template", "shipped")
    assert put["after"]["subject"] == SHIPPED["subject"]
    assert put["before"]["edited"] is False
    assert put["after"]["edited"] is True
    back = await only(engine, "email_template.reset")
    assert back["before"]["subject"] == SHIPPED["subject"]
    assert back["after"]["edited"] is False


async def test_a_new_template_key_records_no_before(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    saved = await _put(client, admin, "vip_shipped", SHIPPED)
    reset = await client.delete(f"{TEMPLATES}/vip_shipped", headers=admin.headers)

    assert (saved.status_code, reset.status_code) == (200, 204)
    put = await only(engine, "email_template.put")
    assert (put["before"], put["after"]["key"]) == (None, "vip_shipped")
    back = await only(engine, "email_template.reset")
    assert (back["before"]["key"], back["after"]) == ("vip_shipped", None)
