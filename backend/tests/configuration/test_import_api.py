"""Importing a document through the API: admin only, a diff, one transaction, idempotent,
and refused (listing every reason, changing nothing) where it would strand data."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.integrations.models import EmailTemplate, WorkerConfiguration
from oms.products.models import Category
from oms.workflow.models import OrderStatus, OrderStatusTransition
from tests.actors import Actor
from tests.configuration.conftest import EXPORT, IMPORT, import_document
from tests.configuration.documents import as_yaml, edited, minimal

ADDRESS = {"name": "Ada", "line1": "1 Road", "city": "Town", "postal_code": "1", "country": "GB"}


async def counts(engine: AsyncEngine) -> dict[str, int]:
    found = {}
    async with engine.connect() as connection:
        for model in (
            OrderStatus,
            OrderStatusTransition,
            Category,
            WorkerConfiguration,
            EmailTemplate,
        ):
            query = select(func.count()).select_from(model)
            found[model.__tablename__] = int((await connection.scalar(query)) or 0)
    return found


async def test_only_an_admin_may_import_or_export(
    client: AsyncClient, manager: Actor, customer: Actor
) -> None:
    text, yaml_type = as_yaml(minimal()), {"Content-Type": "application/yaml"}
    assert (await client.post(IMPORT, content=text, headers=yaml_type)).status_code == 401
    assert (await client.get(EXPORT)).status_code == 401
    for actor in (manager, customer):
        response = await client.post(IMPORT, content=text, headers={**actor.headers, **yaml_type})
        assert response.status_code == 403
        assert (await client.get(EXPORT, headers=actor.headers)).status_code == 403


async def test_a_dry_run_lists_the_changes_and_changes_nothing(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    before = await counts(engine)
    response = await import_document(client, admin, minimal(), dry_run=True)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["dry_run"] is True
    assert answer["applied"] is False
    lines = [change["line"] for change in answer["changes"]]
    assert "+ status new" in lines
    assert "+ transition new -> shipped" in lines
    assert "+ worker webhook 'ERP'" in lines
    assert '~ branding: shop_name "OMS" -> "Test shop"' in lines
    added = next(c for c in answer["changes"] if c["path"] == "statuses.shipped")
    assert added["op"] == "add"
    assert added["before"] is None
    assert added["after"]["customer_name"] == "Shipped"
    assert await counts(engine) == before


async def test_an_import_applies_the_document_and_a_second_changes_nothing(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    first = await import_document(client, admin, minimal())
    assert first.status_code == 200, first.text
    assert first.json()["applied"] is True
    assert await counts(engine) == {
        "order_statuses": 3,
        "order_status_transitions": 2,
        "categories": 1,
        "worker_configurations": 1,
        "email_templates": 1,
    }
    again = await import_document(client, admin, minimal())
    assert again.json() == {"dry_run": False, "applied": False, "changes": []}


async def test_what_the_document_leaves_out_is_removed_and_changes_read_well(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    assert (await import_document(client, admin, minimal())).status_code == 200
    document = minimal()
    document["statuses"][1]["customer_name"] = "On its way"
    document["transitions"] = [
        {"from_status": "new", "to_status": "shipped", "roles": ["admin", "manager"]},
        {"from_status": "shipped", "to_status": "done", "roles": ["admin"]},
    ]
    document["worker_configurations"] = []
    document["email_templates"] = []
    response = await import_document(client, admin, document)
    assert response.status_code == 200, response.text
    lines = [change["line"] for change in response.json()["changes"]]
    assert lines == [
        '~ status shipped: customer_name "Shipped" -> "On its way"',
        '~ transition new -> shipped: roles ["admin"] -> ["admin", "manager"]',
        "- worker webhook 'ERP'",
        "- template shipped",
    ]
    assert (await counts(engine))["worker_configurations"] == 0
    statuses = (await client.get("/api/v1/workflow/statuses", headers=admin.headers)).json()
    assert statuses[1]["customer_name"] == "On its way"


async def test_the_initial_status_can_move_and_the_old_one_go(
    client: AsyncClient, admin: Actor
) -> None:
    assert (await import_document(client, admin, minimal())).status_code == 200
    document = edited(
        minimal(),
        statuses=[
            {"code": "draft", "name": "Draft", "initial": True},
            {"code": "shipped", "name": "Shipped", "customer_name": "Shipped"},
            {"code": "done", "name": "Done", "terminal": True},
        ],
        transitions=[
            {"from_status": "draft", "to_status": "shipped", "roles": ["admin"]},
            {"from_status": "shipped", "to_status": "done", "roles": ["admin"]},
        ],
    )
    response = await import_document(client, admin, document)
    assert response.status_code == 200, response.text
    graph = (await client.get("/api/v1/workflow/graph", headers=admin.headers)).json()
    assert [s["code"] for s in graph["statuses"] if s["is_initial"]] == ["draft"]
    assert graph["problems"] == []
    assert (await import_document(client, admin, document)).json()["changes"] == []


async def _order_in_shipped(client: AsyncClient, admin: Actor) -> None:
    category = (await client.get("/api/v1/categories", headers=admin.headers)).json()["items"][0]
    product = await client.post(
        "/api/v1/products",
        json={
            "sku": "CH-1",
            "name": "Chair",
            "category_id": category["id"],
            "price": "10.00",
            "attributes": {"legs": 4},
        },
        headers=admin.headers,
    )
    assert product.status_code == 201, product.text
    order = await client.post(
        "/api/v1/orders",
        json={"items": [{"sku": "CH-1", "quantity": 1}], "shipping_address": ADDRESS},
        headers=admin.headers,
    )
    assert order.status_code == 201, order.text
    moved = await client.patch(
        f"/api/v1/orders/{order.json()['id']}/status",
        json={"status": "shipped"},
        headers={**admin.headers, "If-Match": order.headers["ETag"]},
    )
    assert moved.status_code == 200, moved.text


async def test_changes_that_would_strand_data_are_refused_together_and_nothing_changes(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    assert (await import_document(client, admin, minimal())).status_code == 200
    await _order_in_shipped(client, admin)
    before = await counts(engine)
    document: dict[str, Any] = edited(
        minimal(),
        statuses=[
            {"code": "new", "name": "New", "initial": True},
            {"code": "done", "name": "Done", "terminal": True},
        ],
        transitions=[{"from_status": "new", "to_status": "done", "roles": ["admin"]}],
        categories=[
            {
                "code": "chairs",
                "name": "Chairs",
                "attribute_schema": {
                    "type": "object",
                    "required": ["wood"],
                    "properties": {"wood": {"type": "string"}},
                },
            }
        ],
    )
    document["worker_configurations"][0]["trigger_statuses"] = ["new"]
    document["email_templates"][0]["html"] = "<p>{{ order.number | nonsense }}</p>"
    response = await import_document(client, admin, document)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    found = {item["field"]: item["message"] for item in response.json()["errors"]}
    assert found["statuses"] == "the status 'shipped' is left out, but 1 order(s) are in it"
    assert found["categories[0].attribute_schema"].startswith(
        "1 product(s) would not satisfy it: CH-1 (attributes.wood is required)"
    )
    assert "nonsense" in found["email_templates[0].html"]
    assert await counts(engine) == before
    shown = (await client.get(EXPORT, headers=admin.headers)).json()
    assert [s["code"] for s in shown["statuses"]] == ["new", "shipped", "done"]


async def test_a_category_with_products_cannot_be_left_out(
    client: AsyncClient, admin: Actor
) -> None:
    assert (await import_document(client, admin, minimal())).status_code == 200
    await _order_in_shipped(client, admin)
    response = await import_document(client, admin, edited(minimal(), categories=[]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "the category 'chairs' is left out, but 1 product(s) are in it"
    )


async def test_an_unset_secret_and_an_unknown_trigger_are_refused_over_the_api(
    client: AsyncClient, admin: Actor, monkeypatch: Any
) -> None:
    monkeypatch.delenv("OMS_TEST_ERP_SECRET")
    document = minimal()
    document["worker_configurations"][0]["trigger_statuses"] = ["lost"]
    response = await import_document(client, admin, document)
    assert response.status_code == 400
    assert {item["field"] for item in response.json()["errors"]} == {
        "worker_configurations[0].settings.secret",
        "worker_configurations[0].trigger_statuses[0]",
    }


async def test_a_logo_file_is_refused_over_the_api_and_a_body_must_be_yaml_or_json(
    client: AsyncClient, admin: Actor
) -> None:
    document = minimal()
    document["branding"]["logo"] = {"file": "logo.svg"}
    response = await import_document(client, admin, document)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "branding.logo"
    wrong_type = await client.post(
        IMPORT, content=b"x", headers={**admin.headers, "Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    not_a_mapping = await client.post(
        IMPORT, content=b"[1, 2]", headers={**admin.headers, "Content-Type": "application/json"}
    )
    assert not_a_mapping.status_code == 400


async def test_the_export_is_the_document_that_was_imported(
    client: AsyncClient, admin: Actor
) -> None:
    assert (await import_document(client, admin, minimal())).status_code == 200
    exported = (await client.get(EXPORT, headers=admin.headers)).json()
    assert exported["worker_configurations"][0]["settings"]["secret"] == (
        "${OMS_SECRET_WEBHOOK_ERP}"
    )
    as_yaml_text = await client.get(EXPORT, headers={**admin.headers, "Accept": "application/yaml"})
    assert as_yaml_text.headers["content-type"].startswith("application/yaml")
    assert "shop_name: Test shop" in as_yaml_text.text
