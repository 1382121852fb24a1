"""The integrations listings page like every other: keyset cursor, `limit` 1 to 100."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from oms.integrations.models import SentEmail
from tests.actors import Actor
from tests.pagination import all_pages, assert_paging_is_checked

CONFIGURATIONS = "/api/v1/worker-configurations"
DELIVERIES = "/api/v1/deliveries"
SENT_EMAILS = "/api/v1/sent-emails"


def _webhook(name: str) -> dict[str, Any]:
    return {"worker_type": "webhook", "name": name, "settings": {"url": "https://erp.example.com"}}


def _email(name: str) -> dict[str, Any]:
    return {"worker_type": "email", "name": name, "settings": {}}


async def test_configurations_page_by_worker_type_then_name(
    client: AsyncClient, admin: Actor
) -> None:
    for body in (
        _webhook("ERP"),
        _email("Zed"),
        _webhook("Audit"),
        _email("Mail"),
        _webhook("CRM"),
    ):
        response = await client.post(CONFIGURATIONS, json=body, headers=admin.headers)
        assert response.status_code == 201, response.text

    pages = await all_pages(client, CONFIGURATIONS, admin.headers, limit=2)
    webhooks = await all_pages(
        client, CONFIGURATIONS, admin.headers, limit=2, params={"worker_type": "webhook"}
    )

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [(c["worker_type"], c["name"]) for page in pages for c in page] == [
        ("email", "Mail"),
        ("email", "Zed"),
        ("webhook", "Audit"),
        ("webhook", "CRM"),
        ("webhook", "ERP"),
    ]
    assert [[c["name"] for c in page] for page in webhooks] == [["Audit", "CRM"], ["ERP"]]
    assert "…" in webhooks[0][0]["settings"]["secret"], "secrets stay masked on every page"


async def test_sent_mail_pages_newest_first(
    app: FastAPI, client: AsyncClient, admin: Actor
) -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    # Two mails share a timestamp: the id breaks the tie, so neither is lost between pages.
    moments = [start, start + timedelta(minutes=1), start + timedelta(minutes=1)]
    moments += [start + timedelta(minutes=2), start + timedelta(minutes=3)]
    mails = [
        SentEmail(
            id=uuid.uuid4(),
            sender="OMS <no-reply@localhost>",
            recipients=["buyer@example.com"],
            subject=f"Mail {number}",
            html="<p>Hello</p>",
            text_body="Hello",
            created_at=moment,
        )
        for number, moment in enumerate(moments)
    ]
    async with app.state.sessions() as session, session.begin():
        session.add_all(mails)
    newest_first = sorted(mails, key=lambda mail: (mail.created_at, mail.id), reverse=True)

    pages = await all_pages(client, SENT_EMAILS, admin.headers, limit=2)

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [mail["id"] for page in pages for mail in page] == [
        str(mail.id) for mail in newest_first
    ]


async def test_an_empty_listing_is_one_page_without_a_cursor(
    client: AsyncClient, admin: Actor
) -> None:
    for url in (CONFIGURATIONS, DELIVERIES, SENT_EMAILS):
        assert await all_pages(client, url, admin.headers, limit=1) == [[]]


@pytest.mark.parametrize("url", [CONFIGURATIONS, DELIVERIES, SENT_EMAILS])
async def test_foreign_cursors_and_limits_out_of_bounds_are_400(
    client: AsyncClient, admin: Actor, url: str
) -> None:
    await assert_paging_is_checked(client, url, admin.headers)


async def test_the_configurations_page_keeps_its_union_in_the_openapi_document(
    client: AsyncClient,
) -> None:
    document = (await client.get("/api/openapi.json")).json()

    answer = document["paths"][CONFIGURATIONS]["get"]["responses"]["200"]["content"]
    page = document["components"]["schemas"]["WorkerConfigurationPage"]
    items = page["properties"]["items"]["items"]
    assert answer["application/json"]["schema"] == {
        "$ref": "#/components/schemas/WorkerConfigurationPage"
    }
    assert set(page["properties"]) == {"items", "next_cursor"}
    assert items["discriminator"]["propertyName"] == "worker_type"
    assert items["discriminator"]["mapping"] == {
        kind: f"#/components/schemas/{kind.capitalize()}ConfigurationRead"
        for kind in ("email", "inventory", "webhook")
    }
