"""The admin app's Products and Categories in a real browser: products made with attributes
from the category's JSON Schema (and sold in the customer app), images with a preview, the
CSV import in chunks, and the schema editor's check before a stricter schema is saved."""

import asyncio
import io
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.async_api import Browser, FilePayload, Page, Route, expect

from tests.browser.admin import sign_in_to_admin
from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, NewCustomer
from tests.browser.server import ADMIN_EMAIL, OmsServer

SLOW = 60_000  # ms: a few hundred rows imported on a busy machine
# The categories these tests make: their products are archived after each test.
CATEGORY_PREFIX = "lamps-"
LAMP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "shade": {"title": "Shade", "enum": ["linen", "glass", "paper"]},
        "height_cm": {"title": "Height in cm", "type": "number", "exclusiveMinimum": 0},
    },
    "required": ["shade", "height_cm"],
    "additionalProperties": False,
}


def _tag() -> str:
    return uuid.uuid4().hex[:8]


async def _every(api: httpx.AsyncClient, path: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        response = await api.get(
            path, params={**params, "limit": "100", **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


@pytest.fixture(autouse=True)
async def _products_leave_the_shop(admin_api: httpx.AsyncClient) -> AsyncIterator[None]:
    """The browser tests share one shop, whose first page the customer app's tests read:
    what these tests made is archived after each of them."""
    yield
    for category in await _every(admin_api, "/api/v1/categories"):
        if not category["code"].startswith(CATEGORY_PREFIX):
            continue
        for product in await _every(admin_api, "/api/v1/products", category=category["id"]):
            if product["active"]:
                archived = await admin_api.delete(f"/api/v1/products/{product['id']}")
                assert archived.status_code == 204, archived.text


async def _category(api: httpx.AsyncClient, schema: dict[str, Any]) -> dict[str, Any]:
    tag = _tag()
    response = await api.post(
        "/api/v1/categories",
        json={
            "code": f"{CATEGORY_PREFIX}{tag}",
            "name": f"Lamps {tag}",
            "attribute_schema": schema,
        },
    )
    assert response.status_code == 201, response.text
    category: dict[str, Any] = response.json()
    return category


async def _product(
    api: httpx.AsyncClient, category: dict[str, Any], attributes: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    tag = _tag()
    body = {
        "sku": f"LAMP-{tag}",
        "name": f"Lamp {tag}",
        "category_id": category["id"],
        "price": "25.00",
        "attributes": attributes,
        **fields,
    }
    response = await api.post("/api/v1/products", json=body)
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


async def _choose(page: Page, label: str | re.Pattern[str], option: str) -> None:
    """Picks `option` of a Mantine select."""
    await page.get_by_role("textbox", name=label).click()
    await page.get_by_role("option", name=option, exact=True).click()


async def _fill_product(page: Page, category: dict[str, Any], sku: str, name: str) -> None:
    await page.get_by_label(re.compile("^Name")).fill(name)
    await page.get_by_label(re.compile("^SKU")).fill(sku)
    await page.get_by_label(re.compile("^Price")).fill("34.90")
    await page.get_by_label(re.compile("^Stock")).fill("12")
    await _choose(page, re.compile("^Category"), category["name"])


async def test_a_product_made_with_schema_driven_attributes_is_sold_in_the_customer_app(
    page: Page,
    browser: Browser,
    oms_server: OmsServer,
    admin_api: httpx.AsyncClient,
    new_customer: NewCustomer,
    console_errors: ConsoleErrors,
) -> None:
    category = await _category(admin_api, LAMP_SCHEMA)
    tag = _tag()
    sku, name = f"LAMP-{tag}", f"Linen floor lamp {tag}"

    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/products")
    await expect(page.get_by_role("heading", name="Products", level=2)).to_be_visible()
    await expect(page.get_by_role("table", name="Products")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-products")

    await page.get_by_role("link", name="New product").click()
    await _fill_product(page, category, sku, name)
    await _choose(page, re.compile("^Shade"), "linen")
    await page.get_by_label(re.compile("^Height in cm")).fill("150")
    await check_accessibility(page)
    await screenshot(page, "admin-product-new")
    await page.get_by_role("button", name="Create product").click()

    await expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
    await page.wait_for_url(re.compile(r"/admin/products/[0-9a-f-]{36}$"))
    found = (await admin_api.get("/api/v1/products", params={"q": sku})).json()["items"]
    assert [(p["sku"], p["price"], p["stock"], p["attributes"]) for p in found] == [
        (sku, "34.90", 12, {"shade": "linen", "height_cm": 150})
    ]
    await check_accessibility(page)
    await screenshot(page, "admin-product")

    customer = await new_customer()
    shop = await browser.new_context(base_url=oms_server.url)
    try:
        shopper = console_errors.watch(await shop.new_page())
        await shopper.goto("/sign-in")
        await shopper.get_by_label(re.compile("^Email")).fill(customer.account.email)
        await shopper.get_by_label(re.compile("^Password")).fill(customer.account.password)
        await shopper.get_by_role("button", name="Sign in").click()
        await expect(shopper.get_by_role("heading", name="All products")).to_be_visible()
        await shopper.get_by_label("Search").fill(tag)
        await shopper.get_by_role("link", name=name).click()
        await expect(shopper.get_by_role("heading", name=name)).to_be_visible()
        await expect(shopper.get_by_role("table")).to_contain_text("linen")
        await screenshot(shopper, "customer-product-from-admin")
    finally:
        await shop.close()
    assert console_errors.messages == []


async def test_an_attribute_the_api_refuses_is_shown_under_its_field(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    category = await _category(admin_api, LAMP_SCHEMA)
    wanted = {"sku": f"LAMP-{_tag()}", "name": "Glass lamp", "category_id": category["id"]}
    refused = await admin_api.post(
        "/api/v1/products",
        json={**wanted, "price": "34.90", "attributes": {"shade": "glass", "height_cm": -3}},
    )
    assert refused.status_code == 400
    [error] = refused.json()["errors"]
    assert error["field"] == "attributes.height_cm"

    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/products/new")
    await _fill_product(page, category, wanted["sku"], wanted["name"])
    await _choose(page, re.compile("^Shade"), "glass")
    await page.get_by_label(re.compile("^Height in cm")).fill("-3")
    await page.get_by_role("button", name="Create product").click()

    refusal = page.get_by_role("alert").filter(has_text="do not match the schema")
    await expect(refusal).to_be_visible()
    # Under the field, beside what the browser's own check of the schema says.
    attributes = page.get_by_role("region", name="Attributes")
    await expect(attributes.locator("p").filter(has_text=error["message"])).to_be_visible()
    assert (await admin_api.get("/api/v1/products", params={"q": wanted["sku"]})).json()[
        "items"
    ] == []
    await check_accessibility(page)
    await screenshot(page, "admin-product-refused")

    await page.get_by_label(re.compile("^Height in cm")).fill("40")
    await page.get_by_role("button", name="Create product").click()
    await expect(page.get_by_role("heading", name="Glass lamp", level=2)).to_be_visible()
    assert [m for m in console_errors.messages if "400" not in m] == []


async def test_an_edit_on_a_stale_copy_says_so_and_shows_the_current_product(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    category = await _category(admin_api, LAMP_SCHEMA)
    product = await _product(admin_api, category, {"shade": "paper", "height_cm": 60})
    await sign_in_to_admin(page, ADMIN_EMAIL, path=f"/admin/products/{product['id']}")
    await expect(page.get_by_label(re.compile("^Price"))).to_have_value("25.00")

    changed = await admin_api.patch(f"/api/v1/products/{product['id']}", json={"price": "27.00"})
    assert changed.status_code == 200
    await page.get_by_label(re.compile("^Name")).fill("Paper lamp, renamed")
    await page.get_by_role("button", name="Save changes").click()

    stale = page.get_by_role("alert").filter(has_text="Someone else changed this")
    await expect(stale).to_be_visible()
    await expect(page.get_by_label(re.compile("^Price"))).to_have_value("27.00")
    current = (await admin_api.get(f"/api/v1/products/{product['id']}")).json()
    assert current["name"] == product["name"]
    assert [m for m in console_errors.messages if "412" not in m] == []


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


async def test_an_image_is_previewed_while_it_uploads_then_shown_as_stored_and_removable(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    category = await _category(admin_api, LAMP_SCHEMA)
    product = await _product(admin_api, category, {"shade": "linen", "height_cm": 120})
    held = asyncio.Event()

    async def hold_the_upload(route: Route) -> None:
        await held.wait()
        await route.continue_()

    await page.route("**/api/v1/products/*/images", hold_the_upload)
    await sign_in_to_admin(page, ADMIN_EMAIL, path=f"/admin/products/{product['id']}")
    await expect(page.get_by_text("No images yet.")).to_be_visible()

    await page.locator("input[type=file]").set_input_files(
        files=[FilePayload(name="lamp.png", mimeType="image/png", buffer=_png("#c0392b"))]
    )

    preview = page.get_by_role("img", name="Preview of lamp.png")
    await expect(preview).to_be_visible()
    assert (await preview.get_attribute("src") or "").startswith("blob:")
    await expect(page.get_by_text("Uploading…")).to_be_visible()
    await screenshot(page, "admin-product-image-uploading")
    held.set()

    stored = page.get_by_role("img", name=f"Image 1 of {product['name']}")
    await expect(stored).to_be_visible()
    stored_url = re.compile(r"^/api/v1/product-images/[0-9a-f]{64}$")
    await expect(stored).to_have_attribute("src", stored_url)
    await expect(preview).to_have_count(0)
    assert len((await admin_api.get(f"/api/v1/products/{product['id']}")).json()["images"]) == 1
    await check_accessibility(page)
    await screenshot(page, "admin-product-images")

    await page.get_by_role("button", name="Remove image 1").click()
    await expect(page.get_by_text("No images yet.")).to_be_visible()
    assert (await admin_api.get(f"/api/v1/products/{product['id']}")).json()["images"] == []
    assert console_errors.messages == []


def _import_file(category: dict[str, Any], tag: str, rows: int, bad: int) -> tuple[str, int]:
    """A CSV of `rows` products whose `bad`-th row has no valid price; the 3rd row's
    description spans two lines. Returns the text and the file line of the bad row."""
    lines = ["sku,name,description,price,stock,category,attributes"]
    bad_line = 0
    for number in range(1, rows + 1):
        attributes = json.dumps({"shade": "paper", "height_cm": number}).replace('"', '""')
        description = '"Two\nlines"' if number == 3 else f"Lamp number {number}"
        price = "twelve" if number == bad else f"{number}.50"
        if number == bad:
            bad_line = 1 + sum(line.count("\n") + 1 for line in lines)
        lines.append(
            f"CSV-{tag}-{number:03},Imported lamp {number},{description},{price},5,"
            f'{category["code"]},"{attributes}"'
        )
    return "\n".join(lines) + "\n", bad_line


async def test_a_csv_import_reports_the_bad_row_by_its_file_line_and_creates_the_others(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    category = await _category(admin_api, LAMP_SCHEMA)
    tag = _tag()
    rows, bad = 230, 215  # two chunks of the file; the bad row is in the second
    text, bad_line = _import_file(category, tag, rows, bad)
    assert bad_line == bad + 2  # the header's line, and the 3rd row's second line
    csv_file = FilePayload(name="lamps.csv", mimeType="text/csv", buffer=text.encode())

    async def imported() -> int:
        listed = await admin_api.get(
            "/api/v1/products", params={"category": category["id"], "limit": 100}
        )
        count = len(listed.json()["items"])
        cursor = listed.json()["next_cursor"]
        while cursor:
            listed = await admin_api.get(
                "/api/v1/products",
                params={"category": category["id"], "limit": 100, "cursor": cursor},
            )
            count += len(listed.json()["items"])
            cursor = listed.json()["next_cursor"]
        return count

    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/products")
    await page.get_by_role("link", name="Import CSV").click()
    await expect(page.get_by_role("heading", name="Import products", level=2)).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-product-import")

    await page.locator("input[type=file]").set_input_files(files=[csv_file])
    await page.get_by_label("Check only, save nothing").check()
    await page.get_by_role("button", name="Check", exact=True).click()
    progress = page.get_by_role("progressbar", name="Import progress")
    await expect(progress).to_have_attribute("aria-valuenow", "100", timeout=SLOW)
    await expect(page.get_by_text("Checked: nothing was saved.")).to_be_visible(timeout=SLOW)
    assert await imported() == 0

    await page.get_by_label("Check only, save nothing").uncheck()
    await page.get_by_role("button", name="Import", exact=True).click()
    await expect(page.get_by_text("The import is done.")).to_be_visible(timeout=SLOW)
    await expect(progress).to_have_attribute("aria-valuenow", "100")
    await expect(page.get_by_text(f"{rows} of {rows} rows (100 %)")).to_be_visible()

    results = page.get_by_role("table", name="Rows")
    failed = results.get_by_role("row").filter(has_text=f"CSV-{tag}-{bad:03}")
    await expect(failed).to_contain_text(str(bad_line))
    await expect(failed).to_contain_text("price")
    await expect(failed).to_contain_text("failed")
    await expect(results.get_by_role("row")).to_have_count(2)  # the header and the failed row
    await expect(page.locator(".mantine-Card-root").filter(has_text="Created")).to_contain_text(
        str(rows - 1)
    )
    assert await imported() == rows - 1
    await check_accessibility(page)
    await screenshot(page, "admin-product-import-done")
    assert console_errors.messages == []


async def test_the_schema_editor_lists_the_products_a_stricter_schema_would_break(
    page: Page, admin_api: httpx.AsyncClient, console_errors: ConsoleErrors
) -> None:
    loose = {"type": "object", "properties": {"shade": {"type": "string"}}}
    category = await _category(admin_api, loose)
    shaded = await _product(admin_api, category, {"shade": "linen"})
    bare = await _product(admin_api, category, {})
    stricter = {**loose, "required": ["shade"]}

    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/categories")
    await expect(page.get_by_role("heading", name="Categories", level=2)).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-categories")
    await page.get_by_role("link", name=category["name"], exact=True).click()
    editor = page.get_by_label("Attribute schema")
    await expect(editor).to_have_value(re.compile('"shade"'))

    await editor.fill('{"type": "object",')
    await expect(page.get_by_text(re.compile("^Not valid JSON"))).to_be_visible()
    await expect(page.get_by_role("button", name="Check", exact=True)).to_be_disabled()

    await editor.fill(json.dumps(stricter, indent=2))
    await page.get_by_role("button", name="Check", exact=True).click()

    broken = page.get_by_role("table", name="Products the schema would refuse")
    await expect(broken).to_be_visible()
    await expect(page.get_by_text("1 of 2 products would not satisfy this schema")).to_be_visible()
    link = broken.get_by_role("link", name=bare["sku"])
    await expect(link).to_have_attribute("href", f"/admin/products/{bare['id']}")
    await expect(broken).to_contain_text("attributes.shade")
    await expect(broken.get_by_role("link", name=shaded["sku"])).to_have_count(0)
    await check_accessibility(page)
    await screenshot(page, "admin-category-check")

    # Saving it anyway is refused by the API, which lists the same product.
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_role("alert").filter(has_text="would not satisfy")).to_have_count(2)
    unchanged = (await admin_api.get(f"/api/v1/categories/{category['id']}")).json()
    assert unchanged["attribute_schema"] == loose

    await link.click()
    await expect(page.get_by_role("heading", name=bare["name"], level=2)).to_be_visible()
    assert [m for m in console_errors.messages if "409" not in m] == []
