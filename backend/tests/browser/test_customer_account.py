"""The customer's own account in a real browser: a forgotten password reset through the
mailed link, the profile, saved addresses (a stale edit among them), the password change,
the German locale, and checkout from a saved address."""

import asyncio
import json
import re
import time
import uuid
from typing import Any

import httpx
from playwright.async_api import Locator, Page, Route, expect

from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, NewCustomer
from tests.browser.test_customer_app import sign_in
from tests.browser.test_customer_checkout import fill_new_address

RESET_LINK = re.compile(r"http://\S+/reset-password\?token=[\w-]+")
HOME = {
    "label": "Home",
    "name": "Sam Shopper",
    "line1": "Hauptstraße 5",
    "line2": "Hinterhaus",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
    "phone": "+49 30 1234567",
}
OFFICE = {
    "label": "Office",
    "name": "Sam Shopper",
    "line1": "Marienplatz 1",
    "city": "München",
    "postal_code": "80331",
    "country": "DE",
}
SHIPPING_FIELDS = ("name", "line1", "line2", "city", "postal_code", "country", "phone")


async def sent_mail_to(
    admin_api: httpx.AsyncClient, email: str, *, within: float = 30.0
) -> dict[str, Any]:
    """The newest mail the email worker sent to `email`, waiting up to `within` seconds for
    it to arrive in the sent-mail view."""
    deadline = time.monotonic() + within
    while True:
        response = await admin_api.get("/api/v1/sent-emails", params={"limit": 100})
        assert response.status_code == 200, response.text
        for mail in response.json()["items"]:
            if email in mail["recipients"]:
                found: dict[str, Any] = mail
                return found
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {email} within {within}s")
        await asyncio.sleep(0.2)


async def save_address(api: httpx.AsyncClient, address: dict[str, Any]) -> dict[str, Any]:
    response = await api.post(
        "/api/v1/me/addresses", json=address, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.status_code == 201, response.text
    saved: dict[str, Any] = response.json()
    return saved


async def request_reset(page: Page, email: str) -> str:
    """Asks for a reset link for `email` on the page; the confirmation it shows."""
    await page.get_by_label(re.compile("^Email")).fill(email)
    await page.get_by_role("button", name="Send link").click()
    confirmation = page.get_by_role("status").filter(has_text="reset the password")
    await expect(confirmation).to_be_visible()
    return await confirmation.inner_text()


async def test_a_forgotten_password_is_reset_through_the_mailed_link_once(
    page: Page,
    new_customer: NewCustomer,
    admin_api: httpx.AsyncClient,
    console_errors: ConsoleErrors,
) -> None:
    customer = await new_customer()
    email = customer.account.email
    await page.goto("/sign-in")
    await page.get_by_role("link", name="Forgot your password?").click()
    await expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "customer-forgot-password")

    # Nobody learns from the answer whether an address has an account.
    nobody = f"nobody-{uuid.uuid4().hex[:10]}@example.com"
    unknown = await request_reset(page, nobody)
    await page.reload()
    known = await request_reset(page, email)
    assert known == unknown
    await check_accessibility(page)

    mail = await sent_mail_to(admin_api, email)
    assert mail["event_id"] is not None, "sent by the email worker, from the outbox"
    links = set(RESET_LINK.findall(mail["text_body"]))
    assert len(links) == 1, mail["text_body"]
    link = links.pop()

    await page.goto(link)
    await expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    new_password = page.get_by_label(re.compile("^New password"))
    await new_password.fill("short")
    await page.get_by_label(re.compile("^Repeat the password")).fill("short")
    await page.get_by_role("button", name="Set password").click()
    await expect_field_error(new_password, "At least 12 characters")
    await check_accessibility(page)
    await screenshot(page, "customer-reset-password")

    chosen = f"Reset-{uuid.uuid4().hex[:12]}"
    await new_password.fill(chosen)
    await page.get_by_label(re.compile("^Repeat the password")).fill(chosen)
    await page.get_by_role("button", name="Set password").click()
    await expect(page.get_by_role("status").filter(has_text="Your password is set.")).to_have_text(
        "Your password is set. You can sign in with it now."
    )
    await check_accessibility(page)

    await page.get_by_role("link", name="Back to sign in").click()
    await page.get_by_label(re.compile("^Email")).fill(email)
    await page.get_by_label(re.compile("^Password")).fill(customer.account.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("The email or the password is not right.")).to_be_visible()
    await page.get_by_label(re.compile("^Password")).fill(chosen)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="All products")).to_be_visible()

    # The link works once.
    await page.goto(link)
    again = f"Again-{uuid.uuid4().hex[:12]}"
    await page.get_by_label(re.compile("^New password")).fill(again)
    await page.get_by_label(re.compile("^Repeat the password")).fill(again)
    await page.get_by_role("button", name="Set password").click()
    refused = page.get_by_role("alert").filter(has_text="This link is invalid")
    await expect(refused).to_contain_text("already used")
    await expect(refused.get_by_role("link", name="Request a new link")).to_be_visible()
    await check_accessibility(page)
    mails = (await admin_api.get("/api/v1/sent-emails", params={"limit": 100})).json()["items"]
    assert not [m for m in mails if nobody in m["recipients"]]

    # The browser logs the refused old password and the refused used link itself.
    expected = ("/api/v1/auth/session", "/api/v1/auth/password-reset/confirm")
    assert [m for m in console_errors.messages if not any(path in m for path in expected)] == []
    assert len(console_errors.messages) == 2, console_errors.messages


async def fill_address_form(page: Page, address: dict[str, Any]) -> None:
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label(re.compile("^Label")).fill(address["label"])
    await dialog.get_by_label(re.compile("^Name")).fill(address["name"])
    await dialog.get_by_label(re.compile("^Street and number")).fill(address["line1"])
    await dialog.get_by_label(re.compile("^Address line 2")).fill(address.get("line2", ""))
    await dialog.get_by_label(re.compile("^Postal code")).fill(address["postal_code"])
    await dialog.get_by_label(re.compile("^City")).fill(address["city"])
    await dialog.get_by_role("textbox", name="Country").fill("Germany")
    await page.get_by_role("option", name="Germany", exact=True).click()
    await dialog.get_by_label(re.compile("^Phone")).fill(address.get("phone", ""))


async def expect_field_error(field: Locator, message: str | re.Pattern[str]) -> None:
    """`message` shows under `field`, and a screen reader reads it with the field."""
    error = field.page.locator(f"#{await field.get_attribute('id')}-error")
    await expect(error).to_have_text(message)
    await expect(field).to_have_accessible_description(
        re.compile(re.escape(message) if isinstance(message, str) else message.pattern)
    )


def dialog_field(page: Page, label: str) -> Locator:
    return page.get_by_role("dialog").get_by_label(re.compile(f"^{label}"))


def address_card(page: Page, label: str) -> Any:
    return page.locator("section", has_text="Saved addresses").locator(
        ".mantine-Card-root", has=page.get_by_text(label, exact=True)
    )


async def test_the_customer_keeps_profile_addresses_and_password(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    await sign_in(page, customer.account.email, customer.account.password, path="/account")
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await expect(page.get_by_text("No saved addresses yet.")).to_be_visible()

    await page.get_by_label("Full name").fill("Samantha Shopper")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    await page.reload()
    await expect(page.get_by_label("Full name")).to_have_value("Samantha Shopper")
    assert (await customer.api.get("/api/v1/me")).json()["full_name"] == "Samantha Shopper"

    # The first address: the app checks the phone itself, and shows at each field what the
    # server refuses (changed on its way here, since the app checks as the server does).
    await page.get_by_role("button", name="Add address").click()
    await expect(page.get_by_role("dialog", name="Add address")).to_be_visible()
    await fill_address_form(page, {**HOME, "phone": "call me"})
    await page.get_by_role("button", name="Save address").click()
    await expect_field_error(
        dialog_field(page, "Phone"), "Enter a phone number such as +49 30 1234567"
    )
    await page.get_by_role("dialog").get_by_label(re.compile("^Phone")).fill(HOME["phone"])

    async def spoil(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        await route.continue_(
            post_data=json.dumps({**body, "postal_code": "1" * 21, "phone": "12"})
        )

    await page.route("**/api/v1/me/addresses", spoil)
    await page.get_by_role("button", name="Save address").click()
    await expect_field_error(dialog_field(page, "Postal code"), re.compile("20 characters"))
    await expect_field_error(
        dialog_field(page, "Phone"), re.compile("pattern|match", re.IGNORECASE)
    )
    await check_accessibility(page)
    await page.unroute("**/api/v1/me/addresses", spoil)
    await page.get_by_role("button", name="Save address").click()
    await expect(page.get_by_role("dialog")).to_have_count(0)
    home = address_card(page, "Home")
    await expect(home).to_contain_text("Hinterhaus")
    await expect(home).to_contain_text("Default")

    await page.get_by_role("button", name="Add address").click()
    await fill_address_form(page, OFFICE)
    await page.get_by_role("button", name="Save address").click()
    await expect(page.get_by_role("dialog")).to_have_count(0)
    office = address_card(page, "Office")
    await expect(office).to_contain_text("80331 München")
    await expect(office).not_to_contain_text("Default")

    await office.get_by_role("button", name="Make default").click()
    await expect(office).to_contain_text("Default")
    await expect(home).not_to_contain_text("Default")
    await expect(home.get_by_role("button", name="Make default")).to_be_visible()

    # Clearing an optional field removes it.
    await page.get_by_role("button", name="Edit Home").click()
    dialog = page.get_by_role("dialog", name="Edit")
    await expect(dialog.get_by_label(re.compile("^City"))).to_have_value("Berlin")
    await dialog.get_by_label(re.compile("^City")).fill("Potsdam")
    await dialog.get_by_label(re.compile("^Postal code")).fill("14467")
    await dialog.get_by_label(re.compile("^Address line 2")).fill("")
    await dialog.get_by_label(re.compile("^Phone")).fill("")
    await page.get_by_role("button", name="Save address").click()
    await expect(page.get_by_role("dialog")).to_have_count(0)
    await expect(home).to_contain_text("14467 Potsdam")
    await expect(home).not_to_contain_text("Hinterhaus")
    await check_accessibility(page)
    await screenshot(page, "customer-addresses")
    saved = {
        a["label"]: a for a in (await customer.api.get("/api/v1/me/addresses")).json()["items"]
    }
    assert saved["Home"]["city"] == "Potsdam"
    assert saved["Home"]["line2"] is None
    assert saved["Home"]["phone"] is None
    assert saved["Office"]["is_default"] is True

    await page.get_by_role("button", name="Delete Home").click()
    await expect(home).to_have_count(0)
    await expect(office).to_be_visible()
    remaining = (await customer.api.get("/api/v1/me/addresses")).json()["items"]
    assert [a["label"] for a in remaining] == ["Office"]

    # The password: the current one is asked for.
    password = page.locator("section", has_text="Change password")
    new = f"Changed-{uuid.uuid4().hex[:12]}"
    await password.get_by_label(re.compile("^Current password")).fill("not-the-password")
    await password.get_by_label(re.compile("^New password")).fill(new)
    await password.get_by_label(re.compile("^Repeat the password")).fill(new)
    await password.get_by_role("button", name="Change password").click()
    current = password.get_by_label(re.compile("^Current password"))
    await expect_field_error(current, "The current password is wrong.")
    await check_accessibility(page)
    await screenshot(page, "customer-account")

    await current.fill(customer.account.password)
    await password.get_by_role("button", name="Change password").click()
    await expect(page.get_by_text("Your password is changed.")).to_be_visible()
    await expect(current).to_have_value("")
    # Whoever changed it stays signed in here.
    await page.reload()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await expect(page.get_by_label("Full name")).to_have_value("Samantha Shopper")

    async with httpx.AsyncClient(base_url=str(customer.api.base_url)) as anonymous:
        old = await anonymous.post(
            "/api/v1/auth/token",
            json={"email": customer.account.email, "password": customer.account.password},
        )
        changed = await anonymous.post(
            "/api/v1/auth/token", json={"email": customer.account.email, "password": new}
        )
    assert old.status_code == 401
    assert changed.status_code == 200, changed.text
    # The browser logs the refused requests themselves.
    refused = [m for m in console_errors.messages if re.search(r"\b(400|422)\b", m)]
    assert [m for m in console_errors.messages if m not in refused] == []


async def test_a_stale_address_edit_shows_the_current_values(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    home = await save_address(customer.api, HOME)
    await sign_in(page, customer.account.email, customer.account.password, path="/account")
    await page.get_by_role("button", name="Edit Home").click()
    dialog = page.get_by_role("dialog", name="Edit")
    await expect(dialog.get_by_label(re.compile("^City"))).to_have_value("Berlin")

    # Meanwhile, in another tab.
    changed = await customer.api.patch(
        f"/api/v1/me/addresses/{home['id']}",
        json={"city": "Hamburg", "postal_code": "20095"},
        headers={"If-Match": f'"{home["version"]}"'},
    )
    assert changed.status_code == 200, changed.text

    await dialog.get_by_label(re.compile("^Street and number")).fill("Hauptstraße 7")
    await dialog.get_by_role("button", name="Save address").click()
    await expect(dialog.get_by_role("alert")).to_have_text(
        "Someone else changed this in the meantime. You now see the current version."
    )
    await expect(dialog.get_by_label(re.compile("^City"))).to_have_value("Hamburg")
    await expect(dialog.get_by_label(re.compile("^Postal code"))).to_have_value("20095")
    await expect(dialog.get_by_label(re.compile("^Street and number"))).to_have_value(
        "Hauptstraße 5"
    )
    await check_accessibility(page)

    # Saved again over the current version, the change goes through.
    await dialog.get_by_label(re.compile("^Street and number")).fill("Hauptstraße 7")
    await dialog.get_by_role("button", name="Save address").click()
    await expect(page.get_by_role("dialog")).to_have_count(0)
    current = (await customer.api.get(f"/api/v1/me/addresses/{home['id']}")).json()
    assert (current["line1"], current["city"]) == ("Hauptstraße 7", "Hamburg")
    stale = [m for m in console_errors.messages if "412" in m]
    assert len(stale) == 1
    assert [m for m in console_errors.messages if m not in stale] == []


async def test_the_german_locale_is_chosen_in_the_app_and_kept(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    await sign_in(page, customer.account.email, customer.account.password)
    await expect(page.get_by_role("heading", name="All products")).to_be_visible()
    await page.get_by_role("radiogroup", name="Language").get_by_text("Deutsch").click()
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    await expect(navigation.get_by_role("link", name="Meine Bestellungen")).to_be_visible()
    await expect(navigation.get_by_role("link", name="Mein Konto")).to_be_visible()
    await expect(page.get_by_role("heading", name="Alle Produkte")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "de")

    await page.reload()
    await expect(navigation.get_by_role("link", name="Meine Bestellungen")).to_be_visible()
    await expect(page.get_by_role("heading", name="Alle Produkte")).to_be_visible()
    await navigation.get_by_role("link", name="Mein Konto").click()
    await expect(page.get_by_role("heading", name="Mein Konto")).to_be_visible()
    await expect(page.get_by_role("heading", name="Gespeicherte Adressen")).to_be_visible()
    assert await page.title() == f"Mein Konto · {await page.locator('header h1').inner_text()}"
    await check_accessibility(page)
    await screenshot(page, "customer-german")
    assert console_errors.messages == []


async def test_checkout_ships_to_the_default_saved_address(
    page: Page, new_customer: NewCustomer, console_errors: ConsoleErrors
) -> None:
    customer = await new_customer()
    await save_address(customer.api, HOME)
    office = await save_address(customer.api, {**OFFICE, "is_default": True})
    await sign_in(page, customer.account.email, customer.account.password)
    await page.get_by_role("button", name="Add Oak dining chair to cart").click()
    await page.goto("/checkout")
    await expect(page.get_by_text("Order total")).to_be_visible()
    await expect(page.get_by_role("radio", name=re.compile("^Office"))).to_be_checked()
    await expect(page.get_by_role("radio", name=re.compile("^Home"))).not_to_be_checked()
    # A saved address needs no form.
    await expect(page.get_by_label(re.compile("^Street and number"))).to_have_count(0)
    await check_accessibility(page)

    await page.get_by_role("button", name="Place order").click()
    await page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}$"))
    await expect(page.get_by_text("Marienplatz 1")).to_be_visible()
    orders = (await customer.api.get("/api/v1/orders")).json()["items"]
    assert len(orders) == 1
    order = (await customer.api.get(f"/api/v1/orders/{orders[0]['id']}")).json()
    assert {key: order["shipping_address"].get(key) for key in SHIPPING_FIELDS} == {
        key: office[key] for key in SHIPPING_FIELDS
    }
    # Nothing new was saved from checkout.
    assert len((await customer.api.get("/api/v1/me/addresses")).json()["items"]) == 2
    assert [m for m in console_errors.messages if "/orders/events" not in m] == []


async def test_a_new_address_at_checkout_is_saved_as_the_first_default(
    page: Page, new_customer: NewCustomer
) -> None:
    customer = await new_customer()
    await sign_in(page, customer.account.email, customer.account.password)
    await page.get_by_role("button", name="Add Oak dining chair to cart").click()
    await page.goto("/checkout")
    await fill_new_address(page)
    await page.get_by_role("button", name="Place order").click()
    await page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}$"))
    await page.goto("/account")
    card = address_card(page, "Sam Shopper")
    await expect(card).to_contain_text("Default")
    await expect(card).to_contain_text("10115 Berlin")
