"""The customer app in a real browser against a real OMS: signing in and out, the
catalogue, my orders, branding at run time and the phone layout."""

import re
import uuid

import httpx
from playwright.async_api import Page, expect

from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, NewCustomer

ADDRESS = {
    "name": "Sam Shopper",
    "line1": "Hauptstraße 5",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


async def sign_in(page: Page, email: str, password: str, *, path: str = "/") -> None:
    await page.goto(path)
    await page.wait_for_url(re.compile(r"/sign-in"))
    await page.get_by_label(re.compile("^Email")).fill(email)
    await page.get_by_label(re.compile("^Password")).fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def place_order(api: httpx.AsyncClient, sku: str, quantity: int = 1) -> dict[str, object]:
    response = await api.post(
        "/api/v1/orders",
        json={"items": [{"sku": sku, "quantity": quantity}], "shipping_address": ADDRESS},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    order: dict[str, object] = response.json()
    return order


async def test_a_customer_signs_in_browses_and_signs_out(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    await page.goto("/sign-in")
    await check_accessibility(page)
    await screenshot(page, "customer-sign-in")

    await page.get_by_label(re.compile("^Email")).fill(customer.account.email)
    await page.get_by_label(re.compile("^Password")).fill("not-the-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("The email or the password is not right.")).to_be_visible()

    await page.get_by_label(re.compile("^Password")).fill(customer.account.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="All products")).to_be_visible()
    await expect(page.get_by_role("link", name="Oak dining chair")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "customer-catalogue")

    await page.get_by_label("Search").fill("FUR-TABLE")
    await expect(page.get_by_role("link", name="Walnut table 180")).to_be_visible()
    await expect(page.get_by_role("link", name="Oak dining chair")).to_have_count(0)

    await page.get_by_role("link", name="Walnut table 180").click()
    await expect(page.get_by_role("heading", name="Walnut table 180")).to_be_visible()
    await expect(page.get_by_role("table")).to_contain_text("walnut")
    await check_accessibility(page)
    await screenshot(page, "customer-product")

    # The access token lives in memory only: a reload restores the session from the cookie.
    await page.reload()
    await expect(page.get_by_role("heading", name="Walnut table 180")).to_be_visible()
    assert await page.evaluate("window.localStorage.getItem('oms.cart')") in (None, "[]")

    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(re.compile(r"/sign-in"))
    await page.goto("/account")
    await page.wait_for_url(re.compile(r"/sign-in\?returnTo=%2Faccount"))
    # The browser logs the refused wrong password itself; nothing else may go wrong.
    refused = [m for m in console_errors.messages if "401" in m and "/api/v1/auth/session" in m]
    assert len(refused) == 1
    assert [m for m in console_errors.messages if m not in refused] == []


async def test_sign_up_through_the_form(page: Page, console_errors: ConsoleErrors) -> None:
    email = f"form-{uuid.uuid4().hex[:10]}@example.com"
    await page.goto("/sign-up")
    await page.get_by_label("Full name").fill("Form Shopper")
    await page.get_by_label(re.compile("^Email")).fill(email)
    await page.get_by_label(re.compile("^Password")).fill("short")
    await page.get_by_label(re.compile("^Repeat the password")).fill("short")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_text("At least 12 characters").first).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "customer-sign-up")

    await page.get_by_label(re.compile("^Password")).fill("form-shopper-pass")
    await page.get_by_label(re.compile("^Repeat the password")).fill("form-shopper-pass")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("heading", name="All products")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert console_errors.messages == []


async def test_my_orders_shows_the_order_with_its_timeline_and_cancels_it(
    page: Page, new_customer: NewCustomer
) -> None:
    customer = await new_customer()
    order = await place_order(customer.api, "FUR-CHAIR-OAK", 2)
    await sign_in(page, customer.account.email, customer.account.password, path="/orders")

    row = page.get_by_role("row", name=re.compile(str(order["number"])))
    await expect(row).to_contain_text("Received")
    await check_accessibility(page)
    await screenshot(page, "customer-orders")

    await row.get_by_role("link").click()
    await expect(page.get_by_role("heading", name=f"Order {order['number']}")).to_be_visible()
    await expect(page.locator("section", has_text="History")).to_contain_text("Received")
    await expect(page.get_by_text("Hauptstraße 5")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "customer-order")

    await page.get_by_role("button", name="Cancel order").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    # Checked once the dialog has faded in, not halfway transparent.
    await expect(page.get_by_role("dialog")).to_have_css("opacity", "1")
    await check_accessibility(page)
    await page.get_by_role("button", name="Yes, cancel it").click()
    await expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    await expect(page.locator("section", has_text="History")).to_contain_text("Cancelled")
    current = await customer.api.get(f"/api/v1/orders/{order['id']}")
    assert current.json()["status"] == "cancelled"


async def test_another_customer_cannot_open_the_order(
    page: Page, new_customer: NewCustomer
) -> None:
    owner = await new_customer()
    order = await place_order(owner.api, "FUR-SHELF-PINE")
    stranger = await new_customer()
    await sign_in(page, stranger.account.email, stranger.account.password, path="/orders")
    await expect(page.get_by_text("You have not placed an order yet.")).to_be_visible()

    await page.goto(f"/orders/{order['id']}")
    await expect(page.get_by_role("alert")).to_be_visible()
    await expect(page.get_by_text(str(order["number"]))).to_have_count(0)


async def test_a_branding_change_shows_after_a_reload(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    before = await admin_api.get("/api/v1/branding")
    original = before.json()
    writable = {
        key: original[key]
        for key in (
            "shop_name",
            "primary_colour",
            "accent_colour",
            "support_email",
            "currency",
            "locale",
            "footer_text",
            "legal_links",
        )
    }
    await page.goto("/sign-in")
    await expect(page.get_by_role("heading", name=original["shop_name"])).to_be_visible()

    changed = await admin_api.put(
        "/api/v1/branding",
        json={
            **writable,
            "shop_name": "Kaufhaus Süd",
            "primary_colour": "#b91c1c",
            "locale": "de-DE",
        },
        headers={"If-Match": before.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    try:
        await page.reload()
        await expect(page.get_by_role("heading", name="Kaufhaus Süd")).to_be_visible()
        await expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
        assert await page.title() == "Anmelden · Kaufhaus Süd"
        button = page.get_by_role("button", name="Anmelden")
        colour = await button.evaluate("element => getComputedStyle(element).backgroundColor")
        assert colour == "rgb(185, 28, 28)"
        await check_accessibility(page)
        await screenshot(page, "customer-rebranded")
    finally:
        restored = await admin_api.put(
            "/api/v1/branding", json=writable, headers={"If-Match": changed.headers["ETag"]}
        )
        assert restored.status_code == 200, restored.text
    assert console_errors.messages == []


async def test_the_phone_layout_hides_the_navigation_behind_a_burger(
    phone_page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    await sign_in(phone_page, customer.account.email, customer.account.password)
    await expect(phone_page.get_by_role("heading", name="All products")).to_be_visible()
    navigation = phone_page.get_by_role("link", name="My orders")
    await expect(navigation).not_to_be_in_viewport()
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await check_accessibility(phone_page)
    await screenshot(phone_page, "customer-phone-catalogue")

    await phone_page.get_by_role("button", name="Open navigation").click()
    await expect(navigation).to_be_in_viewport()
    await screenshot(phone_page, "customer-phone-navigation")
    await navigation.click()
    await expect(phone_page.get_by_role("heading", name="My orders")).to_be_visible()
    await expect(navigation).not_to_be_in_viewport()
    assert [m for m in console_errors.messages if "/orders/events" not in m] == []
