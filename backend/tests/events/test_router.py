"""The admin API of worker configurations, deliveries, sent mail and counters."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.pipeline import Pipeline
from tests.actors import Actor
from tests.events.conftest import record_created
from tests.events.services import HttpReceiver, eventually
from tests.events.test_pipeline import deliveries

URL = "/api/v1/worker-configurations"
WEBHOOK: dict[str, Any] = {
    "worker_type": "webhook",
    "name": "ERP",
    "trigger_events": ["order.status_changed"],
    "trigger_statuses": ["shipped"],
    "settings": {"url": "https://erp.example.com/hooks/oms"},
}


async def test_admin_creates_a_webhook_and_its_secret_is_generated_and_masked(
    client: AsyncClient, admin: Actor
) -> None:
    response = await client.post(URL, json=WEBHOOK, headers=admin.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["worker_type"] == "webhook"
    assert body["trigger_statuses"] == ["shipped"]
    secret = body["settings"]["secret"]
    assert secret.startswith("whsec_")
    assert "…" in secret
    assert len(secret) < 20

    listed = (await client.get(URL, headers=admin.headers)).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert "…" in listed["items"][0]["settings"]["secret"]


async def test_a_given_secret_is_kept_and_a_patch_with_the_masked_value_keeps_it(
    client: AsyncClient, admin: Actor
) -> None:
    import base64

    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    created = await client.post(
        URL,
        json={**WEBHOOK, "settings": {**WEBHOOK["settings"], "secret": secret}},
        headers=admin.headers,
    )
    assert created.status_code == 201
    masked = created.json()["settings"]
    assert masked["secret"] != secret
    config_id = created.json()["id"]
    patched = await client.patch(
        f"{URL}/{config_id}",
        json={
            "worker_type": "webhook",
            "settings": {**masked, "url": "https://erp.example.com/v2"},
            "enabled": False,
        },
        headers=admin.headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["settings"]["url"] == "https://erp.example.com/v2"
    assert patched.json()["enabled"] is False
    assert patched.json()["settings"]["secret"] == masked["secret"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**WEBHOOK, "settings": {"url": "ftp://erp.example.com/x"}}, "settings.url"),
        ({**WEBHOOK, "settings": {}}, "settings.url"),
        ({**WEBHOOK, "settings": {"url": "https://x.example.com", "secret": "nope"}}, "secret"),
        ({**WEBHOOK, "worker_type": "fax"}, "body"),
        ({**WEBHOOK, "trigger_events": ["order.deleted"]}, "trigger_events"),
        (
            {"worker_type": "email", "name": "M", "settings": {"send_to_customer": False}},
            "settings",
        ),
        ({"worker_type": "inventory", "name": "I", "settings": {}}, "settings"),
        (
            {
                "worker_type": "inventory",
                "name": "I",
                "settings": {"apply_locally": True, "direction": "out"},
            },
            "settings",
        ),
    ],
)
async def test_invalid_configurations_are_rejected_as_problems(
    client: AsyncClient, admin: Actor, body: dict[str, Any], field: str
) -> None:
    response = await client.post(URL, json=body, headers=admin.headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert any(field in error["field"] for error in response.json()["errors"]), response.json()
    assert (await client.get(URL, headers=admin.headers)).json()["items"] == []


async def test_patching_invalid_settings_is_a_problem_and_changes_nothing(
    client: AsyncClient, admin: Actor
) -> None:
    created = (await client.post(URL, json=WEBHOOK, headers=admin.headers)).json()
    response = await client.patch(
        f"{URL}/{created['id']}",
        json={"worker_type": "webhook", "name": "Renamed", "settings": {"url": "gopher://x"}},
        headers=admin.headers,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "settings.url"
    after = (await client.get(f"{URL}/{created['id']}", headers=admin.headers)).json()
    assert after["name"] == "ERP"
    assert after["settings"]["url"] == WEBHOOK["settings"]["url"]


async def test_a_trigger_on_a_status_the_workflow_lacks_is_refused_naming_it(
    client: AsyncClient, admin: Actor
) -> None:
    """Such a trigger could never fire: creating or changing a configuration with one is a
    400 naming each unknown status, whatever else the triggers name."""
    unknown = {**WEBHOOK, "trigger_statuses": ["shipped", "parcel_lost_at_sea", "on_the_moon"]}

    refused = await client.post(URL, json=unknown, headers=admin.headers)
    created = await client.post(URL, json=WEBHOOK, headers=admin.headers)
    patched = await client.patch(
        f"{URL}/{created.json()['id']}",
        json={"worker_type": "webhook", "trigger_statuses": ["on_the_moon"]},
        headers=admin.headers,
    )

    assert refused.status_code == 400, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["type"]) for e in refused.json()["errors"]] == [
        ("trigger_statuses.1", "unknown_status"),
        ("trigger_statuses.2", "unknown_status"),
    ]
    assert "'parcel_lost_at_sea'" in refused.json()["errors"][0]["message"]
    assert patched.status_code == 400, patched.text
    assert [e["field"] for e in patched.json()["errors"]] == ["trigger_statuses.0"]
    assert "'on_the_moon'" in patched.json()["errors"][0]["message"]
    [kept] = (await client.get(URL, headers=admin.headers)).json()["items"]
    assert kept["trigger_statuses"] == ["shipped"]


@pytest.mark.parametrize("code", ["in-transit", "Shipped", "1st", "", "x" * 51])
async def test_a_trigger_status_must_follow_the_status_code_pattern(
    client: AsyncClient, admin: Actor, code: str
) -> None:
    """The workflow's own pattern: a code no status can have is refused before any lookup."""
    response = await client.post(
        URL, json={**WEBHOOK, "trigger_statuses": [code]}, headers=admin.headers
    )

    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["trigger_statuses.0"]


async def test_names_are_unique_per_worker_type(client: AsyncClient, admin: Actor) -> None:
    assert (await client.post(URL, json=WEBHOOK, headers=admin.headers)).status_code == 201
    again = await client.post(URL, json=WEBHOOK, headers=admin.headers)
    assert again.status_code == 409
    assert again.json()["type"] == "urn:oms:problem:worker-configuration-name-taken"
    email = {"worker_type": "email", "name": "ERP", "settings": {}}
    assert (await client.post(URL, json=email, headers=admin.headers)).status_code == 201


async def test_deleting_a_configuration_then_reading_it_is_not_found(
    client: AsyncClient, admin: Actor
) -> None:
    created = (await client.post(URL, json=WEBHOOK, headers=admin.headers)).json()
    assert (await client.delete(f"{URL}/{created['id']}", headers=admin.headers)).status_code == 204
    missing = await client.get(f"{URL}/{created['id']}", headers=admin.headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert (await client.delete(f"{URL}/{created['id']}", headers=admin.headers)).status_code == 404


async def test_managers_read_but_do_not_write_and_customers_do_neither(
    client: AsyncClient, admin: Actor, manager: Actor, customer: Actor
) -> None:
    created = (await client.post(URL, json=WEBHOOK, headers=admin.headers)).json()
    assert (await client.get(URL, headers=manager.headers)).status_code == 200
    assert (await client.get("/api/v1/deliveries", headers=manager.headers)).status_code == 200
    assert (await client.post(URL, json=WEBHOOK, headers=manager.headers)).status_code == 403
    patch = await client.patch(
        f"{URL}/{created['id']}",
        json={"worker_type": "webhook", "enabled": False},
        headers=manager.headers,
    )
    assert patch.status_code == 403
    assert (await client.get(URL, headers=customer.headers)).status_code == 403
    assert (await client.get("/api/v1/sent-emails", headers=customer.headers)).status_code == 403
    assert (await client.get(URL)).status_code == 401
    replay = await client.post(f"/api/v1/deliveries/{uuid.uuid4()}/replay", headers=manager.headers)
    assert replay.status_code == 403


async def test_unknown_deliveries_and_bad_cursors_are_problems(
    client: AsyncClient, admin: Actor
) -> None:
    missing = await client.post(f"/api/v1/deliveries/{uuid.uuid4()}/replay", headers=admin.headers)
    assert missing.status_code == 404
    bad = await client.get("/api/v1/deliveries", params={"cursor": "zzz"}, headers=admin.headers)
    assert bad.status_code == 400
    assert bad.json()["type"] == "urn:oms:problem:invalid-cursor"
    wrong = await client.get("/api/v1/deliveries", params={"status": "lost"}, headers=admin.headers)
    assert wrong.status_code == 400


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_test_fire_sends_a_sample_event_to_that_configuration_only(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    target = (
        await client.post(
            URL,
            json={**WEBHOOK, "enabled": False, "settings": {"url": receiver.url("/target")}},
            headers=admin.headers,
        )
    ).json()
    other = {**WEBHOOK, "name": "Other", "trigger_statuses": [], "trigger_events": []}
    other["settings"] = {"url": receiver.url("/other")}
    assert (await client.post(URL, json=other, headers=admin.headers)).status_code == 201
    fired = await client.post(f"{URL}/{target['id']}/test", headers=admin.headers)
    assert fired.status_code == 202, fired.text
    event_id = fired.json()["event_id"]

    async def delivered() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 1

    await eventually(delivered)
    assert [r.path for r in receiver.requests] == ["/target"]
    assert receiver.requests[0].headers["webhook-id"] == event_id

    page = await client.get(
        "/api/v1/deliveries", params={"configuration_id": target["id"]}, headers=admin.headers
    )
    assert [item["event_id"] for item in page.json()["items"]] == [event_id]
    missing = await client.post(f"{URL}/{uuid.uuid4()}/test", headers=admin.headers)
    assert missing.status_code == 404


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_without_smtp_mail_lands_in_the_sent_mail_view(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    pipeline.settings = pipeline.settings.model_copy(update={"smtp_url": None})
    await pipeline.stop()
    await pipeline.start()
    brand = {"shop_name": "Kettle & Co", "primary_colour": "#112233", "accent_colour": "#445566"}
    branded = await client.put(
        "/api/v1/branding",
        json={**brand, "currency": "EUR", "locale": "en"},
        headers={**admin.headers, "If-Match": "*"},
    )
    assert branded.status_code == 200, branded.text
    await client.post(
        URL,
        json={
            "worker_type": "email",
            "name": "Mail",
            "settings": {"recipients": ["a@example.com"]},
        },
        headers=admin.headers,
    )
    await record_created(sessions, uuid.uuid4(), email="buyer@example.com")

    async def stored() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 1

    await eventually(stored)
    mails = (await client.get("/api/v1/sent-emails", headers=admin.headers)).json()["items"]
    assert len(mails) == 1
    assert mails[0]["recipients"] == ["buyer@example.com", "a@example.com"]
    assert mails[0]["subject"] == "Thank you for your order OMS-001001"
    assert "Kettle &amp; Co" in mails[0]["html"]
    [delivery] = await deliveries(sessions)
    assert "sent_emails" in (delivery.response or "")


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_deliveries_page_newest_first_without_repeats(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    receiver.script = [500]
    other = {**WEBHOOK, "trigger_statuses": [], "trigger_events": []}
    other["settings"] = {"url": receiver.url()}
    await client.post(URL, json=other, headers=admin.headers)
    for _ in range(4):
        await record_created(sessions, uuid.uuid4())

    async def done() -> bool:
        return len(await deliveries(sessions, status="succeeded")) == 4

    await eventually(done)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/v1/deliveries", params=params, headers=admin.headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    failed = await client.get(
        "/api/v1/deliveries", params={"status": "failed"}, headers=admin.headers
    )
    assert len(failed.json()["items"]) == 1


async def test_the_demo_seeder_adds_its_configurations_once(
    client: AsyncClient, admin: Actor, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from oms.integrations import demo

    for _ in range(2):
        async with sessions() as session, session.begin():
            await demo.seed_demo_worker_configurations(session)
    listed = (await client.get(URL, headers=admin.headers)).json()["items"]
    assert sorted((c["worker_type"], c["enabled"]) for c in listed) == [
        ("email", True),
        ("inventory", False),
        ("webhook", False),
    ]
    inventory = next(c for c in listed if c["worker_type"] == "inventory")
    assert inventory["settings"]["apply_locally"] is False


async def test_a_retried_configuration_creation_creates_one_configuration(
    client: AsyncClient, admin: Actor
) -> None:
    headers = {**admin.headers, "Idempotency-Key": "erp-hook"}

    first = await client.post(URL, json=WEBHOOK, headers=headers)
    retry = await client.post(URL, json=WEBHOOK, headers=headers)
    listed = await client.get(URL, headers=admin.headers)

    assert first.status_code == 201
    assert first.headers["location"].endswith(f"{URL}/{first.json()['id']}")
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]
