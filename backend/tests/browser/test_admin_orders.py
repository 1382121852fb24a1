"""The admin app's orders and customers in a real browser: the table's filters kept in the
URL, an order moved with a note and seen in its timeline, a stale version refused, a bulk
change reported per order, the CSV export, a new order appearing live, staff's internal
notes that customers never see, and the customers' list and pages."""

import csv
import io
import re
from typing import Any

import httpx
from playwright.async_api import Locator, Page, expect

from tests.browser.admin import sign_in_to_admin
from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, Customer, NewCustomer
from tests.browser.server import ADMIN_EMAIL, MANAGER_EMAIL
from tests.browser.test_customer_app import ADDRESS, place_order

# Not stock-tracked: the tests may place as many orders as they like.
UNTRACKED_SKU = "ELE-CHARGER-65"


def tag_of(customer: Customer) -> str:
    """The part of the customer's email and name no other customer shares."""
    return customer.account.email.removeprefix("shopper-").split("@")[0]


async def orders_of(customer: Customer, count: int) -> list[dict[str, Any]]:
    return [await place_order(customer.api, UNTRACKED_SKU) for _ in range(count)]


async def cancel(customer: Customer, order: dict[str, Any]) -> None:
    response = await customer.api.patch(
        f"/api/v1/orders/{order['id']}/status",
        json={"status": "cancelled"},
        headers={"If-Match": f'"{order["version"]}"'},
    )
    assert response.status_code == 200, response.text


def order_rows(page: Page) -> Locator:
    return page.locator("tbody tr[data-order]")


async def test_an_admin_filters_orders_and_a_reload_keeps_the_filter(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    placed = await orders_of(customer, 3)
    await cancel(customer, placed[0])
    tag = tag_of(customer)

    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/orders")
    await expect(page.get_by_role("heading", name="Orders", level=2)).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()
    await page.get_by_role("searchbox", name="Search").fill(tag)
    await page.get_by_role("button", name="Search", exact=True).click()
    await expect(order_rows(page)).to_have_count(3)
    await page.get_by_role("textbox", name="Statuses").click()
    await page.get_by_role("option", name="New", exact=True).click()
    await page.keyboard.press("Escape")
    await expect(order_rows(page)).to_have_count(2)
    await page.get_by_role("button", name="Sort by Order").click()
    await expect(page).to_have_url(re.compile(rf"q={tag}"))
    await expect(page).to_have_url(re.compile(r"status=new"))
    await expect(page).to_have_url(re.compile(r"sort=number"))
    numbers = [str(order["number"]) for order in placed[1:]]
    await expect(order_rows(page).locator("td:nth-child(2)")).to_have_text(numbers)
    await check_accessibility(page)
    await screenshot(page, "admin-orders")

    await page.reload()

    await expect(order_rows(page)).to_have_count(2)
    await expect(order_rows(page).locator("td:nth-child(2)")).to_have_text(numbers)
    await expect(page.get_by_role("searchbox", name="Search")).to_have_value(tag)
    await page.get_by_role("button", name="Sort by Order").click()
    await expect(order_rows(page).locator("td:nth-child(2)")).to_have_text(numbers[::-1])
    await expect(page).to_have_url(re.compile(r"sort=-number"))

    await page.get_by_role("searchbox", name="Search").fill("ab")
    await expect(page.get_by_text("Type at least 3 letters or digits in a row")).to_be_visible()
    assert console_errors.messages == []


async def test_an_admin_moves_an_order_with_a_note_and_sees_it_in_the_timeline(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    [order] = await orders_of(customer, 1)
    await sign_in_to_admin(page, ADMIN_EMAIL, path=f"/admin/orders?q={tag_of(customer)}")

    await page.get_by_role("link", name=str(order["number"])).click()

    await expect(page.get_by_role("heading", name=f"Order {order['number']}")).to_be_visible()
    await expect(page.get_by_role("link", name=customer.account.full_name)).to_be_visible()
    await expect(page.get_by_text(ADDRESS["line1"])).to_be_visible()
    actions = page.get_by_role("region", name="Change status")
    await expect(actions.get_by_role("button")).to_have_text(
        ["Move to Confirmed", "Move to Cancelled"]
    )
    await actions.get_by_label("Note (optional, kept in the history)").fill("Paid by bank transfer")
    await actions.get_by_role("button", name="Move to Confirmed").click()

    timeline = page.get_by_role("region", name="Timeline")
    confirmed = timeline.locator("[data-status=confirmed]")
    await expect(confirmed).to_contain_text("Paid by bank transfer")
    await expect(confirmed).to_contain_text(f"by {ADMIN_EMAIL}")
    await expect(actions.get_by_role("button")).to_have_text(
        ["Move to Processing", "Move to Cancelled"]
    )
    # The demo's email configuration mails the customer on each event: the timeline shows it.
    await expect(timeline.locator("[data-status=new]")).to_contain_text("Email", timeout=20_000)
    await expect(confirmed).to_contain_text("delivered", timeout=20_000)
    await check_accessibility(page)
    await screenshot(page, "admin-order")
    assert console_errors.messages == []


async def test_a_stale_order_says_someone_else_changed_it_and_shows_it_fresh(
    page: Page,
    new_customer: NewCustomer,
    admin_api: httpx.AsyncClient,
    console_errors: ConsoleErrors,
) -> None:
    customer = await new_customer()
    [order] = await orders_of(customer, 1)
    # Without the live stream the page cannot hear of the other change before the click.
    await page.route(re.compile(r"/api/v1/orders/events"), lambda route: route.abort())
    await sign_in_to_admin(page, ADMIN_EMAIL, path=f"/admin/orders/{order['id']}")
    actions = page.get_by_role("region", name="Change status")
    await expect(actions.get_by_role("button", name="Move to Confirmed")).to_be_visible()

    moved = await admin_api.patch(
        f"/api/v1/orders/{order['id']}/status",
        json={"status": "cancelled", "note": "Customer phoned"},
        headers={"If-Match": f'"{order["version"]}"'},
    )
    assert moved.status_code == 200, moved.text
    await actions.get_by_role("button", name="Move to Confirmed").click()

    alert = actions.get_by_role("alert")
    await expect(alert).to_contain_text("Someone else changed this order")
    await expect(alert).to_contain_text("It is now:")
    await expect(alert).to_contain_text("Cancelled")
    await expect(page.get_by_role("region", name="Timeline")).to_contain_text("Customer phoned")
    await expect(actions.get_by_role("button", name="Move to Confirmed")).to_have_count(0)
    await check_accessibility(page)
    await screenshot(page, "admin-order-stale")
    # The browser reports the refused change (412) and the blocked stream, nothing else.
    unexpected = [m for m in console_errors.messages if "412" not in m and "events" not in m]
    assert unexpected == []


async def test_a_bulk_status_change_reports_per_order_results(
    page: Page,
    new_customer: NewCustomer,
    admin_api: httpx.AsyncClient,
    console_errors: ConsoleErrors,
) -> None:
    customer = await new_customer()
    placed = await orders_of(customer, 3)
    await cancel(customer, placed[0])
    await sign_in_to_admin(page, ADMIN_EMAIL, path=f"/admin/orders?q={tag_of(customer)}")
    await expect(order_rows(page)).to_have_count(3)

    await page.get_by_role("checkbox", name="Select every order shown").check()
    bulk = page.get_by_role("region", name="Change the status of 3 orders")
    await bulk.get_by_role("textbox", name="New status").click()
    await page.get_by_role("option", name="Confirmed", exact=True).click()
    await bulk.get_by_label("Note (optional)").fill("Paid together")
    await bulk.get_by_role("button", name="Change 3 orders").click()

    results = page.get_by_role("region", name="Results of the status change")
    await expect(results).to_contain_text("2 moved, 1 refused.")
    refused = results.locator("tr[data-result=refused]")
    await expect(refused).to_have_count(1)
    await expect(refused).to_contain_text(str(placed[0]["number"]))
    await expect(results.locator("tr[data-result=ok]")).to_have_count(2)
    await expect(results.locator("tr[data-result=ok]").first).to_contain_text("Now Confirmed")
    await check_accessibility(page)
    await screenshot(page, "admin-orders-bulk")

    statuses = {
        order["number"]: (await admin_api.get(f"/api/v1/orders/{order['id']}")).json()["status"]
        for order in placed
    }
    assert statuses == {
        placed[0]["number"]: "cancelled",
        placed[1]["number"]: "confirmed",
        placed[2]["number"]: "confirmed",
    }
    problem_text = await refused.locator("td").nth(2).inner_text()
    assert problem_text.strip() != ""
    assert console_errors.messages == []


async def test_the_csv_export_downloads_the_filtered_orders(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    placed = await orders_of(customer, 3)
    await cancel(customer, placed[0])
    await sign_in_to_admin(
        page, ADMIN_EMAIL, path=f"/admin/orders?q={tag_of(customer)}&status=new&sort=number"
    )
    await expect(order_rows(page)).to_have_count(2)

    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Export CSV").click()
    download = await download_info.value
    path = await download.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))

    assert download.suggested_filename == "orders_new.csv"
    assert [row["number"] for row in rows] == [str(order["number"]) for order in placed[1:]]
    assert {row["customer_email"] for row in rows} == {customer.account.email}
    assert {row["status"] for row in rows} == {"new"}
    assert console_errors.messages == []


async def test_a_new_order_appears_in_the_open_list_without_a_reload(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    await orders_of(customer, 1)
    await sign_in_to_admin(page, ADMIN_EMAIL, path=f"/admin/orders?q={tag_of(customer)}")
    await expect(order_rows(page)).to_have_count(1)
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()

    [order] = await orders_of(customer, 1)

    await expect(page.locator(f"tr[data-order='{order['number']}']")).to_be_visible()
    await expect(order_rows(page)).to_have_count(2)
    assert console_errors.messages == []


async def test_internal_notes_are_kept_for_staff_and_never_shown_to_the_customer(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    [order] = await orders_of(customer, 1)
    await sign_in_to_admin(page, MANAGER_EMAIL, path=f"/admin/orders/{order['id']}")
    # Managers read deliveries (`config:read`): the timeline shows the order's mail.
    timeline = page.get_by_role("region", name="Timeline")
    await expect(timeline).to_contain_text("Customer notifications", timeout=20_000)
    notes = page.get_by_role("region", name="Internal notes")
    await expect(notes).to_contain_text("Staff only")
    await expect(notes).to_contain_text("No internal notes yet.")

    secret = "Customer is a reseller: check the address"
    await notes.get_by_label("New internal note").fill(secret)
    await notes.get_by_role("button", name="Add note").click()
    await expect(notes.locator("article")).to_have_count(1)
    await expect(notes.locator("article")).to_contain_text(secret)
    await expect(notes.locator("article")).to_contain_text(MANAGER_EMAIL)
    await notes.get_by_label("New internal note").fill("Second thought, to be deleted")
    await notes.get_by_role("button", name="Add note").click()
    await expect(notes.locator("article")).to_have_count(2)
    await check_accessibility(page)
    await screenshot(page, "admin-order-notes")
    await notes.locator("article").first.get_by_role("button", name=re.compile("^Delete")).click()
    await expect(notes.locator("article")).to_have_count(1)
    await expect(notes.locator("article")).to_contain_text(secret)

    seen = await customer.api.get(f"/api/v1/orders/{order['id']}")
    assert seen.status_code == 200
    assert secret not in seen.text
    listed = await customer.api.get("/api/v1/orders")
    assert secret not in listed.text
    refused = await customer.api.get(f"/api/v1/orders/{order['id']}/notes")
    assert refused.status_code == 403
    assert console_errors.messages == []


async def test_customers_are_listed_searched_and_shown_with_their_orders(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    placed = await orders_of(customer, 2)
    saved = await customer.api.post(
        "/api/v1/me/addresses",
        json={
            "label": "Home",
            "name": "Sam Shopper",
            "line1": "Gartenweg 7",
            "city": "Köln",
            "postal_code": "50667",
            "country": "DE",
        },
    )
    assert saved.status_code == 201, saved.text
    await sign_in_to_admin(page, MANAGER_EMAIL, path="/admin/customers")
    await expect(page.get_by_role("heading", name="Customers", level=2)).to_be_visible()
    await expect(page.locator("tbody tr").first).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-customers")

    await page.get_by_role("searchbox", name="Search").fill(tag_of(customer))
    await page.get_by_role("button", name="Search", exact=True).click()
    await expect(page).to_have_url(re.compile(rf"q={tag_of(customer)}"))
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text(customer.account.email)
    await expect(rows.locator("td").nth(2)).to_have_text("2")
    await rows.get_by_role("link", name=customer.account.full_name).click()

    await expect(
        page.get_by_role("heading", name=customer.account.full_name, level=2)
    ).to_be_visible()
    addresses = page.get_by_role("region", name="Saved addresses")
    await expect(addresses).to_contain_text("Home")
    await expect(addresses).to_contain_text("Gartenweg 7")
    await expect(addresses).to_contain_text("Germany")
    orders = page.get_by_role("region", name="Orders")
    for order in placed:
        await expect(orders.get_by_role("link", name=str(order["number"]))).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-customer")

    await orders.get_by_role("link", name=str(placed[0]["number"])).click()
    await expect(page.get_by_role("heading", name=f"Order {placed[0]['number']}")).to_be_visible()
    assert console_errors.messages == []
