"""The admin app's integrations in a real browser: dead webhook deliveries replayed from the
delivery log, one by one and in bulk, once the receiver answers again; and a configuration's
"send test" reaching the receiver, its result shown."""

import json
from typing import Any

import httpx
from playwright.async_api import Locator, Page, expect

from tests.browser.admin import sign_in_to_admin
from tests.browser.checks import check_accessibility, screenshot
from tests.browser.conftest import ConsoleErrors, NewCustomer
from tests.browser.server import ADMIN_EMAIL
from tests.browser.shared_workflow import WorkflowChanges, eventually
from tests.browser.test_customer_app import place_order
from tests.events.services import HttpReceiver

# Not stock-tracked: the tests may place as many orders as they like.
UNTRACKED_SKU = "ELE-CHARGER-65"


async def deliveries_of(admin_api: httpx.AsyncClient, configuration_id: str) -> list[Any]:
    answer = await admin_api.get(
        "/api/v1/deliveries", params={"configuration_id": configuration_id, "limit": 100}
    )
    assert answer.status_code == 200, answer.text
    items: list[Any] = answer.json()["items"]
    return items


def statuses_by_order(deliveries: list[Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for delivery in deliveries:
        found.setdefault(delivery["order_id"], set()).add(delivery["status"])
    return found


def log_rows(page: Page) -> Locator:
    return page.locator("tbody tr[data-delivery]")


async def test_dead_deliveries_are_replayed_from_the_log_one_and_in_bulk(
    page: Page,
    new_customer: NewCustomer,
    admin_api: httpx.AsyncClient,
    workflow_changes: WorkflowChanges,
    receiver: HttpReceiver,
    console_errors: ConsoleErrors,
) -> None:
    receiver.default_status = 500
    webhook = await workflow_changes.add_webhook(
        "Flaky ERP", receiver.url("/erp"), trigger_events=["order.created"]
    )
    customer = await new_customer()
    orders = [await place_order(customer.api, UNTRACKED_SKU) for _ in range(3)]
    order_ids = {order["id"] for order in orders}
    # Each order's event is tried twice (OMS_RETRY_DELAYS has one retry), then given up.
    dead = await eventually(
        lambda: deliveries_of(admin_api, webhook["id"]),
        lambda found: sum(delivery["status"] == "dead" for delivery in found) == 3,
    )
    assert statuses_by_order(dead) == {order_id: {"failed", "dead"} for order_id in order_ids}
    assert [request.status for request in receiver.at("/erp")] == [500] * 6

    receiver.default_status = 204
    await sign_in_to_admin(
        page, ADMIN_EMAIL, path=f"/admin/deliveries?status=dead&configuration_id={webhook['id']}"
    )
    await expect(page.get_by_role("heading", name="Deliveries", level=2)).to_be_visible()
    await expect(log_rows(page)).to_have_count(3)
    await expect(log_rows(page).filter(has_text="Dead")).to_have_count(3)
    await expect(log_rows(page).first).to_contain_text("HTTP 500")
    await check_accessibility(page)
    await screenshot(page, "admin-deliveries-dead")

    # One replayed on its own...
    first = log_rows(page).first
    await first.get_by_role("button", name="Replay", exact=False).click()
    await expect(first).to_contain_text("Replay queued")
    # ... and the two others together.
    for row in (log_rows(page).nth(1), log_rows(page).nth(2)):
        await row.get_by_role("checkbox").check()
    await page.get_by_role("button", name="Replay 2 selected").click()
    await expect(page.get_by_role("status").filter(has_text="Replays queued")).to_have_text(
        "Replays queued: 2, refused: 0."
    )

    await page.get_by_role("textbox", name="Status").click()
    await page.get_by_role("option", name="Succeeded").click()
    await expect(log_rows(page)).to_have_count(3, timeout=20_000)
    await expect(log_rows(page).filter(has_text="Succeeded")).to_have_count(3)
    await expect(log_rows(page).first).to_contain_text("204")
    await check_accessibility(page)
    await screenshot(page, "admin-deliveries-replayed")

    deliveries = await deliveries_of(admin_api, webhook["id"])
    assert statuses_by_order(deliveries) == {
        order_id: {"failed", "dead", "succeeded"} for order_id in order_ids
    }
    answered = [request for request in receiver.at("/erp") if request.status == 204]
    assert len(answered) == 3
    delivered = {json.loads(request.body)["order_id"] for request in answered}
    assert delivered == order_ids

    # The order's timeline tells the same: given up at first, delivered in the end.
    await page.goto(f"/admin/orders/{orders[0]['id']}")
    placed = page.get_by_role("region", name="Timeline").locator("[data-status=new]")
    await expect(placed).to_contain_text(f"Webhook · {webhook['name']}")
    await expect(placed).to_contain_text("Attempt 3")
    await expect(placed.get_by_role("listitem").filter(has_text=webhook["name"])).to_contain_text(
        "delivered"
    )
    await check_accessibility(page)
    await screenshot(page, "admin-order-replayed-webhook")
    assert console_errors.messages == []


async def test_send_test_reaches_the_receiver_and_shows_the_result(
    page: Page,
    workflow_changes: WorkflowChanges,
    receiver: HttpReceiver,
    console_errors: ConsoleErrors,
) -> None:
    webhook = await workflow_changes.add_webhook("Test target", receiver.url("/probe"))
    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/integrations?type=webhook")
    row = page.get_by_role("row").filter(has_text=webhook["name"])
    await expect(row).to_contain_text(receiver.url("/probe"))

    await row.get_by_role("button", name=f"Send a test event to {webhook['name']}").click()
    dialog = page.get_by_role("dialog", name=f"Send a test event to {webhook['name']}")
    await dialog.get_by_role("textbox", name="Sample order's status").click()
    await page.get_by_role("option", name="Shipped (shipped)").click()
    await dialog.get_by_role("button", name="Send test event").click()

    result = dialog.get_by_role("status")
    await expect(result).to_contain_text("Succeeded", timeout=20_000)
    await expect(result).to_contain_text("attempt 1")
    await expect(result).to_contain_text("200")
    await check_accessibility(page)
    await screenshot(page, "admin-integrations-test-sent")

    [request] = receiver.at("/probe")
    event = json.loads(request.body)
    assert (event["type"], event["test"]) == ("order.status_changed", True)
    assert event["data"]["order"]["status"]["code"] == "shipped"

    # A receiver that fails is shown as failing: retried once, then given up.
    receiver.default_status = 503
    await dialog.get_by_role("button", name="Send test event").click()
    await expect(result).to_contain_text("Dead", timeout=20_000)
    await expect(result).to_contain_text("attempt 2")
    await expect(result).to_contain_text("HTTP 503")
    assert [request.status for request in receiver.at("/probe")] == [200, 503, 503]
    await dialog.get_by_role("link", name="See it in the delivery log").click()
    await expect(log_rows(page)).to_have_count(2)
    await expect(log_rows(page).first).to_contain_text("Dead")
    await check_accessibility(page)
    await screenshot(page, "admin-deliveries-test-event")
    assert console_errors.messages == []
