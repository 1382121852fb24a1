"""Signing in through a real OpenID provider (oidc-provider, configured like the Keycloak
realm): the authorization code flow with PKCE on the provider's own login page, then OMS,
a separate process trusting that provider over plain HTTP on the loopback, accepts the
access token with the roles the provider states."""

from collections.abc import Iterator

import httpx
import pytest

from tests.oidc.conftest import ADMIN, ADMIN_REDIRECT, CUSTOMER, CUSTOMER_REDIRECT, OidcSetup
from tests.oidc_provider import Pkce, authorization_code, discovery, exchange_code, submit_login


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def sign_in(
    http: httpx.Client, issuer: str, client_id: str, redirect: str, email: str, password: str
) -> str:
    pkce = Pkce.new()
    code = authorization_code(
        http,
        issuer,
        client_id=client_id,
        redirect_uri=redirect,
        email=email,
        password=password,
        pkce=pkce,
    )
    response = exchange_code(
        http, issuer, client_id=client_id, redirect_uri=redirect, code=code, verifier=pkce.verifier
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.mark.timeout(120)
def test_a_customer_signs_in_on_the_providers_page_and_oms_knows_their_roles(
    oidc: OidcSetup, http: httpx.Client
) -> None:
    token = sign_in(
        http, oidc.issuer, "oms-customer", CUSTOMER_REDIRECT, CUSTOMER.email, CUSTOMER.password
    )
    headers = {"Authorization": f"Bearer {token}"}
    me = http.get(f"{oidc.api}/api/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == CUSTOMER.email
    assert me.json()["full_name"] == CUSTOMER.name
    assert me.json()["roles"] == ["customer"]
    assert me.json()["external_subject"] == CUSTOMER.sub
    staff_only = http.get(f"{oidc.api}/api/v1/users", headers=headers)
    assert staff_only.status_code == 403
    assert staff_only.headers["content-type"] == "application/problem+json"


@pytest.mark.timeout(120)
def test_an_admin_signs_in_through_the_admin_client(oidc: OidcSetup, http: httpx.Client) -> None:
    token = sign_in(http, oidc.issuer, "oms-admin", ADMIN_REDIRECT, ADMIN.email, ADMIN.password)
    users = http.get(f"{oidc.api}/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert users.status_code == 200, users.text


@pytest.mark.timeout(120)
def test_the_client_config_names_the_issuer_and_the_apps_client(
    oidc: OidcSetup, http: httpx.Client
) -> None:
    customer = http.get(f"{oidc.api}/api/v1/auth/client-config")
    assert customer.status_code == 200
    assert customer.headers["cache-control"] == "no-cache"
    assert customer.json() == {
        "mode": "oidc",
        "registration_enabled": False,
        "password_reset_enabled": False,
        "oidc": {
            "issuer": oidc.issuer,
            "client_id": "oms-customer",
            "scope": "openid profile email",
        },
    }
    admin = http.get(f"{oidc.api}/api/v1/auth/client-config", params={"app": "admin"})
    assert admin.json()["oidc"]["client_id"] == "oms-admin"
    # What the app is told is what the provider announces.
    assert discovery(customer.json()["oidc"]["issuer"])["issuer"] == oidc.issuer
    # OMS's own sign-in is off.
    session = http.post(f"{oidc.api}/api/v1/auth/session", json={"email": "a@b.c", "password": "x"})
    assert session.status_code == 404


@pytest.mark.timeout(60)
def test_the_provider_requires_pkce_and_checks_the_verifier(
    issuer: str, http: httpx.Client
) -> None:
    document = discovery(issuer)
    without_pkce = http.get(
        str(document["authorization_endpoint"]),
        params={
            "client_id": "oms-customer",
            "response_type": "code",
            "redirect_uri": CUSTOMER_REDIRECT,
            "scope": "openid",
            "state": "s",
        },
    )
    assert without_pkce.is_redirect
    assert "error=invalid_request" in without_pkce.headers["location"]

    pkce = Pkce.new()
    code = authorization_code(
        http,
        issuer,
        client_id="oms-customer",
        redirect_uri=CUSTOMER_REDIRECT,
        email=CUSTOMER.email,
        password=CUSTOMER.password,
        pkce=pkce,
    )
    wrong = exchange_code(
        http,
        issuer,
        client_id="oms-customer",
        redirect_uri=CUSTOMER_REDIRECT,
        code=code,
        verifier=Pkce.new().verifier,
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"


@pytest.mark.timeout(60)
def test_a_wrong_password_keeps_the_user_on_the_login_page(issuer: str, http: httpx.Client) -> None:
    page = submit_login(
        http,
        issuer,
        client_id="oms-customer",
        redirect_uri=CUSTOMER_REDIRECT,
        email=CUSTOMER.email,
        password="not the passphrase",
        pkce=Pkce.new(),
    )
    assert page.status_code == 200
    assert "location" not in page.headers
    assert "Invalid email or password." in page.text
