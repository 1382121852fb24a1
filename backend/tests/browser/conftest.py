"""Fixtures of the browser tests: a real OMS serving the built apps, Chromium driven by
Playwright, and API clients to arrange what a page then shows.

Every test here is marked `browser` (select them with `-m browser`, leave them out with
`-m "not browser"`) and, under xdist, runs in one worker, which starts one OMS and one browser.
"""

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, async_playwright

from tests.browser.chromium import CHROMIUM_ARGS, DESKTOP, PHONE, chromium_or_skip
from tests.browser.server import ADMIN_EMAIL, CUSTOMER_EMAIL, Account, OmsServer, running_oms
from tests.browser.shared_workflow import WorkflowChanges
from tests.browser.web_apps import gather_web_apps
from tests.database import checkout_tag
from tests.events.services import HttpReceiver

BROWSER_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def web_apps_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gather_web_apps(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def oms_server(
    server_url: str, web_apps_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OmsServer]:
    """One OMS for the whole session, with the demo data (`DEMO_PASSWORD`)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = tmp_path_factory.mktemp("oms") / "oms.log"
    with running_oms(
        server_url, f"oms_browser_{checkout_tag()}_{worker}", web_apps_dir, log
    ) as server:
        yield server


@pytest.fixture
async def admin_api(oms_server: OmsServer) -> AsyncIterator[httpx.AsyncClient]:
    async with await oms_server.signed_in(ADMIN_EMAIL) as http:
        yield http


@pytest.fixture
async def customer_api(oms_server: OmsServer) -> AsyncIterator[httpx.AsyncClient]:
    """The demo customer, shared by the session's tests: a test that needs a customer
    nobody else touches takes `new_customer`."""
    async with await oms_server.signed_in(CUSTOMER_EMAIL) as http:
        yield http


@pytest.fixture
async def workflow_changes(admin_api: httpx.AsyncClient) -> AsyncIterator[WorkflowChanges]:
    """The test's own statuses and worker configurations, removed after it, passed or not."""
    changes = WorkflowChanges(admin_api)
    yield changes
    await changes.undo()


@pytest.fixture
async def receiver() -> AsyncIterator[HttpReceiver]:
    """A real HTTP server on 127.0.0.1 that webhooks reach (`OMS_WEBHOOK_ALLOWED_NETWORKS`)."""
    server = HttpReceiver()
    await server.start()
    yield server
    await server.stop()


@dataclass(frozen=True)
class Customer:
    account: Account
    api: httpx.AsyncClient


NewCustomer = Callable[[], Awaitable[Customer]]


@pytest.fixture
async def new_customer(oms_server: OmsServer) -> AsyncIterator[NewCustomer]:
    """Signs up a fresh customer per call: their account and an API client signed in."""
    clients: list[httpx.AsyncClient] = []

    async def sign_up() -> Customer:
        account = await oms_server.register_customer()
        api = await oms_server.signed_in(account.email, account.password)
        clients.append(api)
        return Customer(account, api)

    yield sign_up
    for client in clients:
        await client.aclose()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_or_skip()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


async def _context(browser: Browser, oms_server: OmsServer, *, phone: bool) -> BrowserContext:
    context = await browser.new_context(
        base_url=oms_server.url,
        viewport=PHONE if phone else DESKTOP,
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
async def context(browser: Browser, oms_server: OmsServer) -> AsyncIterator[BrowserContext]:
    """A fresh desktop-sized browser profile per test: no cookies, no storage."""
    context = await _context(browser, oms_server, phone=False)
    yield context
    await context.close()


@pytest.fixture
async def phone_context(browser: Browser, oms_server: OmsServer) -> AsyncIterator[BrowserContext]:
    """A phone-sized (390x844), touch, mobile browser profile."""
    context = await _context(browser, oms_server, phone=True)
    yield context
    await context.close()


@dataclass
class ConsoleErrors:
    """What a page reported as broken: console errors and uncaught exceptions."""

    messages: list[str]

    def watch(self, page: Page) -> Page:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.messages.append(f"console: {message.text} ({message.location})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))
        return page


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors([])


@pytest.fixture
async def page(context: BrowserContext, console_errors: ConsoleErrors) -> Page:
    return console_errors.watch(await context.new_page())


@pytest.fixture
async def phone_page(phone_context: BrowserContext, console_errors: ConsoleErrors) -> Page:
    return console_errors.watch(await phone_context.new_page())
