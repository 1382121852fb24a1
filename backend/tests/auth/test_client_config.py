"""`GET /api/v1/auth/client-config` in local mode (the OpenID Connect mode is tested against
a real provider in `tests/oidc/`)."""

from httpx import ASGITransport, AsyncClient

from tests.auth.conftest import AppFactory

URL = "/api/v1/auth/client-config"


async def test_local_mode_tells_the_app_to_use_its_own_forms(app_with: AppFactory) -> None:
    for registration in (True, False):
        async with app_with(registration_enabled=registration) as app:
            transport = ASGITransport(app=app, raise_app_exceptions=False)
            async with AsyncClient(transport=transport, base_url="http://testserver") as client:
                for params in ({}, {"app": "customer"}, {"app": "admin"}):
                    response = await client.get(URL, params=params)
                    assert response.status_code == 200
                    assert response.headers["cache-control"] == "no-cache"
                    assert response.json() == {
                        "mode": "local",
                        "registration_enabled": registration,
                        "password_reset_enabled": True,
                        "oidc": None,
                    }
                unknown = await client.get(URL, params={"app": "kiosk"})
    assert unknown.status_code == 400
    assert unknown.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in unknown.json()["errors"]] == ["app"]


async def test_oidc_mode_names_the_issuer_and_each_apps_client(app_with: AppFactory) -> None:
    issuer = "https://sso.example.com/realms/oms"
    async with app_with(
        auth_mode="oidc",
        oidc_issuer=issuer,
        oidc_customer_client_id="shop",
        oidc_admin_client_id="back-office",
    ) as app:
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as client:
            customer = (await client.get(URL)).json()
            admin = (await client.get(URL, params={"app": "admin"})).json()
    assert customer["mode"] == "oidc"
    assert customer["oidc"] == {
        "issuer": issuer,
        "client_id": "shop",
        "scope": "openid profile email",
    }
    assert admin["oidc"]["client_id"] == "back-office"
    assert (customer["registration_enabled"], customer["password_reset_enabled"]) == (False, False)
