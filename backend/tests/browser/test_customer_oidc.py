"""The customer app signing in through a real OpenID provider (`tests.oidc_provider`, set up
like the Keycloak realm): a second OMS, in `OMS_AUTH_MODE=oidc`, serves the app; the browser
goes to the provider's own login page and back, stays signed in across a reload through the
provider's session and past the access token's lifetime, and signs out there too."""

import os
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.checks import check_accessibility, screenshot
from tests.browser.chromium import DESKTOP
from tests.browser.conftest import ConsoleErrors
from tests.browser.server import OmsServer, running_oms
from tests.database import checkout_tag
from tests.oidc_provider import Account, discovery, running_oidc_provider
from tests.processes import free_port

CORA = Account("cora@example.com", "cora's passphrase 1", ("customer",), "Cora Customer")


@dataclass(frozen=True)
class OidcOms:
    server: OmsServer
    issuer: str

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def oidc_oms(
    server_url: str, web_apps_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OidcOms]:
    """An OMS of this module's own trusting the provider, which must know OMS's address
    (its redirect URIs) before OMS, which must know the provider's, starts."""
    port = free_port()
    app = f"http://127.0.0.1:{port}"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = tmp_path_factory.mktemp("oms-oidc") / "oms.log"
    with running_oidc_provider(
        [f"{app}/auth/callback"], [CORA], post_logout_redirect_uris=[f"{app}/"]
    ) as issuer:
        env = {
            "OMS_AUTH_MODE": "oidc",
            "OMS_OIDC_ISSUER": issuer,
            "OMS_OIDC_AUDIENCE": "oms-api",
            "OMS_OIDC_CUSTOMER_CLIENT_ID": "oms-customer",
            "OMS_OIDC_ADMIN_CLIENT_ID": "oms-admin",
        }
        database = f"oms_browser_oidc_{checkout_tag()}_{worker}"
        with running_oms(server_url, database, web_apps_dir, log, port=port, env=env) as server:
            yield OidcOms(server, issuer)


@pytest.fixture
async def oidc_page(
    browser: Browser, oidc_oms: OidcOms, console_errors: ConsoleErrors
) -> AsyncIterator[Page]:
    context: BrowserContext = await browser.new_context(base_url=oidc_oms.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield console_errors.watch(await context.new_page())
    await context.close()


def on_provider(oidc_oms: OidcOms, path: str) -> re.Pattern[str]:
    return re.compile(re.escape(f"{oidc_oms.issuer}{path}"))


async def on_providers_login_page(page: Page, oidc_oms: OidcOms) -> None:
    await page.wait_for_url(on_provider(oidc_oms, "/interaction/"))
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await expect(page.get_by_text("to continue to oms-customer")).to_be_visible()


async def submit_the_providers_login_form(page: Page) -> None:
    await page.get_by_label("Email").fill(CORA.email)
    await page.get_by_label("Password").fill(CORA.password)
    await page.get_by_role("button", name="Sign in").click()


async def test_a_customer_signs_in_on_the_providers_page_stays_signed_in_and_signs_out(
    oidc_page: Page, oidc_oms: OidcOms, console_errors: ConsoleErrors
) -> None:
    page = oidc_page
    response = await page.goto("/orders")
    assert response is not None
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
    )
    provider_origin = "{0.scheme}://{0.netloc}".format(urlsplit(oidc_oms.issuer))
    assert provider_origin in policy["connect-src"].split()
    assert provider_origin in policy["form-action"].split()

    # Straight on to the provider's own login page, with nothing to click in the app.
    await on_providers_login_page(page, oidc_oms)
    await screenshot(page, "customer-oidc-provider-login")
    await submit_the_providers_login_form(page)

    await page.wait_for_url(f"{oidc_oms.url}/orders")
    await expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    await expect(page.get_by_text("You have not placed an order yet.")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "customer-oidc-signed-in")

    async with page.expect_response(re.compile(r"/api/v1/me$")) as me:
        await page.get_by_role("link", name="My account").click()
    assert (await me.value).status == 200
    await expect(page.get_by_label("Full name")).to_have_value(CORA.name)
    await expect(page.get_by_label("Email")).to_have_value(CORA.email)
    await check_accessibility(page)
    # The tokens live in memory: nothing of them is left in the browser's storage.
    stored = await page.evaluate(
        "JSON.stringify([{...window.localStorage}, {...window.sessionStorage}])"
    )
    assert "token" not in stored.lower(), stored

    # A reload forgets them; the provider's session signs Cora straight back in.
    await page.reload()
    await page.wait_for_url(f"{oidc_oms.url}/account")
    await expect(page.get_by_label("Full name")).to_have_value(CORA.name)

    # Signing out ends the provider's session too: back in the app, nobody is signed in, and
    # the way in is the provider's login form again.
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(on_provider(oidc_oms, "/session/end"))
    await page.get_by_role("button", name="Sign out").click()
    await on_providers_login_page(page, oidc_oms)
    await page.goto("/account")
    await on_providers_login_page(page, oidc_oms)
    assert console_errors.messages == []


async def test_the_sign_in_page_hands_over_to_the_provider_and_offers_no_sign_up_or_reset(
    oidc_page: Page, oidc_oms: OidcOms, console_errors: ConsoleErrors
) -> None:
    page = oidc_page
    await page.goto("/sign-in")
    await expect(page.get_by_role("button", name="Continue to sign in")).to_be_visible()
    await expect(page.get_by_label("Password")).to_have_count(0)
    await expect(page.get_by_role("link", name=re.compile("Sign up"))).to_have_count(0)
    await expect(page.get_by_role("link", name="Forgot your password?")).to_have_count(0)
    await check_accessibility(page)
    await screenshot(page, "customer-oidc-sign-in")

    await page.goto("/sign-up")
    await expect(page.get_by_text("This shop does not take new sign-ups.")).to_be_visible()
    await expect(page.get_by_role("button", name="Create account")).to_have_count(0)
    await check_accessibility(page)
    await page.goto("/forgot-password")
    await expect(page.get_by_text("Password reset is not available here.")).to_be_visible()
    await check_accessibility(page)

    await page.goto("/sign-in")
    await page.get_by_role("button", name="Continue to sign in").click()
    await on_providers_login_page(page, oidc_oms)
    assert console_errors.messages == []


async def test_the_access_token_is_renewed_before_it_expires_without_leaving_the_page(
    oidc_page: Page, oidc_oms: OidcOms, console_errors: ConsoleErrors
) -> None:
    page = oidc_page
    # The page's clock, moved on at will; the provider and OMS keep real time.
    await page.clock.install()
    await page.goto("/account")
    await on_providers_login_page(page, oidc_oms)
    async with page.expect_request(re.compile(r"/api/v1/me$")) as first:
        await submit_the_providers_login_form(page)
    await expect(page.get_by_label("Full name")).to_have_value(CORA.name)

    token_endpoint = discovery(oidc_oms.issuer)["token_endpoint"]
    async with page.expect_response(
        lambda r: (
            r.url == token_endpoint and "grant_type=refresh_token" in (r.request.post_data or "")
        )
    ) as renewal:
        # Past the end of the access token's five minutes.
        await page.clock.fast_forward("05:10")
    assert (await renewal.value).status == 200

    async with page.expect_request(re.compile(r"/api/v1/orders\b")) as later:
        await page.get_by_role("link", name="My orders").click()
    await expect(page.get_by_text("You have not placed an order yet.")).to_be_visible()
    assert page.url == f"{oidc_oms.url}/orders"
    before = (await first.value).headers["authorization"]
    after = (await later.value).headers["authorization"]
    assert after.startswith("Bearer ")
    assert after != before
    assert console_errors.messages == []
