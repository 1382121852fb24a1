"""The harness works end to end: OMS serves the customer app, Chromium loads it under the
apps' security headers without a console error, axe-core finds nothing serious, and each
page's screenshot is written."""

import asyncio
import socket
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.checks import SCREENSHOTS, check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, NewCustomer
from tests.browser.server import OmsServer


async def test_the_customer_app_loads_cleanly_and_is_accessible(
    page: Page, console_errors: ConsoleErrors
) -> None:
    response = await page.goto("/")

    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    await expect(page.locator("#root > *").first).to_be_visible()
    await expect(page.locator("h1").first).to_be_visible()
    await check_accessibility(page)
    path = await screenshot(page, "harness-home-desktop")
    assert path.parent == SCREENSHOTS
    assert path.stat().st_size > 1000
    assert console_errors.messages == []


async def test_a_deep_link_opens_the_app_on_a_phone(
    phone_page: Page, console_errors: ConsoleErrors
) -> None:
    response = await phone_page.goto("/orders/does-not-exist-yet")

    assert response is not None
    assert response.status == 200
    await expect(phone_page.locator("#root > *").first).to_be_visible()
    assert await phone_page.evaluate("window.innerWidth") == 390
    await check_accessibility(phone_page)
    await screenshot(phone_page, "harness-deep-link-phone")
    assert console_errors.messages == []


async def test_the_policy_blocks_inline_scripts(page: Page, console_errors: ConsoleErrors) -> None:
    """The console watch sees what the Content-Security-Policy refuses."""
    await page.goto("/")
    await page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.body.append(s); }"
    )

    assert await page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in message for message in console_errors.messages)


async def test_check_accessibility_names_a_serious_violation(page: Page) -> None:
    await page.goto("/")
    await page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"data:,\">')")

    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        await check_accessibility(page)


async def test_the_api_helpers_sign_in_the_demo_users_and_new_customers(
    oms_server: OmsServer,
    admin_api: httpx.AsyncClient,
    customer_api: httpx.AsyncClient,
    new_customer: NewCustomer,
) -> None:
    first, second = await asyncio.gather(new_customer(), new_customer())

    assert (await admin_api.get("/api/v1/me")).json()["roles"] == ["admin"]
    assert (await customer_api.get("/api/v1/me")).json()["email"] == "customer@example.com"
    assert (await first.api.get("/api/v1/me")).json()["email"] == first.account.email
    assert first.account.email != second.account.email
    assert (await second.api.get("/api/v1/me")).json()["roles"] == ["customer"]


def _raw_get(url: str, target: str) -> bytes:
    """A GET of `target` exactly as written: HTTP clients remove dot segments first."""

    host, port = httpx.URL(url).host, httpx.URL(url).port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(
            f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


async def test_no_path_sent_to_the_server_reaches_a_file_outside_the_apps(
    oms_server: OmsServer, web_apps_dir: Path
) -> None:
    for target in (
        "/..%2f..%2f..%2f..%2fetc/passwd",
        "/../../../../etc/passwd",
        "/assets/../../../../etc/passwd",
        "/assets/..%2f..%2f..%2f..%2fetc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ):
        answer = await asyncio.to_thread(_raw_get, oms_server.url, target)
        status_line = answer.split(b"\r\n", 1)[0]
        assert status_line.split()[1] in (b"200", b"400", b"404"), (target, status_line)
        assert b"root:" not in answer, target
