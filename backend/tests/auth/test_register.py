"""Self-registration: always a customer, switchable, with sane email and password rules."""

from fastapi import FastAPI
from httpx import AsyncClient

from tests.auth.conftest import AppFactory, client_from
from tests.auth.helpers import ME, PASSWORD, REGISTER, bearer, tokens


async def test_registration_creates_a_customer_who_can_sign_in(client: AsyncClient) -> None:
    response = await client.post(
        REGISTER,
        json={"email": "  New.Person@Example.COM ", "password": PASSWORD, "full_name": " Nia "},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.person@example.com"
    assert body["full_name"] == "Nia"
    assert body["roles"] == ["customer"]
    assert body["is_active"] is True
    assert "password" not in str(body).lower()
    access = (await tokens(client, "NEW.person@example.com"))["access_token"]
    assert (await client.get(ME, headers=bearer(access))).json()["id"] == body["id"]


async def test_callers_cannot_choose_their_roles(client: AsyncClient) -> None:
    response = await client.post(
        REGISTER,
        json={"email": "sneaky@example.com", "password": PASSWORD, "roles": ["admin"]},
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "roles"


async def test_a_taken_email_is_409_whatever_its_case(app: FastAPI, client: AsyncClient) -> None:
    first = await client.post(REGISTER, json={"email": "ada@example.com", "password": PASSWORD})
    second = await client.post(REGISTER, json={"email": "ADA@example.com", "password": PASSWORD})

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["type"] == "urn:oms:problem:email-taken"


async def test_short_passwords_and_bad_emails_are_400(client: AsyncClient) -> None:
    short = await client.post(REGISTER, json={"email": "a@example.com", "password": "short"})
    bad_email = await client.post(REGISTER, json={"email": "not-an-email", "password": PASSWORD})

    assert short.status_code == 400
    assert short.json()["errors"][0]["field"] == "password"
    assert bad_email.status_code == 400
    assert bad_email.json()["errors"][0]["field"] == "email"


async def test_registration_can_be_switched_off(app_with: AppFactory) -> None:
    async with app_with(registration_enabled=False) as app, client_from(app, "10.0.0.1") as client:
        response = await client.post(
            REGISTER, json={"email": "a@example.com", "password": PASSWORD}
        )

    assert response.status_code == 403
    assert response.json()["type"] == "urn:oms:problem:registration-disabled"
