"""The OpenAPI document is fit for generated clients, checked from the document itself so a
new route is covered without anyone remembering: readable unique operationIds, every
problem documented as problem+json, main operations with examples that validate, and real
answers that match what is documented."""

import copy
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import AsyncClient, Response
from jsonschema import Draft202012Validator

from oms.app import create_app
from oms.core import openapi
from oms.core.db import transaction
from oms.core.errors import PROBLEM_JSON
from oms.core.idempotency import IDEMPOTENCY_HEADER
from oms.core.settings import Settings
from oms.outbox import service as outbox
from tests.actors import Actor

METHODS = ("get", "put", "post", "patch", "delete")
OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]+$")
# A model's own name (`Page_OrderSummary_` for a generic one), with FastAPI's suffix when a
# model reads differently from what it writes. Two models of one name would instead get
# module paths (`oms__integrations__schemas__WebhookSettings`), which no client should carry.
SCHEMA_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_?(?:-Input|-Output)?$")
PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}

# Error answers that are not problems, and why.
NOT_PROBLEMS = {
    ("getHealth", "503"): "readiness answers its HealthRead report, naming the failed check",
}
# Operations that answer 422 other than for a reused Idempotency-Key, and why.
ANSWER_422 = {
    "createOrder": "an item names an unknown or archived product, or customer_id no active user",
    "quoteOrder": "an item names an unknown or archived product, or customer_id no active user",
    "changeOrderStatus": "taking stock again for a product that is no longer sold",
    "createProduct": "category_id names no category (it is in the body, not the path)",
    "updateProduct": "category_id names no category (it is in the body, not the path)",
    "updateCategory": "the new attribute schema cannot be applied",
    "createWorkflowTransition": "from_status or to_status names no status",
}
# Operations that count requests against a rate limit (429 with Retry-After).
RATE_LIMITED = frozenset({"signIn", "updateMyProfile", "createOrder"})
# Operations a client is built around: they carry request and response examples.
MAIN_OPERATIONS = (
    "createOrder",
    "getOrder",
    "listOrders",
    "changeOrderStatus",
    "createProduct",
    "listProducts",
    "createWorkerConfiguration",
    "signIn",
)


def unconnected_app() -> FastAPI:
    """The app without its lifespan: enough for the document, which needs no database."""
    return create_app(
        Settings(_env_file=None, database_url="postgresql://openapi@127.0.0.1/unused")
    )


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return unconnected_app().openapi()


def database_backed(app: FastAPI) -> set[str]:
    """The operationIds of the routes that open the request's transaction, however deeply
    one of their dependencies asks for it."""

    def uses_the_database(dependant: Any) -> bool:
        return any(
            sub.call is transaction or uses_the_database(sub) for sub in dependant.dependencies
        )

    return {
        openapi.operation_id(context.original_route)
        for context in iter_route_contexts(list(app.routes))
        if isinstance(context.original_route, APIRoute) and uses_the_database(context.dependant)
    }


@pytest.fixture(scope="module")
def touches_the_database() -> set[str]:
    return database_backed(unconnected_app())


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """Validates against `schema`, resolving `#/components/...` in the document."""
    return Draft202012Validator(
        {"allOf": [schema], "components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


# The checks, each a list of offences so that a test can also show they catch mistakes.


def bad_operation_ids(document: dict[str, Any]) -> list[str]:
    seen: dict[str, str] = {}
    offences = []
    for name, operation in operations(document):
        operation_id = operation.get("operationId", "")
        if not OPERATION_ID.fullmatch(operation_id):
            offences.append(f"{name}: operationId {operation_id!r} is not camelCase")
        if operation_id in seen:
            offences.append(f"{name}: operationId {operation_id!r} also names {seen[operation_id]}")
        seen[operation_id] = name
    return offences


def unreadable_schema_names(document: dict[str, Any]) -> list[str]:
    return [
        f"schema {name!r} is not named after one model: two models share its name"
        for name in document["components"]["schemas"]
        if "__" in name or not SCHEMA_NAME.fullmatch(name)
    ]


def non_problem_errors(document: dict[str, Any]) -> list[str]:
    offences = []
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if status[0] not in "45" or (operation["operationId"], status) in NOT_PROBLEMS:
                continue
            content = response.get("content", {})
            if set(content) != {PROBLEM_JSON} or content[PROBLEM_JSON]["schema"] != PROBLEM_SCHEMA:
                offences.append(f"{name} {status}: {sorted(content)} is not the Problem schema")
    return offences


def unexplained_422s(document: dict[str, Any]) -> list[str]:
    offences = []
    for name, operation in operations(document):
        if "422" not in operation["responses"]:
            continue
        idempotent = any(p["name"] == IDEMPOTENCY_HEADER for p in operation.get("parameters", []))
        if not idempotent and operation["operationId"] not in ANSWER_422:
            offences.append(f"{name} documents 422; add it to ANSWER_422 with the reason")
    return offences


def missing_problems(document: dict[str, Any], database_backed: set[str]) -> list[str]:
    """What the operation's shape says it must document: 400 (a NUL character, on any),
    401/403, 404, 412, 413, 429 where a rate limit counts, 503 where the database is used."""
    offences = []
    for name, operation in operations(document):
        parameters = operation.get("parameters", [])
        expected = {"400", "500"}
        if operation["operationId"] in database_backed:
            expected.add("503")
        if operation["operationId"] in RATE_LIMITED:
            expected.add("429")
        if operation.get("security"):
            expected |= {"401", "403"}
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        if any(p["in"] == "header" and p["name"] == "If-Match" for p in parameters):
            expected.add("412")
        if "requestBody" in operation:
            expected.add("413")
        missing = expected - set(operation["responses"])
        if missing:
            offences.append(f"{name} does not document {sorted(missing)}")
    return offences


def _has_examples(document: dict[str, Any], media: dict[str, Any]) -> bool:
    if "example" in media or media.get("examples"):
        return True
    schema = resolved(document, media.get("schema", {}))
    return bool(schema.get("examples"))


def missing_examples(document: dict[str, Any]) -> list[str]:
    offences = []
    by_id = {
        operation["operationId"]: (name, operation) for name, operation in operations(document)
    }
    for operation_id in MAIN_OPERATIONS:
        if operation_id not in by_id:
            offences.append(f"{operation_id}: no such operation")
            continue
        name, operation = by_id[operation_id]
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if not _has_examples(document, media):
                offences.append(f"{name}: no example of the {media_type} request")
        success = min(status for status in operation["responses"] if status.startswith("2"))
        for media_type, media in operation["responses"][success].get("content", {}).items():
            if not _has_examples(document, media):
                offences.append(f"{name}: no example of the {success} {media_type} response")
    return offences


def _schema_examples(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every `examples` of `schema` and its subschemas, with the subschema it belongs to."""
    if not isinstance(schema, dict):
        return
    for example in schema.get("examples", []) if isinstance(schema.get("examples"), list) else []:
        yield where, schema, example
    for key in ("properties", "patternProperties", "$defs"):
        for name, sub in schema.get(key, {}).items():
            yield from _schema_examples(sub, f"{where}.{name}")
    for key in ("items", "additionalProperties", "not", "contains"):
        yield from _schema_examples(schema.get(key), f"{where}.{key}")
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for index, sub in enumerate(schema.get(key, [])):
            yield from _schema_examples(sub, f"{where}.{key}[{index}]")


def _media_examples(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    for name, operation in operations(document):
        media_types = [
            (f"{name} request {media_type}", media)
            for media_type, media in operation.get("requestBody", {}).get("content", {}).items()
        ] + [
            (f"{name} {status} {media_type}", media)
            for status, response in operation["responses"].items()
            for media_type, media in response.get("content", {}).items()
        ]
        media_types += [
            (f"{name} parameter {p['name']}", p) for p in operation.get("parameters", [])
        ]
        for where, media in media_types:
            schema = media.get("schema", {})
            if "example" in media:
                yield where, schema, media["example"]
            for example_name, example in media.get("examples", {}).items():
                yield f"{where} {example_name}", schema, example["value"]
            yield from _schema_examples(schema, where)


def invalid_examples(document: dict[str, Any]) -> list[str]:
    found = list(_media_examples(document))
    for name, schema in document["components"]["schemas"].items():
        found.extend(_schema_examples(schema, name))
    assert found, "no examples found at all"
    offences = []
    for where, schema, example in found:
        errors = sorted(validator(document, schema).iter_errors(example), key=str)
        if errors:
            offences.append(f"{where}: {errors[0].message}")
    return offences


# The document as it is.


def test_every_operation_has_a_unique_camel_case_operation_id(document: dict[str, Any]) -> None:
    assert not bad_operation_ids(document)
    ids = {operation["operationId"] for _, operation in operations(document)}
    assert {"listOrders", "getOrder", "createOrder", "changeOrderStatus", "signIn"} <= ids
    assert {"listOrderTransitions", "createWorkerConfiguration", "replayDelivery"} <= ids


def test_every_schema_is_named_after_its_model(document: dict[str, Any]) -> None:
    assert not unreadable_schema_names(document)
    # The worker settings a client sends and reads, and the configuration document's own.
    assert {"EmailSettings", "WebhookSettings", "InventorySettings"} <= set(
        document["components"]["schemas"]
    )


def test_every_error_answer_is_documented_as_problem_json(document: dict[str, Any]) -> None:
    assert not non_problem_errors(document)
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "instance"} <= set(problem["required"])
    assert problem["additionalProperties"] is True


def test_no_operation_documents_fastapis_422_validation_error(document: dict[str, Any]) -> None:
    assert not unexplained_422s(document)
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_operations_document_the_problems_their_shape_implies(
    document: dict[str, Any], touches_the_database: set[str]
) -> None:
    assert not missing_problems(document, touches_the_database)
    # The walk finds the database behind a dependency as well as in the route's own arguments.
    assert {"signIn", "registerCustomer", "getBranding", "listCustomerStatuses"} <= (
        touches_the_database
    )
    assert "getLiveness" not in touches_the_database


def test_routes_declare_their_domain_problems(document: dict[str, Any]) -> None:
    change = document["paths"]["/api/v1/orders/{order_id}/status"]["patch"]["responses"]
    create = document["paths"]["/api/v1/orders"]["post"]["responses"]

    assert "allowed_targets" in change["409"]["description"]
    assert "If-Match" in change["412"]["description"]
    assert "stock" in create["409"]["description"]
    assert "Idempotency-Key" in create["409"]["description"]
    assert "orders:create" in create["403"]["description"]


def test_main_operations_carry_examples(document: dict[str, Any]) -> None:
    assert not missing_examples(document)


def test_worker_configuration_examples_cover_every_worker_type(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/v1/worker-configurations"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["examples"]
    response = operation["responses"]["201"]["content"]["application/json"]["examples"]

    everyone = {str(kind) for kind in outbox.WorkerType}
    assert {example["value"]["worker_type"] for example in request.values()} == everyone
    assert {example["value"]["worker_type"] for example in response.values()} == everyone


def test_every_example_validates_against_its_schema(document: dict[str, Any]) -> None:
    assert not invalid_examples(document)


def test_the_checks_catch_a_document_with_each_mistake(
    document: dict[str, Any], touches_the_database: set[str]
) -> None:
    broken = copy.deepcopy(document)
    broken["paths"]["/api/v1/products/{product_id}"]["get"]["operationId"] = "get_product"
    broken["paths"]["/api/v1/categories/{category_id}"]["get"]["operationId"] = "getUser"
    get_order = broken["paths"]["/api/v1/orders/{order_id}"]["get"]
    del get_order["responses"]["404"]
    get_order["responses"]["422"] = {"content": {"application/json": {"schema": {}}}}
    list_orders = broken["paths"]["/api/v1/orders"]["get"]
    list_orders["responses"]["200"]["content"]["application/json"]["examples"]["page"] = {
        "value": {"items": "none"}
    }
    del broken["paths"]["/api/v1/products"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"]

    broken["components"]["schemas"]["oms__configuration__document__WebhookSettings"] = {}

    assert len(bad_operation_ids(broken)) == 2
    assert unreadable_schema_names(broken) == [
        "schema 'oms__configuration__document__WebhookSettings' is not named after one model:"
        " two models share its name"
    ]
    assert non_problem_errors(broken) == [
        "GET /api/v1/orders/{order_id} 422: ['application/json'] is not the Problem schema"
    ]
    assert unexplained_422s(broken) == [
        "GET /api/v1/orders/{order_id} documents 422; add it to ANSWER_422 with the reason"
    ]
    sign_in = broken["paths"]["/api/v1/auth/token"]["post"]["responses"]
    del sign_in["429"], sign_in["503"]
    del broken["paths"]["/health/live"]["get"]["responses"]["400"]
    assert missing_problems(broken, touches_the_database) == [
        "GET /health/live does not document ['400']",
        "POST /api/v1/auth/token does not document ['429', '503']",
        "GET /api/v1/orders/{order_id} does not document ['404']",
    ]
    assert missing_examples(broken) == [
        "GET /api/v1/products: no example of the 200 application/json response"
    ]
    assert any(offence.startswith("GET /api/v1/orders 200") for offence in invalid_examples(broken))


# Real answers match the document.


def assert_documented(
    document: dict[str, Any], method: str, path: str, response: Response
) -> dict[str, Any]:
    """The answer's status and content type are documented and its body fits the schema."""
    operation = document["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path} answered {response.status_code}"
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in documented.get("content", {}), f"{method} {path}: {media_type}"
    body: dict[str, Any] = response.json()
    validator(document, documented["content"][media_type]["schema"]).validate(body)
    return body


async def test_problems_answered_are_the_documented_ones(
    client: AsyncClient, customer: Actor
) -> None:
    document = (await client.get("/api/openapi.json")).json()
    order = "/api/v1/orders/{order_id}"

    unknown = await client.get(f"/api/v1/orders/{uuid.uuid4()}", headers=customer.headers)
    malformed = await client.get("/api/v1/orders/not-an-id", headers=customer.headers)
    anonymous = await client.get("/api/v1/orders")
    forbidden = await client.get("/api/v1/deliveries", headers=customer.headers)

    assert unknown.status_code == 404
    assert assert_documented(document, "get", order, unknown)["type"].endswith("order-not-found")
    assert malformed.status_code == 400
    errors = assert_documented(document, "get", order, malformed)["errors"]
    assert errors[0]["field"] == "order_id"
    assert errors[0]["in"] == "path"
    assert anonymous.status_code == 401
    assert_documented(document, "get", "/api/v1/orders", anonymous)
    assert forbidden.status_code == 403
    assert assert_documented(document, "get", "/api/v1/deliveries", forbidden)["permission"]


async def test_a_create_with_its_conflicts_answers_as_documented(
    client: AsyncClient, admin: Actor, settings: Settings
) -> None:
    document = (await client.get("/api/openapi.json")).json()
    path = "/api/v1/categories"
    chairs = {"code": "chairs", "name": "Chairs"}

    created = await client.post(
        path, json=chairs, headers={**admin.headers, "Idempotency-Key": "a"}
    )
    reused = await client.post(
        path, json={**chairs, "name": "Seats"}, headers={**admin.headers, "Idempotency-Key": "a"}
    )
    taken = await client.post(path, json=chairs, headers={**admin.headers, "Idempotency-Key": "b"})
    huge = await client.post(
        path,
        content=b'{"name": "' + b"x" * settings.max_body_bytes + b'"}',
        headers={**admin.headers, "content-type": "application/json"},
    )

    assert created.status_code == 201
    assert_documented(document, "post", path, created)
    assert reused.status_code == 422
    assert assert_documented(document, "post", path, reused)["type"].endswith("key-reused")
    assert taken.status_code == 409
    assert assert_documented(document, "post", path, taken)["type"].endswith("code-taken")
    assert huge.status_code == 413
    assert assert_documented(document, "post", path, huge)["max_bytes"] == settings.max_body_bytes


def test_routes_added_after_the_app_is_built_are_documented() -> None:
    app = unconnected_app()

    @app.get("/api/v1/probe/{probe_id}")
    async def read_probe(probe_id: uuid.UUID) -> dict[str, str]:
        return {"id": str(probe_id)}

    operation = app.openapi()["paths"]["/api/v1/probe/{probe_id}"]["get"]
    assert operation["operationId"] == "readProbe"
    assert {"400", "404", "500"} <= set(operation["responses"])
    assert "422" not in operation["responses"]
