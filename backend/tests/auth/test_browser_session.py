"""The browser's session: the refresh token only in an HttpOnly cookie, CSRF-guarded
refreshes and sign-out, over the real endpoints."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from oms.core.settings import Settings
from tests.auth.conftest import AppFactory
from tests.auth.helpers import ME, PASSWORD, TOKEN, bearer, user_with_password

SESSION = "/api/v1/auth/session"
REFRESH = "/api/v1/auth/session/refresh"
EMAIL = "cora@example.test"


def set_cookies(response: Response) -> dict[str, dict[str, str]]:
    """Each `Set-Cookie` of the answer: its value under "" and its attributes, lower-cased."""
    cookies: dict[str, dict[str, str]] = {}
    for header in response.headers.get_list("set-cookie"):
        pair, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        parsed = {"": value.strip('"')}
        for attribute in attributes:
            key, _, attribute_value = attribute.partition("=")
            parsed[key.lower()] = attribute_value
        cookies[name] = parsed
    return cookies


class Browser:
    """A client keeping the session's cookies by hand, so a test can also send old ones."""

    def __init__(self, http: AsyncClient) -> None:
        self.http = http
        self.refresh_token = ""
        self.csrf = ""

    def remember(self, response: Response) -> None:
        cookies = set_cookies(response)
        if "oms_refresh" in cookies:
            self.refresh_token = cookies["oms_refresh"][""]
        if "oms_csrf" in cookies:
            self.csrf = cookies["oms_csrf"][""]

    async def send(
        self,
        method: str,
        path: str,
        *,
        refresh_token: str | None = None,
        csrf_cookie: str | None = None,
        csrf_header: str | None = None,
        headers: dict[str, str] | None = None,
        **options: Any,
    ) -> Response:
        self.http.cookies.clear()
        jar = {
            "oms_refresh": self.refresh_token if refresh_token is None else refresh_token,
            "oms_csrf": self.csrf if csrf_cookie is None else csrf_cookie,
        }
        cookie = "; ".join(f"{name}={value}" for name, value in jar.items() if value)
        sent = dict(headers or {})
        if cookie:
            sent["Cookie"] = cookie
        token = self.csrf if csrf_header is None else csrf_header
        if token:
            sent["X-CSRF-Token"] = token
        response = await self.http.request(method, path, headers=sent, **options)
        self.http.cookies.clear()
        return response

    async def sign_in(
        self, email: str = EMAIL, password: str = PASSWORD, **options: Any
    ) -> Response:
        response = await self.send(
            "POST", SESSION, json={"email": email, "password": password}, **options
        )
        if response.status_code == 200:
            self.remember(response)
        return response

    async def refresh(self, **options: Any) -> Response:
        response = await self.send("POST", REFRESH, **options)
        if response.status_code == 200:
            self.remember(response)
        return response


@asynccontextmanager
async def browser_for(app: FastAPI, base_url: str = "http://testserver") -> AsyncIterator[Browser]:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url=base_url) as http:
        yield Browser(http)


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[Browser]:
    await user_with_password(app, EMAIL)
    async with browser_for(app) as started:
        yield started


async def test_sign_in_sets_the_refresh_token_only_as_an_httponly_strict_cookie(
    browser: Browser, settings: Settings
) -> None:
    response = await browser.sign_in()
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_ttl
    assert response.headers["cache-control"] == "no-store"
    cookies = set_cookies(response)
    refresh, csrf = cookies["oms_refresh"], cookies["oms_csrf"]
    assert len(refresh[""]) >= 40
    assert "httponly" in refresh
    assert refresh["samesite"].lower() == "strict"
    assert refresh["path"] == "/api/v1/auth/session"
    assert refresh["max-age"] == str(settings.refresh_token_ttl)
    assert "secure" not in refresh  # the public URL is http here
    assert len(csrf[""]) >= 40
    assert "httponly" not in csrf  # the app reads it
    assert csrf["samesite"].lower() == "strict"
    assert csrf["path"] == "/"
    assert csrf["max-age"] == str(settings.refresh_token_ttl)

    me = await browser.http.get(ME, headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == EMAIL


async def test_cookies_are_secure_when_the_public_url_is_https(app_with: AppFactory) -> None:
    async with app_with(public_url="https://shop.example") as app:
        await user_with_password(app, EMAIL)
        async with browser_for(app, "https://shop.example") as browser:
            response = await browser.sign_in()
            assert response.status_code == 200, response.text
            cookies = set_cookies(response)
            assert "secure" in cookies["oms_refresh"]
            assert "secure" in cookies["oms_csrf"]
            refreshed = await browser.refresh(headers={"Origin": "https://shop.example"})
            assert refreshed.status_code == 200, refreshed.text
            assert all("secure" in cookie for cookie in set_cookies(refreshed).values())
            ended = await browser.send("DELETE", SESSION)
            assert all("secure" in cookie for cookie in set_cookies(ended).values())


async def test_a_wrong_password_sets_no_cookie(browser: Browser) -> None:
    response = await browser.sign_in(password="not the password")
    assert response.status_code == 401
    assert response.json()["type"] == "urn:oms:problem:invalid-credentials"
    assert not response.headers.get_list("set-cookie")


async def test_the_session_sign_in_shares_the_pauses_of_the_token_sign_in(
    app_with: AppFactory,
) -> None:
    async with app_with(login_max_failures=2) as app:
        await user_with_password(app, EMAIL)
        async with browser_for(app) as browser:
            assert (await browser.sign_in(password="wrong one")).status_code == 401
            wrong = {"email": EMAIL, "password": "wrong two"}
            assert (await browser.http.post(TOKEN, json=wrong)).status_code == 401
            paused = await browser.sign_in()
            assert paused.status_code == 429
            assert paused.json()["type"] == "urn:oms:problem:sign-in-paused"
            assert int(paused.headers["retry-after"]) >= 1


async def test_the_session_sign_in_counts_against_the_password_check_limit(
    app_with: AppFactory,
) -> None:
    async with app_with(rate_limit_password_checks_per_address="2/minute") as app:
        await user_with_password(app, EMAIL)
        async with browser_for(app) as browser:
            assert (await browser.sign_in()).status_code == 200
            assert (await browser.sign_in()).status_code == 200
            refused = await browser.sign_in()
            assert refused.status_code == 429
            assert refused.json()["type"] == "urn:oms:problem:too-many-requests"


async def test_refresh_rotates_both_cookies_and_the_old_refresh_cookie_is_refused(
    browser: Browser,
) -> None:
    await browser.sign_in()
    first_refresh, first_csrf = browser.refresh_token, browser.csrf
    response = await browser.refresh()
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"access_token", "token_type", "expires_in"}
    assert browser.refresh_token != first_refresh
    assert browser.csrf != first_csrf

    reused = await browser.refresh(refresh_token=first_refresh)
    assert reused.status_code == 401
    assert reused.json()["type"] == "urn:oms:problem:invalid-refresh-token"
    cleared = set_cookies(reused)
    assert cleared["oms_refresh"]["max-age"] == "0"
    assert cleared["oms_refresh"]["path"] == "/api/v1/auth/session"
    assert cleared["oms_csrf"]["max-age"] == "0"
    # Presenting a rotated token means it was copied: the whole sign-in ends, as with /refresh.
    assert (await browser.refresh()).status_code == 401


@pytest.mark.parametrize(
    ("csrf_cookie", "csrf_header"),
    [("", ""), (None, ""), (None, "not-the-cookie"), ("", "a-forged-value")],
    ids=["no-cookie-no-header", "no-header", "wrong-header", "header-without-cookie"],
)
async def test_refresh_without_the_matching_csrf_header_is_forbidden(
    browser: Browser, csrf_cookie: str | None, csrf_header: str
) -> None:
    await browser.sign_in()
    response = await browser.refresh(csrf_cookie=csrf_cookie, csrf_header=csrf_header)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:oms:problem:csrf-failed"
    # The session was not touched: the right header still refreshes.
    assert (await browser.refresh()).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://testserver", "Sec-Fetch-Site": "cross-site"},
    ],
    ids=["other-origin", "null-origin", "lookalike-origin", "sec-fetch-site", "both"],
)
async def test_cross_site_requests_are_refused(browser: Browser, headers: dict[str, str]) -> None:
    signed_in = await browser.sign_in(headers=headers)
    assert signed_in.status_code == 403
    assert signed_in.json()["type"] == "urn:oms:problem:csrf-failed"
    assert not signed_in.headers.get_list("set-cookie")
    await browser.sign_in()
    refreshed = await browser.refresh(headers=headers)
    assert refreshed.status_code == 403
    ended = await browser.send("DELETE", SESSION, headers=headers)
    assert ended.status_code == 403
    assert (await browser.refresh()).status_code == 200, "the session survived all three"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver"},
        {"Origin": "http://localhost:3000"},  # OMS_PUBLIC_URL
        {"Sec-Fetch-Site": "same-origin"},
        {},
    ],
    ids=["own-host", "public-url", "same-origin", "no-origin"],
)
async def test_same_site_requests_are_accepted(browser: Browser, headers: dict[str, str]) -> None:
    assert (await browser.sign_in(headers=headers)).status_code == 200
    assert (await browser.refresh(headers=headers)).status_code == 200


async def test_refresh_without_a_refresh_cookie_is_401_and_clears_the_cookies(
    browser: Browser,
) -> None:
    await browser.sign_in()
    for refresh_token in ("", "made-up", "x" * 5000):
        response = await browser.refresh(refresh_token=refresh_token)
        assert response.status_code == 401, refresh_token
        assert response.headers["content-type"] == "application/problem+json"
        assert set(set_cookies(response)) == {"oms_refresh", "oms_csrf"}


async def test_sign_out_revokes_the_refresh_token_and_clears_the_cookies(browser: Browser) -> None:
    await browser.sign_in()
    without_csrf = await browser.send("DELETE", SESSION, csrf_header="")
    assert without_csrf.status_code == 403
    assert without_csrf.json()["type"] == "urn:oms:problem:csrf-failed"

    response = await browser.send("DELETE", SESSION)
    assert response.status_code == 204
    cleared = set_cookies(response)
    assert cleared["oms_refresh"]["max-age"] == "0"
    assert cleared["oms_refresh"]["path"] == "/api/v1/auth/session"
    assert cleared["oms_csrf"]["max-age"] == "0"
    assert cleared["oms_csrf"]["path"] == "/"
    # Revoked on the server, not only forgotten by the browser.
    assert (await browser.refresh()).status_code == 401


async def test_sign_out_without_a_session_is_204(browser: Browser) -> None:
    response = await browser.send(
        "DELETE", SESSION, refresh_token="", csrf_cookie="", csrf_header=""
    )
    assert response.status_code == 204
    unknown = await browser.send(
        "DELETE", SESSION, refresh_token="unknown", csrf_cookie="c", csrf_header="c"
    )
    assert unknown.status_code == 204


async def test_the_json_token_flow_is_unchanged(browser: Browser) -> None:
    response = await browser.http.post(TOKEN, json={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert set(response.json()) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert not response.headers.get_list("set-cookie")


async def test_the_session_endpoints_do_not_exist_in_oidc_mode(app_with: AppFactory) -> None:
    oidc = {"auth_mode": "oidc", "oidc_issuer": "http://127.0.0.1:9/realms/oms"}
    async with app_with(**oidc) as app, browser_for(app) as browser:
        responses = [
            await browser.sign_in(),
            await browser.refresh(csrf_cookie="x", csrf_header="x"),
            await browser.send(
                "DELETE", SESSION, refresh_token="x", csrf_cookie="x", csrf_header="x"
            ),
        ]
    for response in responses:
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
