"""OIDC mode against a real discovery/JWKS server on 127.0.0.1 and Keycloak-shaped tokens."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth.oidc import REQUIRED_CLAIMS
from oms.core.settings import Settings
from tests.auth.conftest import AppFactory, client_from
from tests.auth.forge import attacks, stranger_key
from tests.auth.helpers import (
    ME,
    PASSWORD,
    USERS,
    bearer,
    seconds_until_refused,
    user_with_password,
)
from tests.auth.openid_provider import CERTS_PATH, DISCOVERY_PATH, OpenIdProvider, openid_provider

OidcApp = Callable[..., AbstractAsyncContextManager[tuple[FastAPI, AsyncClient]]]
REALM_FILE = Path(__file__).resolve().parents[3] / "deploy" / "keycloak" / "realm-oms.json"


@pytest.fixture
def provider() -> Iterator[OpenIdProvider]:
    with openid_provider() as running:
        yield running


@pytest.fixture
def oidc(app_with: AppFactory, provider: OpenIdProvider) -> OidcApp:
    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[tuple[FastAPI, AsyncClient]]:
        settings = {
            "auth_mode": "oidc",
            "oidc_issuer": provider.issuer,
            "oidc_audience": "oms-api",
            "oidc_jwks_min_refresh_interval": 60.0,
            "oidc_user_cache_ttl": 60.0,
            **overrides,
        }
        async with app_with(**settings) as app, client_from(app, "127.0.0.1") as client:
            yield app, client

    return start


async def _users(engine: AsyncEngine) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT id, email, full_name, roles, external_subject, is_active"
                " FROM users ORDER BY created_at"
            )
        )
        return [dict(row._mapping) for row in rows]


async def test_a_keycloak_access_token_is_accepted_and_maps_to_an_oms_user(
    oidc: OidcApp, provider: OpenIdProvider, engine: AsyncEngine
) -> None:
    async with oidc() as (_, client):
        response = await client.get(ME, headers=bearer(provider.token()))

    assert response.status_code == 200, response.text
    me = response.json()
    [row] = await _users(engine)
    assert me["id"] == str(row["id"]), "Principal.user_id is the OMS user id, not the subject"
    assert row["external_subject"] == "0b6f5c1e-6a4f-4d8e-9a51-2f0c3d4e5a6b"
    assert row["email"] == "ada@example.com"
    assert row["full_name"] == "Ada Admin"
    # Keycloak's own realm roles (default-roles-oms, offline_access, ...) are not OMS roles.
    assert row["roles"] == ["admin"]
    assert me["roles"] == ["admin"]


@pytest.mark.parametrize(
    ("roles", "users_status"), [(["admin"], 200), (["manager"], 403), (["customer"], 403)]
)
async def test_realm_roles_decide_the_permissions(
    oidc: OidcApp, provider: OpenIdProvider, roles: list[str], users_status: int
) -> None:
    token = provider.token(provider.claims(roles=roles))
    async with oidc() as (_, client):
        users = await client.get(USERS, headers=bearer(token))
        me = await client.get(ME, headers=bearer(token))

    assert users.status_code == users_status
    assert me.json()["roles"] == roles


async def test_the_roles_claim_path_is_configurable_for_entra_id(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    claims = provider.claims(roles=[])
    del claims["realm_access"]
    claims["roles"] = ["manager", "Some.App.Role"]
    async with oidc(oidc_roles_claim="roles") as (_, client):
        me = await client.get(ME, headers=bearer(provider.token(claims)))

    assert me.json()["roles"] == ["manager"]


async def test_a_user_seen_again_is_not_rewritten_while_cached(
    oidc: OidcApp, provider: OpenIdProvider, engine: AsyncEngine
) -> None:
    async with oidc() as (_, client):
        await client.get(ME, headers=bearer(provider.token()))
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE users SET full_name = 'edited in the database'"))
        again = await client.get(ME, headers=bearer(provider.token()))

    assert again.status_code == 200
    [row] = await _users(engine)
    assert row["full_name"] == "edited in the database", "the second request wrote anyway"


async def test_changed_claims_update_the_user_row(
    oidc: OidcApp, provider: OpenIdProvider, engine: AsyncEngine
) -> None:
    async with oidc() as (_, client):
        await client.get(ME, headers=bearer(provider.token()))
        changed = provider.claims(roles=["manager"], name="Ada Lovelace", email="ada@example.org")
        response = await client.get(ME, headers=bearer(provider.token(changed)))

    assert response.json()["roles"] == ["manager"]
    [row] = await _users(engine)
    assert (row["full_name"], row["email"], row["roles"]) == (
        "Ada Lovelace",
        "ada@example.org",
        ["manager"],
    )


async def test_first_sight_from_many_requests_at_once_makes_one_user(
    oidc: OidcApp, provider: OpenIdProvider, engine: AsyncEngine
) -> None:
    async with oidc() as (_, client):
        token = provider.token()
        answers = await asyncio.gather(*(client.get(ME, headers=bearer(token)) for _ in range(5)))

    assert [answer.status_code for answer in answers] == [200] * 5
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert len(await _users(engine)) == 1
    assert provider.requests[CERTS_PATH] == 1, "concurrent first requests share one fetch"


async def test_concurrent_unknown_kids_share_one_fetch(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    async with oidc(oidc_jwks_min_refresh_interval=0.0) as (_, client):
        assert (await client.get(ME, headers=bearer(provider.token()))).status_code == 200
        provider.rotate()
        token = provider.token()
        answers = await asyncio.gather(*(client.get(ME, headers=bearer(token)) for _ in range(8)))

    assert [answer.status_code for answer in answers] == [200] * 8
    assert provider.requests[CERTS_PATH] == 2


async def test_a_verified_email_links_an_existing_local_user(
    oidc: OidcApp, provider: OpenIdProvider, engine: AsyncEngine
) -> None:
    async with oidc() as (app, client):
        local = await user_with_password(app, "ada@example.com")
        linked = await client.get(ME, headers=bearer(provider.token()))
        unverified = provider.claims(
            subject="9d0c1a2b-0000-4000-8000-000000000001",
            email="ada@example.com",
            email_verified=False,
        )
        separate = await client.get(ME, headers=bearer(provider.token(unverified)))

    assert linked.json()["id"] == str(local.id)
    assert separate.status_code == 200
    assert separate.json()["id"] != str(local.id)
    assert separate.json()["email"].endswith("@external.invalid")


async def test_a_deactivated_user_is_refused(
    oidc: OidcApp, provider: OpenIdProvider, engine: AsyncEngine
) -> None:
    async with oidc(oidc_user_cache_ttl=0.0) as (_, client):
        assert (await client.get(ME, headers=bearer(provider.token()))).status_code == 200
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE users SET is_active = false"))
        response = await client.get(ME, headers=bearer(provider.token()))

    assert response.status_code == 401


async def test_a_user_deactivated_in_oms_is_refused_within_a_second_despite_the_caches(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    staff_claims = provider.claims(subject="staff", roles=["admin"], email="staff@example.com")
    staff = bearer(provider.token(staff_claims))
    shopper = bearer(provider.token(provider.claims(roles=["customer"])))
    async with oidc(oidc_user_cache_ttl=60.0, user_state_cache_ttl=3600.0) as (_, client):
        shopper_id = (await client.get(ME, headers=shopper)).json()["id"]

        change = await client.patch(
            f"{USERS}/{shopper_id}", headers=staff, json={"is_active": False}
        )

        assert change.status_code == 200
        assert await seconds_until_refused(client, ME, shopper) < 1.0
        assert (await client.get(ME, headers=staff)).status_code == 200


async def test_a_rotated_key_is_fetched_on_its_first_unknown_kid(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    async with oidc(oidc_jwks_min_refresh_interval=0.0) as (_, client):
        assert (await client.get(ME, headers=bearer(provider.token()))).status_code == 200
        provider.rotate()
        rotated = await client.get(ME, headers=bearer(provider.token()))
        again = await client.get(ME, headers=bearer(provider.token()))

    assert rotated.status_code == again.status_code == 200
    assert provider.requests[CERTS_PATH] == 2
    assert provider.requests[DISCOVERY_PATH] == 2


async def test_unknown_kids_refetch_the_keys_at_most_once_per_interval(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    async with oidc(oidc_jwks_min_refresh_interval=60.0) as (_, client):
        assert (await client.get(ME, headers=bearer(provider.token()))).status_code == 200
        provider.rotate()
        answers = [await client.get(ME, headers=bearer(provider.token())) for _ in range(5)]

    assert [answer.status_code for answer in answers] == [401] * 5
    assert provider.requests[CERTS_PATH] == 1


async def test_an_unreachable_provider_is_503_then_recovers(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    provider.broken = True
    async with oidc(oidc_jwks_min_refresh_interval=0.0) as (_, client):
        down = await client.get(ME, headers=bearer(provider.token()))
        provider.broken = False
        up = await client.get(ME, headers=bearer(provider.token()))

    assert down.status_code == 503
    assert down.json()["type"] == "urn:oms:problem:identity-provider-unavailable"
    assert down.headers["retry-after"] == "1"  # the keys may be fetched again at once
    assert up.status_code == 200


async def test_a_discovery_document_naming_another_issuer_is_not_trusted(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    provider.discovery_issuer = "https://evil.example.com/realms/oms"
    async with oidc() as (_, client):
        response = await client.get(ME, headers=bearer(provider.token()))

    assert response.status_code == 503


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/auth/token"),
        ("POST", "/api/v1/auth/refresh"),
        ("POST", "/api/v1/auth/logout"),
        ("POST", "/api/v1/auth/register"),
        ("GET", "/.well-known/jwks.json"),
    ],
)
async def test_the_built_in_provider_answers_404(oidc: OidcApp, method: str, path: str) -> None:
    async with oidc() as (_, client):
        response = await client.request(
            method, path, json={"email": "a@example.com", "password": PASSWORD}
        )

    assert response.status_code == 404


OIDC_ATTACKS = sorted(attacks(stranger_key(), "k", {"sub": "s"}, REQUIRED_CLAIMS))


@pytest.mark.parametrize("attack", OIDC_ATTACKS)
async def test_a_forged_or_broken_provider_token_is_401(
    oidc: OidcApp, provider: OpenIdProvider, attack: str
) -> None:
    claims = provider.claims(roles=["customer"])
    forged = attacks(provider.key, provider.current_kid, claims, REQUIRED_CLAIMS)
    async with oidc() as (_, client):
        baseline = await client.get(ME, headers=bearer(provider.token(claims)))
        response = await client.get(ME, headers=bearer(forged[attack]))

    assert baseline.status_code == 200
    assert response.status_code == 401, attack
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("subject", ["", "s" * 256, 12345])
async def test_a_subject_oms_cannot_store_is_401(
    oidc: OidcApp, provider: OpenIdProvider, subject: object
) -> None:
    async with oidc() as (_, client):
        response = await client.get(
            ME, headers=bearer(provider.token(provider.claims(sub=subject)))
        )

    assert response.status_code == 401


async def test_overlong_emails_and_names_are_not_stored_as_given(
    oidc: OidcApp, provider: OpenIdProvider, engine: AsyncEngine
) -> None:
    claims = provider.claims(email="a" * 320 + "@example.com", name="N" * 300)
    async with oidc() as (_, client):
        response = await client.get(ME, headers=bearer(provider.token(claims)))

    assert response.status_code == 200
    [row] = await _users(engine)
    assert row["email"].endswith("@external.invalid")
    assert row["full_name"] == "N" * 200


async def test_an_id_token_for_the_spa_is_not_an_access_token_for_the_api(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    id_token = provider.claims(typ="ID", aud="oms-admin", nonce="n-0S6_WzA2Mj")
    # Even when a misconfigured mapper puts the API audience into ID tokens.
    id_token_for_api = provider.claims(typ="ID", aud=["oms-admin", "oms-api"])
    async with oidc() as (_, client):
        response = await client.get(ME, headers=bearer(provider.token(id_token)))
        widened = await client.get(ME, headers=bearer(provider.token(id_token_for_api)))

    assert response.status_code == widened.status_code == 401


async def test_passwords_of_provider_users_cannot_be_changed_in_oms(
    oidc: OidcApp, provider: OpenIdProvider
) -> None:
    async with oidc() as (_, client):
        response = await client.patch(
            ME,
            headers=bearer(provider.token()),
            json={"current_password": "whatever", "new_password": "a long new password"},
        )

    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:managed-by-identity-provider"


def test_the_realm_export_has_roles_clients_and_the_api_audience() -> None:
    realm = json.loads(REALM_FILE.read_text())

    assert realm["realm"] == "oms"
    realm_roles = {role["name"]: role for role in realm["roles"]["realm"]}
    assert {"admin", "manager", "customer"} <= set(realm_roles)
    default_role = realm_roles[realm["defaultRole"]["name"]]
    assert "customer" in default_role["composites"]["realm"], "sign-ups must become customers"
    assert "admin" not in default_role["composites"]["realm"]
    clients = {client["clientId"]: client for client in realm["clients"]}
    for client_id in ("oms-admin", "oms-customer"):
        client = clients[client_id]
        assert client["publicClient"] is True
        assert client["standardFlowEnabled"] is True
        assert client["implicitFlowEnabled"] is False
        assert client["directAccessGrantsEnabled"] is False
        assert client["attributes"]["pkce.code.challenge.method"] == "S256"
        mappers = client.get("protocolMappers", [])
        audience = [m for m in mappers if m["protocolMapper"] == "oidc-audience-mapper"]
        assert audience, f"{client_id} has no audience mapper"
        assert audience[0]["config"]["included.custom.audience"] == "oms-api"
        assert audience[0]["config"]["access.token.claim"] == "true"
    assert realm["clients"], "no clients"
    assert clients["oms-api"]["bearerOnly"] is True


def test_oidc_mode_without_an_issuer_is_a_named_setting_error() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, auth_mode="oidc")

    assert raised.value.errors()[0]["loc"] == ("oidc_issuer",)
