"""The admin app's workflow editor in a real browser: a status and a transition added on the
graph, a webhook made for the new status through its generated settings form, an order moved
into it and the webhook's delivery seen in the order's timeline (and really received); and
the problems the API finds in the workflow drawn on the graph."""

import asyncio
import json
import re
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


def status_node(page: Page, code: str) -> Locator:
    return page.locator(f".react-flow__node[data-id='{code}']")


async def steady_centre(handle: Locator) -> tuple[float, float]:
    """The middle of `handle` once it stands still (the graph may still be fitting itself
    to the view)."""
    last = None
    for _ in range(50):
        box = await handle.bounding_box()
        assert box is not None
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if centre == last:
            return centre
        last = centre
        await asyncio.sleep(0.1)
    raise AssertionError(f"{handle} keeps moving")


async def draw_transition(page: Page, source: str, target: str) -> None:
    """Drags from `source`'s exit handle to `target`'s entry handle, as a person would, the
    graph scrolled to the middle of the window (clear of the app's fixed header) and no
    dialog over it."""
    await page.locator(".react-flow").evaluate("graph => graph.scrollIntoView({block: 'center'})")
    await expect(page.locator(".mantine-Modal-overlay")).to_have_count(0)
    start = await steady_centre(status_node(page, source).locator(".react-flow__handle.source"))
    end = await steady_centre(status_node(page, target).locator(".react-flow__handle.target"))
    await page.mouse.move(*start)
    await page.mouse.down()
    await page.mouse.move(*end, steps=20)
    await page.mouse.up()


async def move_via_api(admin_api: httpx.AsyncClient, order: dict[str, Any], *path: str) -> None:
    version = order["version"]
    for status in path:
        moved = await admin_api.patch(
            f"/api/v1/orders/{order['id']}/status",
            json={"status": status},
            headers={"If-Match": f'"{version}"'},
        )
        assert moved.status_code == 200, moved.text
        version = moved.json()["version"]


async def test_an_admin_adds_a_status_and_a_webhook_and_sees_its_delivery_in_the_timeline(
    page: Page,
    new_customer: NewCustomer,
    admin_api: httpx.AsyncClient,
    workflow_changes: WorkflowChanges,
    receiver: HttpReceiver,
    console_errors: ConsoleErrors,
) -> None:
    code, name = workflow_changes.code("on_hold"), workflow_changes.name("On hold")
    webhook_name = workflow_changes.name("Hold alert")
    customer = await new_customer()
    order = await place_order(customer.api, UNTRACKED_SKU)
    await move_via_api(admin_api, order, "confirmed", "processing")

    # The status, in the editor's form.
    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/workflow")
    await expect(page.get_by_role("heading", name="Workflow", level=2)).to_be_visible()
    await expect(status_node(page, "processing")).to_be_visible()
    await page.get_by_role("button", name="Add status").click()
    editor = page.get_by_role("dialog", name="New status")
    await editor.get_by_label("Code", exact=False).first.fill(code)
    await editor.get_by_role("textbox", name="Name", exact=True).fill(name)
    await editor.get_by_role("button", name="Create status").click()
    await expect(editor).to_have_count(0)
    await expect(status_node(page, code)).to_be_visible()

    # The transition, drawn on the graph from Processing to the new status.
    await draw_transition(page, "processing", code)
    transition_editor = page.get_by_role("dialog", name="New transition")
    await expect(transition_editor.get_by_role("textbox", name="From")).to_have_value(
        "Processing (processing)"
    )
    await expect(transition_editor.get_by_role("textbox", name="To")).to_have_value(
        f"{name} ({code})"
    )
    await transition_editor.get_by_role("checkbox", name="Manager").check()
    await transition_editor.get_by_role("button", name="Create transition").click()
    await expect(transition_editor).to_have_count(0)
    edge_name = f"Transition from Processing to {name}, for Admin, Manager"
    edge = page.get_by_role("group", name=edge_name)
    await expect(edge).to_have_count(1)
    await check_accessibility(page)
    await screenshot(page, "admin-workflow-new-status")

    graph = (await admin_api.get("/api/v1/workflow/graph")).json()
    [added] = [t for t in graph["transitions"] if t["to_status"] == code]
    assert (added["from_status"], sorted(added["roles"])) == ("processing", ["admin", "manager"])
    # The new status leads nowhere yet: a dead end, reported until it has a way out.
    assert [p["kind"] for p in graph["problems"] if p["status"] == code] == ["dead_end"]
    await workflow_changes.add_transition(code, "cancelled", ["admin", "manager"])

    # The webhook, through the settings form generated from the webhook settings' schema.
    await page.goto("/admin/integrations?type=webhook")
    await expect(page.get_by_role("heading", name="Integrations", level=2)).to_be_visible()
    await page.get_by_role("button", name="Add webhook").click()
    form = page.get_by_role("dialog", name="New webhook")
    await form.get_by_role("textbox", name="Name").fill(webhook_name)
    await form.get_by_role("textbox", name="Trigger statuses").click()
    await page.get_by_role("option", name=f"{name} ({code})").click()
    await page.keyboard.press("Escape")
    await form.get_by_role("textbox", name=re.compile("^URL")).fill(receiver.url("/orders"))
    await check_accessibility(page)
    await screenshot(page, "admin-integrations-new-webhook")
    await form.get_by_role("button", name="Create").click()
    await expect(form).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=webhook_name)
    await expect(row).to_contain_text(receiver.url("/orders"))
    await expect(row).to_contain_text(code)
    await expect(row.get_by_role("switch", name=f"{webhook_name} enabled")).to_be_checked()
    await check_accessibility(page)
    await screenshot(page, "admin-integrations")

    # The order, moved from its page.
    await page.goto(f"/admin/orders/{order['id']}")
    actions = page.get_by_role("region", name="Change status")
    await actions.get_by_role("button", name=f"Move to {name}").click()

    timeline = page.get_by_role("region", name="Timeline")
    held = timeline.locator(f"[data-status={code}]")
    await expect(held).to_contain_text(f"by {ADMIN_EMAIL}")
    await expect(held).to_contain_text(f"Webhook · {webhook_name}", timeout=20_000)
    await expect(held).to_contain_text("delivered", timeout=20_000)
    await expect(held).to_contain_text("response: 200")
    await check_accessibility(page)
    await screenshot(page, "admin-order-webhook")

    [request] = receiver.at("/orders")
    event = json.loads(request.body)
    assert (event["type"], event["order_id"], event["test"]) == (
        "order.status_changed",
        order["id"],
        False,
    )
    assert event["data"]["order"]["status"]["code"] == code
    assert event["data"]["previous_status"]["code"] == "processing"
    assert request.headers["webhook-id"] == event["id"]
    assert request.headers["webhook-signature"].startswith("v1,")
    assert console_errors.messages == []


async def test_the_graph_flags_the_problems_the_api_finds(
    page: Page,
    admin_api: httpx.AsyncClient,
    workflow_changes: WorkflowChanges,
    console_errors: ConsoleErrors,
) -> None:
    stray = await workflow_changes.add_status("stray")
    code = stray["code"]
    graph = (await admin_api.get("/api/v1/workflow/graph")).json()
    kinds = sorted(p["kind"] for p in graph["problems"] if p["status"] == code)
    assert kinds == ["dead_end", "unreachable"]
    flagged = {p["status"] for p in graph["problems"] if p["status"]}

    await sign_in_to_admin(page, ADMIN_EMAIL, path="/admin/workflow")

    problems = page.get_by_role("region", name="Problems in the workflow")
    await expect(problems).to_contain_text(f"{len(graph['problems'])} problem")
    await expect(problems.get_by_role("listitem").filter(has_text=repr(code))).to_have_count(2)
    node = status_node(page, code)
    await expect(node.locator("[data-problem]")).to_have_css("border-top-width", "3px")
    await expect(node).to_have_attribute("aria-label", re.compile("Unreachable"))
    await expect(node).to_contain_text("Unreachable · Dead end")
    await expect(node).to_contain_text("2 problems")
    for healthy in ("new", "confirmed", "cancelled"):
        if healthy not in flagged:
            await expect(status_node(page, healthy).locator("[data-problem]")).to_have_count(0)
    row = page.locator(f"#status-{code}")
    await expect(row).to_contain_text("Unreachable")
    await expect(row).to_contain_text("Dead end")
    await check_accessibility(page)
    await screenshot(page, "admin-workflow-problems")

    # Made terminal, it is no dead end any more; nothing leads to it still.
    await problems.get_by_role("button", name=f"Edit {code}").first.click()
    editor = page.get_by_role("dialog", name=f"Edit status {stray['name']}")
    await editor.get_by_role("checkbox", name="Terminal").check()
    await editor.get_by_role("button", name="Save").click()
    await expect(editor).to_have_count(0)
    await expect(node).to_contain_text("1 problem")
    await expect(node).not_to_contain_text("Dead end")
    await expect(row).not_to_contain_text("Dead end")
    graph = await eventually(
        lambda: _graph(admin_api),
        lambda graph: (
            [p["kind"] for p in graph["problems"] if p["status"] == code] == ["unreachable"]
        ),
    )
    assert console_errors.messages == []


async def _graph(admin_api: httpx.AsyncClient) -> dict[str, Any]:
    answer: dict[str, Any] = (await admin_api.get("/api/v1/workflow/graph")).json()
    return answer
