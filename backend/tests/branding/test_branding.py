"""Branding as data: public reads with an ETag, admin writes guarded by If-Match."""

from typing import Any

import pytest
from httpx import AsyncClient

from tests.actors import Actor

BRANDING = "/api/v1/branding"
KETTLE = {
    "shop_name": "Kettle & Co",
    "primary_colour": "#112233",
    "accent_colour": "#445566",
    "support_email": "help@kettle.example",
    "currency": "CHF",
    "locale": "de-CH",
    "footer_text": "Kettle & Co AG, Bahnhofstr. 1, Zürich",
    "legal_links": [{"label": "Impressum", "url": "https://kettle.example/impressum"}],
}


async def _put(client: AsyncClient, admin: Actor, body: dict[str, Any]) -> Any:
    tag = (await client.get(BRANDING)).headers["ETag"]
    return await client.put(BRANDING, json=body, headers={**admin.headers, "If-Match": tag})


async def test_a_new_deployment_answers_the_defaults_to_anyone(client: AsyncClient) -> None:
    response = await client.get(BRANDING)

    assert response.status_code == 200
    body = response.json()
    assert (body["shop_name"], body["currency"], body["locale"]) == ("OMS", "EUR", "en")
    assert body["logo_url"] is None
    assert response.headers["ETag"] == '"0"'
    assert response.headers["Cache-Control"] == "no-cache"


async def test_an_admin_replaces_it_and_the_etag_moves(client: AsyncClient, admin: Actor) -> None:
    response = await _put(client, admin, KETTLE)

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"1"'
    read = (await client.get(BRANDING)).json()
    assert {key: read[key] for key in KETTLE} == {
        **KETTLE,
        "legal_links": [{"label": "Impressum", "url": "https://kettle.example/impressum"}],
    }
    assert read["version"] == 1


async def test_a_current_copy_is_revalidated_with_304(client: AsyncClient) -> None:
    tag = (await client.get(BRANDING)).headers["ETag"]

    response = await client.get(BRANDING, headers={"If-None-Match": tag})

    assert response.status_code == 304
    assert response.headers["ETag"] == tag


async def test_without_if_match_the_change_is_refused_with_428(
    client: AsyncClient, admin: Actor
) -> None:
    response = await client.put(BRANDING, json=KETTLE, headers=admin.headers)

    assert response.status_code == 428
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(BRANDING)).json()["shop_name"] == "OMS"


async def test_a_stale_if_match_is_412_with_the_current_etag(
    client: AsyncClient, admin: Actor
) -> None:
    stale = (await client.get(BRANDING)).headers["ETag"]
    assert (await _put(client, admin, KETTLE)).status_code == 200

    response = await client.put(
        BRANDING, json={**KETTLE, "shop_name": "Lost"}, headers={**admin.headers, "If-Match": stale}
    )

    assert response.status_code == 412
    assert response.headers["ETag"] == '"1"'
    assert (await client.get(BRANDING)).json()["shop_name"] == "Kettle & Co"


async def test_only_an_admin_may_change_it(
    client: AsyncClient, manager: Actor, customer: Actor
) -> None:
    assert (await client.put(BRANDING, json=KETTLE)).status_code == 401
    for actor in (manager, customer):
        response = await client.put(
            BRANDING, json=KETTLE, headers={**actor.headers, "If-Match": "*"}
        )
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("primary_colour", "red"),
        ("accent_colour", "#12345"),
        ("currency", "ABC"),
        ("currency", "eur"),
        ("locale", "xx-YY"),
        ("locale", "en-ZZ"),
        ("support_email", "not-an-address"),
        ("shop_name", ""),
        ("footer_text", "x" * 501),
        ("legal_links", [{"label": "Terms", "url": "javascript:alert(1)"}]),
        ("legal_links", [{"label": "Terms", "url": "https://e.example/"}] * 11),
    ],
)
async def test_bad_values_are_refused_naming_the_field(
    client: AsyncClient, admin: Actor, field: str, value: Any
) -> None:
    response = await _put(client, admin, {**KETTLE, field: value})

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {error["field"].split(".")[0] for error in response.json()["errors"]}
    assert (await client.get(BRANDING)).json()["version"] == 0


async def test_a_legal_link_is_kept_as_written_up_to_its_documented_length(
    client: AsyncClient, admin: Actor
) -> None:
    # A bare host is 2048 characters as sent; normalised (a `/` added) it would be 2049.
    longest = "http://" + "a" * (2048 - len("http://") - len(".com")) + ".com"
    links = [
        {"label": "Terms", "url": longest},
        {"label": "Imprint", "url": "HTTPS://Kettle.example"},
    ]

    response = await _put(client, admin, {**KETTLE, "legal_links": links})
    too_long = await _put(
        client, admin, {**KETTLE, "legal_links": [{"label": "Terms", "url": longest + "m"}]}
    )

    assert response.status_code == 200, response.text
    assert response.json()["legal_links"] == links
    assert too_long.status_code == 400
