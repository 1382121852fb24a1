"""Checkout in a real browser: attribute filters, a cart priced by the server, one order
for a double click, stock running out between quote and order, and an order page that
follows staff's status changes by itself."""

import re

import httpx
from playwright.async_api import Page, expect

from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, NewCustomer
from tests.browser.test_customer_app import sign_in


async def fill_new_address(page: Page) -> None:
    await page.get_by_label(re.compile("^Name")).fill("Sam Shopper")
    await page.get_by_label(re.compile("^Street and number")).fill("Hauptstraße 5")
    await page.get_by_label(re.compile("^Postal code")).fill("10115")
    await page.get_by_label(re.compile("^City")).fill("Berlin")
    await page.get_by_role("textbox", name="Country").fill("Germany")
    await page.get_by_role("option", name="Germany", exact=True).click()


async def test_filter_check_out_with_a_double_click_and_follow_the_order(
    page: Page,
    new_customer: NewCustomer,
    admin_api: httpx.AsyncClient,
    console_errors: ConsoleErrors,
) -> None:
    customer = await new_customer()
    await sign_in(page, customer.account.email, customer.account.password)
    await page.get_by_role("link", name="Furniture").click()
    await page.get_by_role("textbox", name="Material").click()
    await page.get_by_role("option", name="walnut").click()
    await page.keyboard.press("Escape")
    await expect(page.locator("article")).to_have_count(1)
    await expect(page.get_by_role("link", name="Walnut table 180")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "customer-filtered")

    await page.get_by_role("button", name="Add Walnut table 180 to cart").click()
    await page.goto("/cart")
    await check_accessibility(page)
    await page.get_by_role("link", name="Checkout").click()
    await expect(page.get_by_text("Order total")).to_be_visible()
    await fill_new_address(page)
    await expect(page.locator("tfoot")).to_contain_text("1,249.50")
    await check_accessibility(page)
    await screenshot(page, "customer-checkout")

    await page.get_by_role("button", name="Place order").dblclick()
    await page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}$"))
    orders = (await customer.api.get("/api/v1/orders")).json()["items"]
    assert len(orders) == 1
    order = orders[0]
    await expect(page.locator("section", has_text="History")).to_contain_text("Received")

    # Staff move the order on through the API: the open page follows without a reload.
    moved = await admin_api.patch(
        f"/api/v1/orders/{order['id']}/status",
        json={"status": "confirmed"},
        headers={"If-Match": f'"{order["version"]}"'},
    )
    assert moved.status_code == 200, moved.text
    await expect(page.locator("section", has_text="History")).to_contain_text(
        "Confirmed", timeout=5000
    )
    await expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    await screenshot(page, "customer-order-confirmed")
    assert console_errors.messages == []


async def test_stock_running_out_names_the_line_and_lets_the_customer_adjust(
    page: Page, new_customer: NewCustomer, admin_api: httpx.AsyncClient
) -> None:
    customer = await new_customer()
    products = (await admin_api.get("/api/v1/products", params={"q": "FUR-STOOL-STL"})).json()
    stool = products["items"][0]
    await sign_in(page, customer.account.email, customer.account.password, path=f"/p/{stool['id']}")
    await page.get_by_label("Quantity").fill(str(stool["stock"]))
    await page.get_by_role("button", name="Add to cart").click()
    await page.goto("/checkout")
    await fill_new_address(page)
    await expect(page.get_by_text("Order total")).to_be_visible()

    # Someone else buys one between the quote and the order.
    other = await new_customer()
    bought = await other.api.post(
        "/api/v1/orders",
        json={
            "items": [{"sku": "FUR-STOOL-STL", "quantity": 1}],
            "shipping_address": {
                "name": "O",
                "line1": "L",
                "city": "B",
                "postal_code": "1",
                "country": "DE",
            },
        },
        headers={"Idempotency-Key": "other-buyer-" + customer.account.email},
    )
    assert bought.status_code == 201, bought.text

    await page.get_by_role("button", name="Place order").click()
    alert = page.get_by_role("alert").filter(has_text="Some items ran out")
    await expect(alert).to_contain_text("Steel bar stool")
    await check_accessibility(page)
    await screenshot(page, "customer-out-of-stock")
    await alert.get_by_role("button", name=re.compile("^Take")).click()
    await page.get_by_role("button", name="Place order").click()
    await page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}$"))
    orders = (await customer.api.get("/api/v1/orders")).json()["items"]
    assert len(orders) == 1
