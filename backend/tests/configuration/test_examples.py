"""Each example configuration imported into a fresh database, exported back to the same
document, and an order driven along its workflow with its webhooks and mail really sent."""

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from httpx import AsyncClient
from standardwebhooks import Webhook

from oms.configuration.document import ConfigDocument
from oms.configuration.export import document_data
from oms.configuration.files import export_document, import_document
from oms.core.settings import Settings
from oms.pipeline import Pipeline
from tests.actors import Actor
from tests.configuration.documents import EXAMPLES, SECRET, as_yaml, example
from tests.events.services import HttpReceiver, SmtpServer, eventually

ADDRESS = {"name": "Ada", "line1": "1 Road", "city": "Town", "postal_code": "1", "country": "GB"}


@dataclass(frozen=True)
class Scenario:
    product: dict[str, Any]
    path: list[str]
    """The statuses the order is moved through, after the initial one."""
    webhooks: dict[str, int]
    """How many calls each worker configuration (by name) receives."""
    mail_subject: str = ""
    """Part of the subject of a mail sent from an edited template."""
    attributes_out: dict[str, Any] = field(default_factory=dict)


SCENARIOS = {
    "furniture": Scenario(
        product={"code": "chairs", "attributes": {"wood": "oak", "seat_height_cm": 46}},
        path=["confirmed", "in_production", "ready_for_delivery", "delivered"],
        webhooks={"Workshop ERP": 5},
        mail_subject="is ready (",
    ),
    "electronics": Scenario(
        product={"code": "laptops", "attributes": {"cpu": "M3", "ram_gb": 16, "storage_gb": 512}},
        path=["paid", "packed", "shipped", "delivered", "completed"],
        webhooks={"Fulfilment": 1, "Analytics": 6, "Warehouse": 0},
        mail_subject="awaiting payment",
    ),
}


def _equivalent(document: ConfigDocument) -> dict[str, Any]:
    """The document as data, its keyed lists in one order (statuses keep theirs: it is
    their display order)."""
    data = document_data(document)
    data["transitions"].sort(key=lambda t: (t["from_status"], t["to_status"]))
    data["categories"].sort(key=lambda c: c["code"])
    data["worker_configurations"].sort(key=lambda w: (w["worker_type"], w["name"]))
    data["email_templates"].sort(key=lambda t: t["key"])
    return data


def _pointed_at(document: dict[str, Any], receiver: HttpReceiver) -> dict[str, Any]:
    """The example with every webhook and warehouse URL on the test's receiver."""
    for worker in document["worker_configurations"]:
        path = "/" + worker["name"].lower().replace(" ", "-")
        for name in ("url", "warehouse_url"):
            if name in worker["settings"]:
                worker["settings"][name] = receiver.url(path)
    return document


@pytest.mark.parametrize("name", ["furniture", "electronics"])
async def test_an_example_imports_exports_back_and_drives_an_order(
    name: str,
    pipeline: Pipeline,
    event_settings: Settings,
    database_url: str,
    client: AsyncClient,
    admin: Actor,
    customer: Actor,
    receiver: HttpReceiver,
    smtp: SmtpServer,
) -> None:
    scenario = SCENARIOS[name]
    document = _pointed_at(example(name), receiver)
    folder = EXAMPLES / name
    result = await import_document(
        event_settings, database_url, as_yaml(document).encode(), folder=folder, dry_run=False
    )
    assert result.applied

    exported = await export_document(event_settings, database_url, images_as_files=True)
    assert _equivalent(exported.document) == _equivalent(ConfigDocument.model_validate(document))
    for image, content in exported.files.items():
        assert content == (folder / image).read_bytes()
    again = await import_document(
        event_settings, database_url, as_yaml(document).encode(), folder=folder, dry_run=False
    )
    assert again.changes == []

    category = next(
        c
        for c in (await client.get("/api/v1/categories", headers=admin.headers)).json()["items"]
        if c["code"] == scenario.product["code"]
    )
    product = await client.post(
        "/api/v1/products",
        json={
            "sku": "EX-1",
            "name": "Example piece",
            "category_id": category["id"],
            "price": "250.00",
            "stock": 3,
            "attributes": scenario.product["attributes"],
        },
        headers=admin.headers,
    )
    assert product.status_code == 201, product.text
    order = await client.post(
        "/api/v1/orders",
        json={"items": [{"sku": "EX-1", "quantity": 1}], "shipping_address": ADDRESS},
        headers=customer.headers,
    )
    assert order.status_code == 201, order.text
    initial = next(s["code"] for s in document["statuses"] if s.get("initial"))
    assert order.json()["status"] == initial
    etag = order.headers["ETag"]
    for status in scenario.path:
        moved = await client.patch(
            f"/api/v1/orders/{order.json()['id']}/status",
            json={"status": status},
            headers={**admin.headers, "If-Match": etag},
        )
        assert moved.status_code == 200, moved.text
        etag = moved.headers["ETag"]

    expected = {
        "/" + worker.lower().replace(" ", "-"): n for worker, n in scenario.webhooks.items()
    }

    async def all_received() -> bool:
        return all(len(receiver.at(path)) >= n for path, n in expected.items())

    await eventually(all_received)
    for path, count in expected.items():
        calls = receiver.at(path)
        assert len(calls) == count, path
        for call in calls:
            payload = Webhook(SECRET).verify(call.body, call.headers)
            assert json.loads(call.body)["order_id"] == order.json()["id"]
            assert payload is not None

    async def branded_mail() -> bool:
        return any(scenario.mail_subject in str(mail.message["Subject"]) for mail in smtp.mails)

    await eventually(branded_mail)
