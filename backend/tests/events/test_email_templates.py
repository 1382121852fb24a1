"""Email templates are data: edited through the API, checked in Jinja2's sandbox against a
sample order before they are kept, previewed, and sent as branded multipart mail."""

import time
import uuid
from email.message import Message
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.pipeline import Pipeline
from tests.actors import Actor
from tests.events.conftest import record_status
from tests.events.services import SmtpServer, eventually
from tests.events.test_pipeline import create_configuration

TEMPLATES = "/api/v1/email-templates"
SHIPPED = {
    "subject": "{{ brand.shop_name }}: {{ order.number }} is on its way",
    "html": '{% extends "base.html.j2" %}{% block heading %}On its way{% endblock %}'
    "{% block body %}<p>Hello {{ order.customer.name }}, {{ note }}</p>{% endblock %}",
    "text": "Hello {{ order.customer.name }},\n{{ order.number }} is on its way.",
}


async def _put(
    client: AsyncClient, admin: Actor, key: str, body: dict[str, Any], **headers: str
) -> Any:
    return await client.put(f"{TEMPLATES}/{key}", json=body, headers={**admin.headers, **headers})


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)
async def test_an_edited_template_is_what_the_customer_receives_as_branded_multipart_mail(
    pipeline: Pipeline,
    client: AsyncClient,
    admin: Actor,
    smtp: SmtpServer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    current = await client.get("/api/v1/branding")
    brand = {
        "shop_name": "Teapot & Co",
        "primary_colour": "#7a1f3d",
        "accent_colour": "#445566",
        "currency": "EUR",
        "locale": "en-GB",
    }
    headers = {**admin.headers, "If-Match": current.headers["ETag"]}
    assert (await client.put("/api/v1/branding", json=brand, headers=headers)).status_code == 200
    saved = await _put(client, admin, "shipped", SHIPPED)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["edited"], saved.json()["version"]) == (True, 1)
    await create_configuration(
        client,
        admin,
        {
            "worker_type": "email",
            "name": "Customers",
            "trigger_statuses": ["shipped"],
            "settings": {"send_to_customer": True},
        },
    )

    await record_status(sessions, uuid.uuid4(), "confirmed", "shipped", note="<b>enjoy</b>")

    async def arrived() -> bool:
        return len(smtp.mails) == 1

    await eventually(arrived)
    message = smtp.mails[0].message
    assert message["Subject"] == "Teapot & Co: OMS-001001 is on its way"
    assert message.is_multipart()
    parts = {p.get_content_type(): _decoded(p) for p in message.walk() if not p.is_multipart()}
    assert "Hello B. Uyer, &lt;b&gt;enjoy&lt;/b&gt;" in parts["text/html"]
    assert "#7a1f3d" in parts["text/html"]  # the shipped layout, in the shop's colour
    assert parts["text/plain"].splitlines()[:2] == ["Hello B. Uyer,", "OMS-001001 is on its way."]


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def test_the_shipped_templates_are_listed_as_defaults(
    client: AsyncClient, manager: Actor
) -> None:
    response = await client.get(TEMPLATES, headers=manager.headers)

    assert response.status_code == 200
    keys = [template["key"] for template in response.json()]
    assert keys == [
        "cancelled",
        "confirmed",
        "delivered",
        "order_created",
        "password_reset",
        "shipped",
        "status_changed",
    ]
    one = await client.get(f"{TEMPLATES}/shipped", headers=manager.headers)
    assert one.headers["ETag"] == '"0"'
    assert (one.json()["shipped"], one.json()["edited"]) == (True, False)
    assert "{{ order.number }}" in one.json()["subject"]


@pytest.mark.parametrize(
    ("part", "source", "line", "reason"),
    [
        ("subject", "{{ ''.__class__.__mro__[1].__subclasses__() }}", 1, "not allowed"),
        ("html", "<p>\n{{ cycler.__init__.__globals__.os }}</p>", 2, "not allowed"),
        ("text", "one\ntwo\n{% for x in %}", 3, "Expected an expression"),
        ("text", "{{ order.no_such_field }}", 1, "no attribute 'no_such_field'"),
        ("subject", "{{ 'x' * 1000000000 }}", 1, "not allowed"),
        ("html", "{{ 2 ** 10000000 }}", 1, "not allowed"),
        ("html", '{% include "/etc/passwd" %}', None, "no template"),
        ("text", "one\n{{ order.number | no_such_filter }}", 2, "No filter named"),
    ],
)
async def test_a_template_that_fails_or_reaches_out_is_refused_with_part_line_and_reason(
    client: AsyncClient, admin: Actor, part: str, source: str, line: int | None, reason: str
) -> None:
    response = await _put(client, admin, "shipped", {**SHIPPED, part: source})

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == part
    assert reason in error["message"]
    if line is not None:
        assert error["message"].startswith(f"line {line}: ")
    assert (await client.get(f"{TEMPLATES}/shipped", headers=admin.headers)).json()[
        "edited"
    ] is False


async def test_a_template_that_would_run_for_ever_is_stopped_and_refused(
    client: AsyncClient, admin: Actor
) -> None:
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()

    response = await _put(client, admin, "shipped", {**SHIPPED, "text": loops})

    assert response.status_code == 400
    assert "took more than 2 s" in response.json()["errors"][0]["message"]
    assert time.monotonic() - started < 10


async def test_a_preview_renders_the_template_or_a_draft_against_a_sample_order(
    client: AsyncClient, manager: Actor
) -> None:
    stored = await client.post(f"{TEMPLATES}/shipped/preview", headers=manager.headers)
    assert stored.status_code == 200, stored.text
    assert stored.json()["subject"] == "Your order TEST-000001 has shipped"
    assert "<!doctype html>" in stored.json()["html"]

    draft = await client.post(f"{TEMPLATES}/shipped/preview", json=SHIPPED, headers=manager.headers)
    assert draft.json()["subject"] == "OMS: TEST-000001 is on its way"
    assert draft.json()["text"].startswith("Hello Sample Customer,")
    assert (await client.get(f"{TEMPLATES}/shipped", headers=manager.headers)).json()[
        "edited"
    ] is False

    broken = await client.post(
        f"{TEMPLATES}/shipped/preview", json={**SHIPPED, "text": "{{"}, headers=manager.headers
    )
    assert broken.status_code == 400
    missing = await client.post(f"{TEMPLATES}/no_such_key/preview", headers=manager.headers)
    assert missing.status_code == 404


async def test_edits_are_guarded_by_if_match_and_reset_restores_the_default(
    client: AsyncClient, admin: Actor
) -> None:
    assert (await _put(client, admin, "shipped", SHIPPED)).status_code == 200
    stale = await _put(client, admin, "shipped", SHIPPED, **{"If-Match": '"0"'})
    assert stale.status_code == 412
    assert stale.headers["ETag"] == '"1"'
    fresh = await _put(client, admin, "shipped", SHIPPED, **{"If-Match": '"1"'})
    assert fresh.json()["version"] == 2

    reset = await client.delete(f"{TEMPLATES}/shipped", headers=admin.headers)
    assert reset.status_code == 204
    again = await client.get(f"{TEMPLATES}/shipped", headers=admin.headers)
    assert (again.json()["edited"], again.json()["version"]) == (False, 0)
    assert (await client.delete(f"{TEMPLATES}/shipped", headers=admin.headers)).status_code == 404


async def test_a_new_key_is_a_template_of_its_own_and_bad_keys_are_refused(
    client: AsyncClient, admin: Actor
) -> None:
    created = await _put(client, admin, "vip_shipped", SHIPPED)
    assert created.status_code == 200, created.text
    assert (created.json()["shipped"], created.json()["edited"]) == (False, True)
    reset = await client.delete(f"{TEMPLATES}/vip_shipped", headers=admin.headers)
    assert reset.status_code == 204
    assert (await client.get(f"{TEMPLATES}/vip_shipped", headers=admin.headers)).status_code == 404
    for key in ("Shipped", "x" * 51, "a-b"):
        assert (await _put(client, admin, key, SHIPPED)).status_code == 400


async def test_only_admins_edit_and_customers_see_nothing(
    client: AsyncClient, manager: Actor, customer: Actor
) -> None:
    assert (await _put(client, manager, "shipped", SHIPPED)).status_code == 403
    assert (await client.get(TEMPLATES, headers=customer.headers)).status_code == 403
    preview = await client.post(f"{TEMPLATES}/shipped/preview", headers=customer.headers)
    assert preview.status_code == 403
    assert (await client.get(TEMPLATES)).status_code == 401


DRAFT_BRAND = {
    "shop_name": "Draft & Daughters",
    "primary_colour": "#123456",
    "accent_colour": "#654321",
    "support_email": "help@draft.example",
    "currency": "CHF",
    "locale": "de-CH",
    "footer_text": "Draft & Daughters AG, Zürich",
    "legal_links": [{"label": "Impressum", "url": "https://draft.example/imp"}],
}


async def test_a_branding_preview_renders_the_template_with_a_draft_branding_not_saved(
    client: AsyncClient, admin: Actor
) -> None:
    before = (await client.get("/api/v1/branding")).json()

    preview = await client.post(
        f"{TEMPLATES}/order_created/branding-preview", json=DRAFT_BRAND, headers=admin.headers
    )

    assert preview.status_code == 200, preview.text
    html = preview.json()["html"]
    for shown in ("Draft &amp; Daughters", "#123456", "help@draft.example", "Zürich", "Impressum"):
        assert shown in html
    assert "CHF" in preview.json()["text"] or "CHF" in html
    assert (await client.get("/api/v1/branding")).json() == before


async def test_a_branding_preview_uses_the_edited_template_and_refuses_what_put_refuses(
    client: AsyncClient, admin: Actor, customer: Actor
) -> None:
    assert (await _put(client, admin, "shipped", SHIPPED)).status_code == 200
    edited = await client.post(
        f"{TEMPLATES}/shipped/branding-preview", json=DRAFT_BRAND, headers=admin.headers
    )
    assert edited.json()["subject"] == "Draft & Daughters: TEST-000001 is on its way"

    unknown_locale = await client.post(
        f"{TEMPLATES}/shipped/branding-preview",
        json={**DRAFT_BRAND, "locale": "en-ZZ"},
        headers=admin.headers,
    )
    assert unknown_locale.status_code == 400
    assert unknown_locale.json()["errors"][0]["field"] == "locale"
    bad_colour = await client.post(
        f"{TEMPLATES}/shipped/branding-preview",
        json={**DRAFT_BRAND, "primary_colour": "red"},
        headers=admin.headers,
    )
    assert bad_colour.status_code == 400
    missing = await client.post(
        f"{TEMPLATES}/no_such_key/branding-preview", json=DRAFT_BRAND, headers=admin.headers
    )
    assert missing.status_code == 404
    refused = await client.post(
        f"{TEMPLATES}/shipped/branding-preview", json=DRAFT_BRAND, headers=customer.headers
    )
    assert refused.status_code == 403


async def test_a_template_that_fails_with_the_draft_branding_names_its_part_and_line(
    client: AsyncClient, admin: Actor
) -> None:
    current = await client.get("/api/v1/branding")
    saved_brand = {**DRAFT_BRAND, "footer_text": "Saved footer"}
    headers = {**admin.headers, "If-Match": current.headers["ETag"]}
    saved = await client.put("/api/v1/branding", json=saved_brand, headers=headers)
    assert saved.status_code == 200
    needs_footer = {**SHIPPED, "text": "Hello\n{{ brand.footer_text.upper() }}"}
    assert (await _put(client, admin, "shipped", needs_footer)).status_code == 200
    without_footer = {key: value for key, value in DRAFT_BRAND.items() if key != "footer_text"}

    refused = await client.post(
        f"{TEMPLATES}/shipped/branding-preview", json=without_footer, headers=admin.headers
    )

    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["field"] == "text"
    assert error["message"].startswith("line 2:")
