"""The admin app's frame in a real browser: staff sign in at `/admin/` and see the
dashboard; each role sees only the sections it may open (neither linked nor opened by its
address), and the API refuses the rest."""

import uuid

import httpx
from playwright.async_api import Page, expect

from tests.browser.admin import expect_sections, navigation, sign_in_to_admin
from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, NewCustomer
from tests.browser.server import ADMIN_EMAIL, MANAGER_EMAIL, OmsServer
from tests.browser.test_customer_app import place_order

CONFIG_SECTIONS = ["Workflow", "Integrations", "Deliveries", "Email templates", "Branding"]
ADMIN_ONLY = [*CONFIG_SECTIONS, "Staff and users", "Audit log", "Configuration"]


async def test_an_admin_sees_todays_orders_on_the_dashboard(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    await place_order(customer.api, "FUR-STOOL-STL")
    await page.goto("/admin/sign-in")
    await check_accessibility(page)
    await screenshot(page, "admin-sign-in")

    await sign_in_to_admin(page, ADMIN_EMAIL)

    await expect(page.get_by_role("heading", name="Dashboard", level=2)).to_be_visible()
    today = page.locator(".mantine-Card-root").filter(has_text="Today")
    await expect(today).to_contain_text("order")
    await expect(page.get_by_role("heading", name="Orders per status")).to_be_visible()
    await expect(page.get_by_role("img", name="Orders and revenue, last 30 days")).to_be_visible()
    await expect_sections(page, ["Dashboard", "Orders", *ADMIN_ONLY], [])
    await check_accessibility(page)
    await screenshot(page, "admin-dashboard")
    assert console_errors.messages == []


async def test_a_manager_sees_no_configuration_and_the_api_refuses_it(
    page: Page, oms_server: OmsServer, console_errors: ConsoleErrors
) -> None:
    await sign_in_to_admin(page, MANAGER_EMAIL)

    await expect_sections(page, ["Dashboard", "Orders", "Products", "Customers"], ADMIN_ONLY)
    for path in ("/admin/workflow", "/admin/integrations", "/admin/deliveries", "/admin/users"):
        await page.goto(path)
        await expect(page.get_by_role("heading", name="Not for your role")).to_be_visible()
        await expect(page.get_by_role("heading", level=2)).to_have_text(["Not for your role"])
    await check_accessibility(page)
    await screenshot(page, "admin-manager-refused")

    # Managers read the configuration (an order's timeline shows its deliveries)...
    async with await oms_server.signed_in(MANAGER_EMAIL) as manager:
        for readable in ("/api/v1/workflow/graph", "/api/v1/worker-configurations"):
            assert (await manager.get(readable)).status_code == 200, readable
        # ... and change none of it; ids that exist or not, refused before being looked up.
        anything = uuid.uuid4()
        refused = {
            "add a status": await manager.post(
                "/api/v1/workflow/statuses", json={"code": "x", "name": "X"}
            ),
            "rename a status": await manager.patch(
                "/api/v1/workflow/statuses/new", json={"name": "New"}
            ),
            "add a transition": await manager.post(
                "/api/v1/workflow/transitions",
                json={"from_status": "shipped", "to_status": "returned", "roles": ["manager"]},
            ),
            "remove a transition": await manager.delete(f"/api/v1/workflow/transitions/{anything}"),
            "add a configuration": await manager.post(
                "/api/v1/worker-configurations",
                json={"name": "x", "worker_type": "webhook", "trigger_statuses": []},
            ),
            "switch a configuration off": await manager.patch(
                f"/api/v1/worker-configurations/{anything}",
                json={"worker_type": "webhook", "enabled": False},
            ),
            "send a test": await manager.post(f"/api/v1/worker-configurations/{anything}/test"),
            "replay a delivery": await manager.post(f"/api/v1/deliveries/{anything}/replay"),
            "list users": await manager.get("/api/v1/users"),
            "add a user": await manager.post(
                "/api/v1/users",
                json={"email": "x@example.com", "password": "Pw-long-enough-1", "roles": ["admin"]},
            ),
            "change a user": await manager.patch(
                f"/api/v1/users/{anything}", json={"roles": ["admin"]}
            ),
        }
    assert {call: response.status_code for call, response in refused.items()} == dict.fromkeys(
        refused, 403
    )
    assert console_errors.messages == []


async def test_a_customer_cannot_use_the_admin_app(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()

    await sign_in_to_admin(page, customer.account.email, customer.account.password)

    await expect(page.get_by_role("heading", name="Not for your role")).to_be_visible()
    await expect(navigation(page).get_by_role("link")).to_have_count(0)
    await check_accessibility(page)
    assert console_errors.messages == []


async def test_the_admin_app_answers_its_page_addresses_after_a_reload(
    page: Page, console_errors: ConsoleErrors
) -> None:
    await sign_in_to_admin(page, ADMIN_EMAIL)

    await page.reload()

    await expect(page.get_by_role("heading", name="Dashboard", level=2)).to_be_visible()
    response = await page.request.get("/admin/no-such-page", headers={"Accept": "text/html"})
    assert response.status == 200
    assert '<div id="root">' in await response.text()
    await page.goto("/admin/no-such-page")
    await expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert console_errors.messages == []


async def test_staff_sign_out_of_the_admin_app(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    await sign_in_to_admin(page, ADMIN_EMAIL)

    await page.get_by_role("button", name="Sign out").click()

    await page.wait_for_url("**/admin/sign-in")
    await page.goto("/admin/")
    await page.wait_for_url("**/admin/sign-in?returnTo=%2F")
    assert console_errors.messages == []
