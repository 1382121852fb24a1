"""Pure pieces of the event pipeline: the event contract, the outbound guard, SMTP URLs,
triggers and templates."""

import asyncio
import ipaddress
import json
import uuid
from dataclasses import astuple
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from oms.core.database_url import async_url
from oms.integrations.actions.email import template_name, template_variables
from oms.integrations.dispatcher import triggered_by
from oms.integrations.email_templates import TemplateParts, render, shipped
from oms.integrations.http import (
    TargetRefused,
    address_allowed,
    parse_networks,
    post_json,
    resolve_checked,
)
from oms.integrations.mailer import parse_smtp_url
from oms.integrations.models import WorkerConfiguration
from oms.outbox import service as outbox
from oms.outbox.notifications import Listener
from tests.events.conftest import ACTOR, snapshot, status_changed
from tests.events.services import HttpReceiver


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - an address under test, nothing binds to it
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_internal_addresses_are_refused(address: str) -> None:
    assert not address_allowed(ipaddress.ip_address(address), [])


def test_public_addresses_pass_and_allowed_networks_open_internal_ones() -> None:
    assert address_allowed(ipaddress.ip_address("93.184.216.34"), [])
    assert address_allowed(ipaddress.ip_address("2606:4700::1111"), [])
    allowed = parse_networks(["10.0.0.0/8", "127.0.0.0/8"])
    assert address_allowed(ipaddress.ip_address("10.9.8.7"), allowed)
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), allowed)
    assert not address_allowed(ipaddress.ip_address("169.254.169.254"), allowed)


async def test_a_name_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(TargetRefused, match="internal address"):
        await resolve_checked("localhost", 80, [])


async def test_an_unresolvable_name_is_refused() -> None:
    with pytest.raises(TargetRefused, match="cannot resolve"):
        await resolve_checked("no-such-host.invalid", 80, [])


async def test_posting_to_a_refused_target_sends_nothing(receiver: HttpReceiver) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(TargetRefused):
            await post_json(client, receiver.url(), b"{}", {}, timeout_seconds=2, allowed=[])
        with pytest.raises(TargetRefused, match="http and https"):
            await post_json(client, "file:///etc/passwd", b"{}", {}, timeout_seconds=2, allowed=[])
        result = await post_json(
            client,
            f"http://localhost:{receiver.port}/via-name",
            b"{}",
            {},
            timeout_seconds=2,
            allowed=parse_networks(["127.0.0.0/8", "::1/128"]),
        )
    assert result.status_code == 200
    assert [request.path for request in receiver.requests] == ["/via-name"]
    assert receiver.requests[0].headers["host"] == f"localhost:{receiver.port}"


async def test_redirects_are_not_followed(receiver: HttpReceiver) -> None:
    receiver.script = [302]
    async with httpx.AsyncClient() as client:
        result = await post_json(
            client,
            receiver.url(),
            b"{}",
            {},
            timeout_seconds=2,
            allowed=parse_networks(["127.0.0.0/8"]),
        )
    assert result.status_code == 302
    assert len(receiver.requests) == 1


def test_smtp_urls() -> None:
    plain = parse_smtp_url("smtp://mail.example.com")
    assert (plain.host, plain.port, plain.use_tls, plain.start_tls) == (
        "mail.example.com",
        25,
        False,
        False,
    )
    starttls = parse_smtp_url("smtp://us%40er:p%3Ass@mail.example.com?starttls=true")
    assert (starttls.port, starttls.start_tls, starttls.username, starttls.password) == (
        587,
        True,
        "us@er",
        "p:ss",
    )
    tls = parse_smtp_url("smtps://mail.example.com:2465")
    assert (tls.port, tls.use_tls, tls.start_tls) == (2465, True, False)
    with pytest.raises(ValueError, match="smtp"):
        parse_smtp_url("http://mail.example.com")


def _created(status: str = "pending") -> outbox.OrderCreatedEvent:
    return outbox.OrderCreatedEvent(
        id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        order_id=uuid.uuid4(),
        data=outbox.OrderCreatedData(order=snapshot(uuid.uuid4(), status), actor=ACTOR),
    )


def _changed(old: str, new: str, **options: Any) -> outbox.OrderStatusChangedEvent:
    data = status_changed(uuid.uuid4(), old, new, **options)
    return outbox.OrderStatusChangedEvent(
        id=uuid.uuid4(), occurred_at=datetime.now(UTC), order_id=data.order.id, data=data
    )


def _configuration(events: list[str], statuses: list[str]) -> WorkerConfiguration:
    return WorkerConfiguration(
        id=uuid.uuid4(),
        worker_type="webhook",
        name="x",
        enabled=True,
        trigger_events=events,
        trigger_statuses=statuses,
        settings={},
    )


def test_triggers_match_event_type_and_the_status_after_the_event() -> None:
    shipped = _changed("paid", "shipped")
    created = _created("pending")
    assert triggered_by(_configuration([], []), shipped)
    assert triggered_by(_configuration(["order.status_changed"], ["shipped"]), shipped)
    assert not triggered_by(_configuration(["order.created"], []), shipped)
    assert not triggered_by(_configuration([], ["paid"]), shipped)
    assert triggered_by(_configuration([], ["pending"]), created)


def test_templates_follow_the_status_and_fall_back_to_a_generic_one() -> None:
    assert template_name(_created(), None, {}) == "order_created"
    assert template_name(_changed("confirmed", "shipped"), None, {}) == "shipped"
    odd = _changed("paid", "on_hold")
    assert template_name(odd, None, {}) == "status_changed"
    assert template_name(odd, "cancelled", {}) == "cancelled"
    edited = {"on_hold": TemplateParts("Held", "<p>Held</p>", "Held")}
    assert template_name(odd, None, edited) == "on_hold"


def test_a_shipped_subject_is_one_line() -> None:
    subjects = {key: parts.subject for key, parts in shipped().items()}
    assert subjects["delivered"] == "Your order {{ order.number }} was delivered"
    assert [key for key, subject in subjects.items() if "\n" in subject] == []


def test_html_is_escaped_and_branded_while_subject_and_text_are_not() -> None:
    brand = {
        "shop_name": "A & B <Shop>",
        "logo_url": "https://cdn.example.com/logo.png",
        "primary_colour": "#112233",
        "accent_colour": "#445566",
        "support_email": "help@ab.example",
        "footer_text": "A & B Ltd",
        "legal_links": [{"label": "Terms <1>", "url": "https://ab.example/terms"}],
    }
    event = _changed("paid", "on_hold", number="N<1>", note="<b>x</b>")
    subject, html, text = astuple(render("status_changed", template_variables(event, brand)))
    assert subject == "Your order N<1> is now On_hold"
    assert "A &amp; B &lt;Shop&gt;" in html
    assert "#112233" in html
    assert "https://cdn.example.com/logo.png" in html
    assert "N&lt;1&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "Kettle &lt;Deluxe&gt;" in html
    assert "39.98 EUR" in html
    assert 'href="mailto:help@ab.example"' in html
    assert "A &amp; B Ltd" in html
    assert '<a href="https://ab.example/terms">Terms &lt;1&gt;</a>' in html
    assert "A & B <Shop>" in text
    assert "Note: <b>x</b>" in text
    assert "changed from Paid to On_hold" in text


def test_every_published_field_of_an_event_survives_the_round_trip() -> None:
    event = _changed("confirmed", "shipped", note="left the warehouse")
    raw = json.loads(event.to_json())
    assert raw["version"] == outbox.ENVELOPE_VERSION
    assert outbox.parse_event(raw) == event


def test_an_event_of_another_shape_is_refused_by_the_contract() -> None:
    raw = json.loads(_created().to_json())
    for broken in (
        {**raw, "version": 1},
        {**raw, "type": "order.deleted"},
        {**raw, "data": {**raw["data"], "order": {**raw["data"]["order"], "status": "new"}}},
        {**raw, "data": {**raw["data"], "extra": 1}},
    ):
        with pytest.raises(ValidationError):
            outbox.parse_event(broken)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OMS_SMTP_URL", "http://mail.example.com"),
        ("OMS_AMQP_URL", "redis://localhost"),
        ("OMS_RETRY_DELAYS", "10,-1"),
        ("OMS_RETRY_DELAYS", "ten"),
        ("OMS_WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/33"),
    ],
)
def test_bad_event_settings_stop_oms_at_start(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oms.core.settings import Settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_event_settings_read_comma_separated_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    from oms.core.settings import Settings

    monkeypatch.setenv("OMS_RETRY_DELAYS", "0.2, 0.4,0.6")
    monkeypatch.setenv("OMS_WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/8,127.0.0.0/8")
    settings = Settings(_env_file=None)
    assert settings.retry_delays == [0.2, 0.4, 0.6]
    assert settings.webhook_allowed_networks == ["10.0.0.0/8", "127.0.0.0/8"]


async def test_a_listener_woken_as_it_is_cancelled_stops(database_url: str) -> None:
    """A wake-up in the same instant as a cancellation must not swallow it, or a stopped
    relay or worker would run on."""
    listener = Listener(make_url(async_url(database_url)), "oms_test")
    waiting = asyncio.create_task(listener.wait(30))
    await asyncio.sleep(0.5)  # listening, waiting for a wake-up
    listener.woken.set()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await listener.close()
