"""The admin app's settings in a real browser: the branding previewed in the shop's header
and in an email before it is saved, then seen in the customer app; an email template edited
with the backend's live preview, a broken one refused; and the configuration document
downloaded, and imported through its dry run.

The OMS is shared by the whole browser session: each test puts back what it changed."""

import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from playwright.async_api import Locator, Page, Request, expect

from tests.browser.admin import sign_in_to_admin
from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors
from tests.browser.server import ADMIN_EMAIL

BRANDING_FIELDS = (
    "shop_name",
    "primary_colour",
    "accent_colour",
    "support_email",
    "currency",
    "locale",
    "footer_text",
    "legal_links",
)


def tag() -> str:
    return uuid.uuid4().hex[:8]


def etag_of(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


async def branding_of(api: httpx.AsyncClient) -> dict[str, Any]:
    response = await api.get("/api/v1/branding")
    assert response.status_code == 200, response.text
    branding: dict[str, Any] = response.json()
    return branding


@pytest.fixture
async def saved_branding(admin_api: httpx.AsyncClient) -> AsyncIterator[dict[str, Any]]:
    """The branding as the test found it, saved again once it is over."""
    original = await branding_of(admin_api)
    yield original
    current = await branding_of(admin_api)
    restored = await admin_api.put(
        "/api/v1/branding",
        json={field: original[field] for field in BRANDING_FIELDS},
        headers=etag_of(current["version"]),
    )
    assert restored.status_code == 200, restored.text


async def test_an_admin_previews_the_branding_before_saving_and_the_shop_shows_it(
    page: Page,
    admin_api: httpx.AsyncClient,
    saved_branding: dict[str, Any],
    console_errors: ConsoleErrors,
) -> None:
    shop_name = f"Atelier {tag()}"
    colour = "#7c3aed"
    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/branding")
    await expect(page.get_by_role("heading", name="Branding", level=2)).to_be_visible()
    form = page.get_by_role("form", name="Branding")
    header = page.get_by_test_id("header-preview")
    email = page.get_by_role("region", name="Email")
    shop_name_field = form.get_by_role("textbox", name="Shop name")
    await expect(shop_name_field).to_have_value(saved_branding["shop_name"])
    await expect(header).to_contain_text(saved_branding["shop_name"])
    email_frame = email.locator("iframe[title='Email preview']")
    await expect(email_frame).to_have_attribute("srcdoc", _containing(saved_branding["shop_name"]))
    add_to_cart = page.get_by_text("Add to cart", exact=True)
    colour_before = await _background_of(add_to_cart)
    await check_accessibility(page)
    await screenshot(page, "admin-branding")

    previews: list[str] = []

    def on_request(request: Request) -> None:
        if request.url.endswith("/branding-preview"):
            previews.append(request.url)

    page.on("request", on_request)
    await shop_name_field.fill(shop_name)
    await form.get_by_role("textbox", name="Primary colour").fill(colour)
    await form.get_by_role("textbox", name="Primary colour").press("Tab")

    await expect(header).to_contain_text(shop_name)
    await expect(form.get_by_text("Unsaved changes: the previews show them.")).to_be_visible()
    await expect(email_frame).to_have_attribute("srcdoc", _containing(shop_name))
    await expect(email_frame).to_have_attribute("srcdoc", _containing(colour))
    # The email is the server's rendering of the draft.
    assert previews
    assert all("/email-templates/order_created/" in url for url in previews)
    assert await _background_of(add_to_cart) != colour_before
    assert await _background_of(add_to_cart) == "rgb(124, 58, 237)"
    # Nothing is saved yet: the shop still has its name.
    assert (await branding_of(admin_api))["shop_name"] == saved_branding["shop_name"]
    await check_accessibility(page)
    await screenshot(page, "admin-branding-preview")

    await form.get_by_role("button", name="Save branding").click()

    await expect(page.get_by_text("The branding is saved.")).to_be_visible()
    await expect(form.get_by_text("Unsaved changes: the previews show them.")).to_have_count(0)
    saved = await branding_of(admin_api)
    assert (saved["shop_name"], saved["primary_colour"]) == (shop_name, colour)
    assert saved["version"] == saved_branding["version"] + 1
    await page.goto("/")
    await expect(page.get_by_role("banner")).to_contain_text(shop_name)
    await check_accessibility(page)
    await screenshot(page, "customer-rebranded")
    assert console_errors.messages == []


def _containing(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text), re.IGNORECASE)


async def _background_of(locator: Locator) -> str:
    colour: str = await locator.evaluate(
        """element => {
            for (let at = element; at; at = at.parentElement) {
                const colour = getComputedStyle(at).backgroundColor;
                if (colour !== "rgba(0, 0, 0, 0)") return colour;
            }
            return "";
        }"""
    )
    return colour


TEMPLATE = "delivered"


@pytest.fixture
async def saved_template(admin_api: httpx.AsyncClient) -> AsyncIterator[dict[str, Any]]:
    """The template as the test found it, put back once it is over."""
    response = await admin_api.get(f"/api/v1/email-templates/{TEMPLATE}")
    assert response.status_code == 200, response.text
    original: dict[str, Any] = response.json()
    yield original
    current = (await admin_api.get(f"/api/v1/email-templates/{TEMPLATE}")).json()
    if current["version"] == original["version"]:
        return
    if original["edited"]:
        restored = await admin_api.put(
            f"/api/v1/email-templates/{TEMPLATE}",
            json={part: original[part] for part in ("subject", "html", "text")},
            headers=etag_of(current["version"]),
        )
    else:
        restored = await admin_api.delete(f"/api/v1/email-templates/{TEMPLATE}")
    assert restored.status_code in (200, 204), restored.text


async def test_an_email_template_is_previewed_as_typed_and_a_broken_one_is_not_saved(
    page: Page,
    admin_api: httpx.AsyncClient,
    saved_template: dict[str, Any],
    console_errors: ConsoleErrors,
) -> None:
    marker = tag()
    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/email-templates")
    await expect(page.get_by_role("heading", name="Email templates", level=2)).to_be_visible()
    await expect(page.get_by_role("link", name="order_created", exact=True)).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-email-templates")
    await page.get_by_role("link", name=TEMPLATE, exact=True).click()

    await expect(page.get_by_role("heading", name=f"Email template {TEMPLATE}")).to_be_visible()
    editor = page.get_by_role("form", name="Template")
    subject = editor.get_by_role("textbox", name="Subject")
    await expect(subject).to_have_value(saved_template["subject"])
    shown_subject = page.get_by_test_id("preview-subject")
    await expect(shown_subject).not_to_be_empty()
    await subject.fill(f"Order {{{{ order.number }}}} has arrived ({marker})")
    # The sample order's number, filled in by the server's rendering.
    await expect(shown_subject).to_have_text(re.compile(rf"^Order \S+ has arrived \({marker}\)$"))
    assert "{{" not in (await shown_subject.inner_text())
    await check_accessibility(page)
    await screenshot(page, "admin-email-template")

    await subject.fill("Order {{ order.number ")
    problem = page.get_by_test_id("problem-subject")
    await expect(problem).to_contain_text("Subject")
    await expect(page.get_by_text("The draft does not render")).to_be_visible()
    await editor.get_by_role("button", name="Save template").click()
    refused = editor.get_by_role("alert").filter(has_text="Not saved")
    await expect(refused).to_contain_text("the problems are shown under the parts")
    await expect(editor.get_by_text("Something went wrong")).to_have_count(0)
    await expect(problem).to_have_count(1)
    await check_accessibility(page)
    await screenshot(page, "admin-email-template-broken")
    kept = (await admin_api.get(f"/api/v1/email-templates/{TEMPLATE}")).json()
    assert kept["subject"] == saved_template["subject"]
    assert kept["version"] == saved_template["version"]

    good = f"Delivered: order {{{{ order.number }}}} ({marker})"
    await subject.fill(good)
    await expect(problem).to_have_count(0)
    await expect(refused).to_have_count(0)
    await expect(editor.get_by_role("alert")).to_have_count(0)
    await expect(shown_subject).to_have_text(re.compile(rf"^Delivered: order \S+ \({marker}\)$"))
    await editor.get_by_role("button", name="Save template").click()

    await expect(page.get_by_text("The template is saved.")).to_be_visible()
    saved = (await admin_api.get(f"/api/v1/email-templates/{TEMPLATE}")).json()
    assert saved["subject"] == good
    assert saved["edited"] is True
    await page.get_by_role("link", name="← All email templates").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TEMPLATE, exact=True))
    await expect(row).to_contain_text(marker)
    await expect(row).to_contain_text("Edited")
    # The browser reports the refused previews and the refused save (400), nothing else.
    assert [m for m in console_errors.messages if "400" not in m] == []


async def exported(api: httpx.AsyncClient) -> str:
    response = await api.get("/api/v1/config/export", headers={"Accept": "application/yaml"})
    assert response.status_code == 200, response.text
    return response.text


async def imported(api: httpx.AsyncClient, document: str, *, dry_run: bool) -> dict[str, Any]:
    response = await api.post(
        "/api/v1/config/import",
        params={"dry_run": str(dry_run).lower()},
        content=document,
        headers={"Content-Type": "application/yaml"},
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def status_codes(api: httpx.AsyncClient) -> list[str]:
    response = await api.get("/api/v1/workflow/statuses")
    assert response.status_code == 200, response.text
    return [status["code"] for status in response.json()]


def importable(exported_document: str) -> dict[str, Any]:
    """The exported document as this same OMS takes it back: its secrets are `${ENV_VAR}`
    references this OMS's environment does not set, and a secret left out is kept."""
    document: dict[str, Any] = yaml.safe_load(exported_document)
    for worker in document["worker_configurations"]:
        worker["settings"].pop("secret", None)
    return document


@pytest.fixture
async def original_configuration(admin_api: httpx.AsyncClient) -> AsyncIterator[str]:
    """The configuration as the test found it, imported again once it is over (what the
    test's document added is removed)."""
    document = await exported(admin_api)
    yield document
    await imported(admin_api, written_text(importable(document)), dry_run=False)
    assert await exported(admin_api) == document


def written(folder: Path, name: str, document: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    return path


async def test_the_configuration_downloads_as_yaml_and_imports_through_its_dry_run(
    page: Page,
    admin_api: httpx.AsyncClient,
    original_configuration: str,
    tmp_path: Path,
    console_errors: ConsoleErrors,
) -> None:
    marker = tag()
    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/configuration")
    await expect(page.get_by_role("heading", name="Configuration", level=2)).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "admin-configuration")

    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download oms.yaml").click()
    download = await download_info.value
    assert download.suggested_filename == "oms.yaml"
    document = yaml.safe_load((await download.path()).read_text(encoding="utf-8"))
    assert document == yaml.safe_load(original_configuration)
    assert document["version"] == 1
    assert document["branding"]["shop_name"] == (await branding_of(admin_api))["shop_name"]
    codes = [status["code"] for status in document["statuses"]]
    assert {"new", "confirmed", "cancelled"} <= set(codes)
    assert codes == await status_codes(admin_api)

    bad = importable(original_configuration)
    bad["statuses"].append({"code": "Not A Code", "name": "", "colour": "red"})
    bad["transitions"].append({"from_status": "new", "to_status": f"nowhere_{marker}"})
    importer = page.get_by_role("region", name="Import")
    await importer.locator("input[type=file]").set_input_files(
        written(tmp_path, "broken.yaml", bad)
    )
    problems = page.get_by_test_id("config-problems").get_by_role("listitem")
    await expect(
        page.get_by_role("alert").filter(has_text="The document is refused")
    ).to_be_visible()
    await expect(problems).not_to_have_count(0)
    shown = await problems.all_inner_texts()
    assert len(shown) >= 4, shown
    new_status = len(bad["statuses"]) - 1
    assert any(f"statuses[{new_status}].code" in problem for problem in shown), shown
    assert any(f"statuses[{new_status}].colour" in problem for problem in shown), shown
    assert any(f"transitions[{len(bad['transitions']) - 1}].roles" in p for p in shown), shown
    await expect(page.get_by_test_id("dry-run")).to_have_count(0)
    await check_accessibility(page)
    await screenshot(page, "admin-configuration-refused")

    good = importable(original_configuration)
    code = f"review_{marker}"
    # A status orders can reach and leave: the document's workflow must stay whole. (Each
    # list its own: OMS refuses YAML aliases.)
    roles = good["transitions"][0]["roles"]
    good["statuses"].append({"code": code, "name": f"Review {marker}", "colour": "#0f766e"})
    good["transitions"].append({"from_status": "new", "to_status": code, "roles": [*roles]})
    good["transitions"].append({"from_status": code, "to_status": "cancelled", "roles": [*roles]})
    await importer.locator("input[type=file]").set_input_files(written(tmp_path, "good.yaml", good))
    dry_run = page.get_by_test_id("dry-run")
    await expect(dry_run).to_contain_text("What good.yaml would change")
    await expect(page.get_by_test_id("config-problems")).to_have_count(0)
    changes = dry_run.get_by_test_id("config-change")
    await expect(changes).to_have_count(3)
    for change in await changes.all():
        await expect(change).to_contain_text("add")
        await expect(change).to_contain_text(code)
    await expect(dry_run).to_contain_text("3 additions")
    await expect(dry_run).to_contain_text("0 changes")
    await expect(dry_run).to_contain_text("0 removals")
    # The dry run changed nothing.
    assert code not in await status_codes(admin_api)
    await check_accessibility(page)
    await screenshot(page, "admin-configuration-dry-run")

    await dry_run.get_by_role("button", name="Apply").click()
    confirm = page.get_by_role("dialog", name="Apply the document?")
    await expect(confirm).to_contain_text("3 changes are made at once")
    await confirm.get_by_role("button", name="Apply now").click()

    applied = page.get_by_role("status").filter(has_text="Applied")
    await expect(applied).to_contain_text("3 changes were made")
    await expect(applied).to_contain_text(code)
    assert (await status_codes(admin_api))[-1] == code
    transitions = (await admin_api.get("/api/v1/workflow/transitions")).json()
    assert {("new", code), (code, "cancelled")} <= {
        (transition["from_status"], transition["to_status"]) for transition in transitions
    }
    assert (await imported(admin_api, written_text(good), dry_run=True))["changes"] == []
    # The browser reports the refused document (400), nothing else.
    assert [m for m in console_errors.messages if "400" not in m] == []


def written_text(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
