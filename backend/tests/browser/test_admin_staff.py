"""The admin app's staff pages in a real browser: a staff account created, its roles changed
and the account deactivated (it cannot sign in any more); an account paused by failed sign-ins
unlocked; and the audit log, filtered down to one account's changes, each shown as a
before -> after diff."""

import os
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.admin import sign_in_to_admin
from tests.browser.checks import check_accessibility, screenshot
from tests.browser.chromium import DESKTOP
from tests.browser.conftest import ConsoleErrors
from tests.browser.server import (
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    MANAGER_EMAIL,
    OmsServer,
    running_oms,
)
from tests.database import checkout_tag

# The session's OMS allows a thousand failed sign-ins: the unlock test has one of its own
# that pauses an account after a few.
ALLOWED_FAILURES = 3


def tag() -> str:
    return uuid.uuid4().hex[:8]


def user_row(page: Page, email: str) -> Locator:
    return page.get_by_test_id(f"user-{email}")


async def user_action(page: Page, email: str, action: str) -> None:
    await user_row(page, email).get_by_role("button", name=f"Actions for {email}").click()
    await page.get_by_role("menuitem", name=action).click()
    await expect(page.get_by_role("menu")).to_have_count(0)


async def user_named(api: httpx.AsyncClient, email: str) -> dict[str, Any]:
    response = await api.get("/api/v1/users", params={"q": email})
    assert response.status_code == 200, response.text
    [user] = [user for user in response.json()["items"] if user["email"] == email]
    found: dict[str, Any] = user
    return found


async def sign_in_answer(server: OmsServer, email: str, password: str) -> httpx.Response:
    async with server.api() as http:
        return await http.post("/api/v1/auth/token", json={"email": email, "password": password})


async def test_an_admin_creates_a_manager_changes_their_roles_and_deactivates_them(
    page: Page, oms_server: OmsServer, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    marker = tag()
    email = f"staff-{marker}@example.com"
    password = f"Pw-{uuid.uuid4().hex}"
    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/users")
    await expect(page.get_by_role("heading", name="Staff and users", level=2)).to_be_visible()
    await expect(user_row(page, ADMIN_EMAIL)).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-users")

    await page.get_by_role("button", name="New staff member").click()
    dialog = page.get_by_role("dialog", name="New staff member")
    await dialog.get_by_role("textbox", name="Email").fill(email)
    await dialog.get_by_role("textbox", name="Name").fill(f"Stef {marker}")
    await dialog.get_by_label(re.compile("^Password")).fill(password)
    await expect(dialog.get_by_role("checkbox", name="Manager")).to_be_checked()
    await expect(dialog.get_by_role("checkbox", name="Admin")).not_to_be_checked()
    await check_accessibility(page)
    await screenshot(page, "admin-users-new")
    await dialog.get_by_role("button", name="Create").click()

    await expect(page.get_by_text(f"{email} is created.")).to_be_visible()
    await expect(dialog).to_have_count(0)
    await page.get_by_role("textbox", name="Search").fill(marker)
    await expect(page).to_have_url(re.compile(rf"q={marker}"))
    row = user_row(page, email)
    await expect(row).to_contain_text(f"Stef {marker}")
    await expect(row.locator("td").nth(2)).to_have_text("Manager")
    await expect(row).to_contain_text("Active")
    await expect(user_row(page, ADMIN_EMAIL)).to_have_count(0)
    created = await user_named(admin_api, email)
    assert (created["roles"], created["is_active"]) == (["manager"], True)
    signed_in = await oms_server.signed_in(email, password)

    await user_action(page, email, "Change roles")
    roles = page.get_by_role("dialog", name="Change roles")
    await roles.get_by_role("checkbox", name="Manager").uncheck()
    await expect(roles.get_by_role("button", name="Save roles")).to_be_disabled()
    await expect(roles.get_by_text("At least one role")).to_be_visible()
    await roles.get_by_role("checkbox", name="Admin").check()
    await roles.get_by_role("button", name="Save roles").click()

    await expect(roles).to_have_count(0)
    await expect(row.locator("td").nth(2)).to_have_text("Admin")
    assert (await user_named(admin_api, email))["roles"] == ["admin"]

    await user_action(page, email, "Deactivate")

    await expect(
        page.get_by_text(f"{email} is deactivated and signed out everywhere.")
    ).to_be_visible()
    await expect(row).to_contain_text("Deactivated")
    assert (await user_named(admin_api, email))["is_active"] is False
    refused = await sign_in_answer(oms_server, email, password)
    assert refused.status_code == 401, refused.text
    # The sign-in it had before ends with it.
    assert (await signed_in.get("/api/v1/me")).status_code == 401
    await signed_in.aclose()
    await page.get_by_role("textbox", name="State").click()
    await page.get_by_role("option", name="Deactivated").click()
    await expect(page).to_have_url(re.compile(r"active=false"))
    await expect(row).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-users-deactivated")
    assert console_errors.messages == []


@pytest.fixture(scope="module")
def pausing_oms(
    server_url: str, web_apps_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OmsServer]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = tmp_path_factory.mktemp("oms-pausing") / "oms.log"
    database = f"oms_browser_pausing_{checkout_tag()}_{worker}"
    env = {"OMS_LOGIN_MAX_FAILURES": str(ALLOWED_FAILURES)}
    with running_oms(server_url, database, web_apps_dir, log, env=env) as server:
        yield server


@pytest.fixture
async def pausing_page(
    browser: Browser, pausing_oms: OmsServer, console_errors: ConsoleErrors
) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=pausing_oms.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield console_errors.watch(await context.new_page())
    await context.close()


async def test_an_admin_unlocks_an_account_paused_by_failed_sign_ins(
    pausing_page: Page, pausing_oms: OmsServer, console_errors: ConsoleErrors
) -> None:
    page = pausing_page
    for _ in range(ALLOWED_FAILURES):
        failed = await sign_in_answer(pausing_oms, MANAGER_EMAIL, "not the password")
        assert failed.status_code == 401, failed.text
    paused = await sign_in_answer(pausing_oms, MANAGER_EMAIL, DEMO_PASSWORD)
    assert paused.status_code == 429, paused.text
    await sign_in_to_admin(page, ADMIN_EMAIL, path=f"/admin/users?q={MANAGER_EMAIL}")
    await expect(user_row(page, MANAGER_EMAIL)).to_be_visible()

    await user_action(page, MANAGER_EMAIL, "Unlock sign-in")

    await expect(
        page.get_by_text(f"{MANAGER_EMAIL} can try to sign in again at once.")
    ).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-users-unlocked")
    unlocked = await sign_in_answer(pausing_oms, MANAGER_EMAIL, DEMO_PASSWORD)
    assert unlocked.status_code == 200, unlocked.text
    assert console_errors.messages == []


async def test_the_audit_log_shows_an_accounts_changes_filtered_with_their_diff(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    marker = tag()
    email = f"audited-{marker}@example.com"
    created = await admin_api.post(
        "/api/v1/users",
        json={"email": email, "password": f"Pw-{uuid.uuid4().hex}", "roles": ["manager"]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert created.status_code == 201, created.text
    user = created.json()
    for change in ({"roles": ["manager", "customer"]}, {"full_name": f"Audrey {marker}"}):
        changed = await admin_api.patch(f"/api/v1/users/{user['id']}", json=change)
        assert changed.status_code == 200, changed.text
    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/audit")
    await expect(page.get_by_role("heading", name="Audit log", level=2)).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-audit")

    filters = page.get_by_role("search", name="Filter the audit log")
    await filters.get_by_role("textbox", name="Entity", exact=True).fill("user")
    await filters.get_by_role("textbox", name="Entity id").fill(user["id"])
    await filters.get_by_role("button", name="Filter").click()

    await expect(page).to_have_url(re.compile(rf"entity_id={user['id']}"))
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(3)
    await expect(rows.locator("td:nth-child(3)")).to_have_text(
        ["user.updated", "user.updated", "user.created"]
    )
    newest, roles_changed, creation = [rows.nth(index) for index in range(3)]
    await expect(newest.get_by_test_id("diff-line")).to_have_text(
        [re.compile(rf'^changed\s*full_name .* → "Audrey {marker}"$')]
    )
    await expect(roles_changed.get_by_test_id("diff-line")).to_have_text(
        [
            re.compile(
                r'^changed\s*roles \["manager"\] → \[("customer","manager"|"manager","customer")\]$'
            )
        ]
    )
    await expect(creation.get_by_test_id("diff-line").filter(has_text="email")).to_have_text(
        re.compile(rf'^added\s*email "{re.escape(email)}"$')
    )
    await expect(newest).to_contain_text(ADMIN_EMAIL)
    await check_accessibility(page)
    await screenshot(page, "admin-audit-filtered")

    await creation.get_by_role("button", name="user.created").click()
    await expect(page).to_have_url(re.compile(r"action=user.created"))
    await expect(rows).to_have_count(1)
    await filters.get_by_role("button", name="Clear").click()
    await expect(page).not_to_have_url(re.compile(r"entity_id="))
    await expect(rows).not_to_have_count(0)
    await page.get_by_role("button", name=ADMIN_EMAIL).first.click()
    await expect(page).to_have_url(re.compile(r"actor=[0-9a-f-]{36}"))
    await expect(rows.first).to_contain_text(ADMIN_EMAIL)
    assert console_errors.messages == []
