"""Forgotten passwords end to end: the request through the API, the outbox, the relay, the
transport and the email worker to a real SMTP server; then the link sets a new password.
Account events reach the email worker's account mail only, whatever the configurations."""

import asyncio
import re
from datetime import UTC, datetime, timedelta
from email.message import Message
from urllib.parse import parse_qs, urlsplit

import aio_pika
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.auth.models import PasswordResetToken
from oms.core.settings import Settings
from oms.integrations.models import Delivery
from oms.outbox.events import WorkerType
from oms.outbox.models import OutboxEvent, QueueMessage
from oms.outbox.relay import relay_pending_events
from oms.outbox.transport.amqp import worker_queue
from oms.pipeline import Pipeline, transport_for
from tests.actors import Actor
from tests.audit_trail import only
from tests.auth.helpers import PASSWORD, bearer, login, tokens, user_with_password
from tests.events.services import HttpReceiver, SmtpServer, eventually
from tests.events.test_pipeline import create_configuration

RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
EMAIL = "cora@example.test"
NEW_PASSWORD = "a brand new passphrase"
EVENT_TYPE = "user.password_reset_requested"


def text_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def token_in(mail: Message) -> str:
    """The token of the reset link in the mail's text."""
    match = re.search(r"http://localhost:3000/reset-password\?token=\S+", text_of(mail))
    assert match, text_of(mail)
    return parse_qs(urlsplit(match.group(0)).query)["token"][0]


async def mails_to(smtp: SmtpServer, address: str, count: int) -> list[Message]:
    async def arrived() -> bool:
        return len([m for m in smtp.mails if address in m.recipients]) >= count

    await eventually(arrived)
    return [m.message for m in smtp.mails if address in m.recipients]


async def reset_events(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == EVENT_TYPE)
        )
    return int(count or 0)


async def test_a_reset_link_mailed_by_the_email_worker_sets_a_new_password(
    pipeline: Pipeline,
    pipeline_engine: AsyncEngine,
    app: FastAPI,
    client: AsyncClient,
    admin: Actor,
    smtp: SmtpServer,
    receiver: HttpReceiver,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Configurations that would take every event if account events reached them.
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url("/hook")}},
    )
    await create_configuration(
        client,
        admin,
        {
            "worker_type": "inventory",
            "name": "Warehouse",
            "settings": {"warehouse_url": receiver.url("/warehouse")},
        },
    )
    await create_configuration(
        client,
        admin,
        {
            "worker_type": "email",
            "name": "Ops copy",
            "settings": {"recipients": ["ops@example.com"]},
        },
    )
    await user_with_password(app, EMAIL, full_name="Cora Customer")
    signed_in = await tokens(client, EMAIL)
    me_before = (await client.get("/api/v1/me", headers=bearer(signed_in["access_token"]))).json()

    response = await client.post(RESET, json={"email": "  Cora@Example.TEST "})
    assert response.status_code == 202, response.text
    [mail] = await mails_to(smtp, EMAIL, 1)
    assert mail["Subject"] == "Reset your OMS password"
    assert "Cora Customer" in text_of(mail)
    html = next(p for p in mail.walk() if p.get_content_type() == "text/html")
    assert 'href="http://localhost:3000/reset-password?token=' in str(html.get_payload(decode=True))
    token = token_in(mail)

    confirmed = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})
    assert confirmed.status_code == 204, confirmed.text
    assert (await login(client, EMAIL, PASSWORD)).status_code == 401
    assert (await login(client, EMAIL, NEW_PASSWORD)).status_code == 200
    # Every earlier sign-in ended: its refresh token is revoked, its access token refused.
    old_refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": signed_in["refresh_token"]}
    )
    assert old_refresh.status_code == 401

    async def refused() -> bool:
        me = await client.get("/api/v1/me", headers=bearer(signed_in["access_token"]))
        return me.status_code == 401

    await eventually(refused, within=5)

    user_id = me_before["id"]
    requested = await only(pipeline_engine, "user.password_reset_requested")
    assert (requested["entity"], requested["entity_id"]) == ("user", user_id)
    assert token not in str(requested["after"])
    confirmed_entry = await only(pipeline_engine, "user.password_reset_confirmed")
    assert confirmed_entry["entity_id"] == user_id

    again = await client.post(CONFIRM, json={"token": token, "password": "yet another passphrase"})
    assert again.status_code == 400
    assert again.json()["type"] == "urn:oms:problem:invalid-reset-token"

    # Only the email worker's built-in account mail handled the event: one delivery, without
    # a configuration; the webhook and the warehouse heard nothing, ops got no copy.
    async with sessions() as session:
        delivered = (
            await session.scalars(select(Delivery).where(Delivery.event_type == EVENT_TYPE))
        ).all()
    assert [(d.worker, d.configuration_id, d.status) for d in delivered] == [
        ("email", None, "succeeded")
    ]
    await asyncio.sleep(0.5)  # a misrouted message would have arrived by now
    assert receiver.requests == []
    assert [m.recipients for m in smtp.mails] == [[EMAIL]]


async def test_account_events_are_queued_for_the_email_worker_only(
    app: FastAPI,
    client: AsyncClient,
    event_settings: Settings,
    pipeline_engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await user_with_password(app, EMAIL)
    assert (await client.post(RESET, json={"email": EMAIL})).status_code == 202
    transport = transport_for(event_settings, pipeline_engine)
    try:
        assert (await relay_pending_events(sessions, transport))[0] == 1
    finally:
        await transport.close()
    if event_settings.amqp_url:
        connection = await aio_pika.connect(event_settings.amqp_url)
        try:
            channel = await connection.channel()
            counts = {}
            for worker in WorkerType:
                queue = await channel.declare_queue(worker_queue(worker), passive=True)
                counts[str(worker)] = queue.declaration_result.message_count
        finally:
            await connection.close()
        assert counts == {"email": 1, "webhook": 0, "inventory": 0}
    else:
        async with sessions() as session:
            workers = (await session.scalars(select(QueueMessage.worker))).all()
        assert workers == ["email"]


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_a_failed_send_is_retried_like_any_delivery(
    pipeline: Pipeline,
    app: FastAPI,
    client: AsyncClient,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    smtp.collector.failures_left = 1
    await user_with_password(app, EMAIL)
    assert (await client.post(RESET, json={"email": EMAIL})).status_code == 202
    [mail] = await mails_to(smtp, EMAIL, 1)
    assert token_in(mail)
    async with sessions() as session:
        statuses = (
            await session.scalars(
                select(Delivery.status)
                .where(Delivery.event_type == EVENT_TYPE)
                .order_by(Delivery.attempt)
            )
        ).all()
    assert list(statuses) == ["failed", "succeeded"]


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_an_unknown_or_inactive_address_is_answered_alike_and_gets_no_mail(
    pipeline: Pipeline,
    app: FastAPI,
    client: AsyncClient,
    admin: Actor,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    inactive = await user_with_password(app, "gone@example.test")
    deactivated = await client.patch(
        f"/api/v1/users/{inactive.id}", json={"is_active": False}, headers=admin.headers
    )
    assert deactivated.status_code == 200, deactivated.text
    await user_with_password(app, EMAIL)

    answers = [
        await client.post(RESET, json={"email": address})
        for address in ("nobody@example.test", "gone@example.test", "not even an address", EMAIL)
    ]
    assert {a.status_code for a in answers} == {202}
    assert len({a.text for a in answers}) == 1, "the same body for all"
    await mails_to(smtp, EMAIL, 1)
    assert await reset_events(sessions) == 1
    assert [m.recipients for m in smtp.mails] == [[EMAIL]]


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_a_second_request_invalidates_the_first_link(
    pipeline: Pipeline, app: FastAPI, client: AsyncClient, smtp: SmtpServer
) -> None:
    await user_with_password(app, EMAIL)
    assert (await client.post(RESET, json={"email": EMAIL})).status_code == 202
    [first] = await mails_to(smtp, EMAIL, 1)
    assert (await client.post(RESET, json={"email": EMAIL})).status_code == 202
    second = (await mails_to(smtp, EMAIL, 2))[1]

    stale = await client.post(CONFIRM, json={"token": token_in(first), "password": NEW_PASSWORD})
    assert stale.status_code == 400
    assert stale.json()["type"] == "urn:oms:problem:invalid-reset-token"
    fresh = await client.post(CONFIRM, json={"token": token_in(second), "password": NEW_PASSWORD})
    assert fresh.status_code == 204
    assert (await login(client, EMAIL, NEW_PASSWORD)).status_code == 200


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_an_expired_link_is_refused(
    pipeline: Pipeline,
    app: FastAPI,
    client: AsyncClient,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await user_with_password(app, EMAIL)
    assert (await client.post(RESET, json={"email": EMAIL})).status_code == 202
    [mail] = await mails_to(smtp, EMAIL, 1)
    async with sessions() as session, session.begin():
        await session.execute(
            update(PasswordResetToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    expired = await client.post(CONFIRM, json={"token": token_in(mail), "password": NEW_PASSWORD})
    assert expired.status_code == 400
    assert expired.json()["type"] == "urn:oms:problem:invalid-reset-token"
    assert (await login(client, EMAIL, PASSWORD)).status_code == 200


async def test_the_mail_template_is_editable_and_previewed(
    client: AsyncClient, admin: Actor
) -> None:
    url = "/api/v1/email-templates/password_reset"
    shipped = await client.get(url, headers=admin.headers)
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["shipped"] is True
    listed = await client.get("/api/v1/email-templates", headers=admin.headers)
    assert "password_reset" in {t["key"] for t in listed.json()}
    preview = await client.post(f"{url}/preview", headers=admin.headers)
    assert preview.status_code == 200, preview.text
    assert "/reset-password?token=" in preview.json()["text"]
    edited = await client.put(
        url,
        json={
            "subject": "New password for {{ email }}",
            "html": "<a href='{{ reset_url }}'>go</a>",
            "text": "{{ reset_url }}",
        },
        headers={**admin.headers, "If-Match": "*"},
    )
    assert edited.status_code == 200, edited.text
    refused = await client.put(
        url,
        json={"subject": "{{ order.number }}", "html": "x", "text": "x"},
        headers=admin.headers,
    )
    assert refused.status_code == 400, "an account template has no order"


async def test_the_confirmation_checks_the_password_like_everywhere_else(
    client: AsyncClient,
) -> None:
    weak = await client.post(CONFIRM, json={"token": "whatever", "password": "short"})
    assert weak.status_code == 400
    assert [e["field"] for e in weak.json()["errors"]] == ["password"]
    unknown = await client.post(CONFIRM, json={"token": "x" * 43, "password": NEW_PASSWORD})
    assert unknown.status_code == 400
    assert unknown.json()["type"] == "urn:oms:problem:invalid-reset-token"
    for body in (
        {},
        {"token": "", "password": NEW_PASSWORD},
        {"token": "t" * 201, "password": NEW_PASSWORD},
    ):
        assert (await client.post(CONFIRM, json=body)).status_code == 400
