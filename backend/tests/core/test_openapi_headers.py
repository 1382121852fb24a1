"""The response headers a client acts on are documented where OMS sends them, and sent where
the document says: `Location` on a 201, `ETag` for conditional requests, `Retry-After` on a
429 or 503, `WWW-Authenticate` on a 401, `Allow` on a 405. Checked from the document (so a new
route is covered) and against real answers; Schemathesis runs `undocumented_headers` on
every answer it gets (tests/contract/test_schemathesis.py)."""

import copy
import io
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from httpx import AsyncClient, Response
from PIL import Image

from oms.core.errors import PROBLEM_JSON
from oms.core.openapi import ALLOW, ETAG, HEADERS, LOCATION, RETRY_AFTER, WWW_AUTHENTICATE
from tests.actors import Actor
from tests.core.test_openapi_contract import operations, unconnected_app
from tests.orders.conftest import ADDRESS
from tests.workflow.conftest import demo_workflow

__all__ = ["demo_workflow"]

CONDITIONAL = frozenset({"If-Match", "If-None-Match"})


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return unconnected_app().openapi()


def _required(response: Mapping[str, Any], name: str) -> bool:
    return bool(response.get("headers", {}).get(name, {}).get("required"))


def _carries_the_version(status: str) -> bool:
    return status in ("304", "412") or (status.startswith("2") and status != "204")


def missing_headers(document: dict[str, Any]) -> list[str]:
    """The headers each answer must document, by its status and its operation's parameters."""
    offences = []
    for name, operation in operations(document):
        conditional = any(
            p["in"] == "header" and p["name"] in CONDITIONAL
            for p in operation.get("parameters", [])
        )
        for status, response in operation["responses"].items():
            is_problem = PROBLEM_JSON in response.get("content", {})
            expected = set()
            if status == "201":
                expected.add(LOCATION)
            if status == "401":
                expected.add(WWW_AUTHENTICATE)
            if status in ("429", "503") and is_problem:
                expected.add(RETRY_AFTER)
            if conditional and _carries_the_version(status):
                expected.add(ETAG)
            missing = sorted(header for header in expected if not _required(response, header))
            if missing:
                offences.append(f"{name} {status} does not document {missing}")
    not_allowed = document["components"].get("responses", {}).get("MethodNotAllowed", {})
    if not _required(not_allowed, ALLOW) or "405" not in document["info"].get("description", ""):
        offences.append("the 405 any path answers is not documented with its Allow header")
    return offences


def undocumented_headers(
    responses: Mapping[str, Any], status: int, headers: Mapping[str, str]
) -> list[str]:
    """What an answer with `status` and `headers` sends that its document does not say, or
    lacks that the document requires, among the headers of `HEADERS`."""
    documented = responses.get(str(status), {}).get("headers", {})
    sent = {name.lower() for name in headers}
    offences = [
        f"{status} sends {name}, which is not documented"
        for name in HEADERS
        if name.lower() in sent and name not in documented
    ]
    offences += [
        f"{status} lacks the required {name}"
        for name, header in documented.items()
        if header.get("required") and name.lower() not in sent
    ]
    return offences


def test_every_answer_documents_the_headers_it_carries(document: dict[str, Any]) -> None:
    assert not missing_headers(document)


def test_the_header_check_catches_each_kind_of_omission(document: dict[str, Any]) -> None:
    broken = copy.deepcopy(document)
    paths = broken["paths"]
    del paths["/api/v1/orders"]["post"]["responses"]["201"]["headers"][LOCATION]
    del paths["/api/v1/orders"]["get"]["responses"]["401"]["headers"]
    del paths["/api/v1/orders/{order_id}"]["get"]["responses"]["304"]["headers"][ETAG]
    paths["/api/v1/auth/token"]["post"]["responses"]["503"]["headers"][RETRY_AFTER]["required"] = (
        False
    )
    del broken["components"]["responses"]["MethodNotAllowed"]

    assert missing_headers(broken) == [
        "POST /api/v1/auth/token 503 does not document ['Retry-After']",
        "GET /api/v1/orders 401 does not document ['WWW-Authenticate']",
        "POST /api/v1/orders 201 does not document ['Location']",
        "GET /api/v1/orders/{order_id} 304 does not document ['ETag']",
        "the 405 any path answers is not documented with its Allow header",
    ]


def test_headers_sent_are_compared_with_the_document(document: dict[str, Any]) -> None:
    get_order = document["paths"]["/api/v1/orders/{order_id}"]["get"]["responses"]

    assert undocumented_headers(get_order, 200, {"ETag": '"1"', "X-Request-ID": "a"}) == []
    assert undocumented_headers(get_order, 200, {"Location": "/x", "ETag": '"1"'}) == [
        "200 sends Location, which is not documented"
    ]
    assert undocumented_headers(get_order, 304, {}) == ["304 lacks the required ETag"]


def test_the_answers_of_conditional_routes_carry_their_version(document: dict[str, Any]) -> None:
    change = document["paths"]["/api/v1/orders/{order_id}/status"]["patch"]["responses"]
    template = document["paths"]["/api/v1/email-templates/{key}"]

    assert {"200", "412"} <= {status for status in change if _required(change[status], ETAG)}
    assert _required(template["get"]["responses"]["200"], ETAG)  # declared: no If-None-Match
    assert _required(document["paths"]["/api/v1/orders"]["post"]["responses"]["201"], ETAG)
    in_flight = document["paths"]["/api/v1/orders"]["post"]["responses"]["409"]["headers"]
    assert in_flight[RETRY_AFTER]["required"] is False  # only while the key is in flight


# Real answers.


def assert_headers_documented(
    document: dict[str, Any], method: str, path: str, response: Response
) -> None:
    """The answer to `method` `path` (a path of the document) sends the headers documented."""
    responses = document["paths"][path][method]["responses"]
    offences = undocumented_headers(responses, response.status_code, response.headers)
    assert not offences, f"{method.upper()} {path}: {offences}"


# Each operation answering 201, with a body that creates something: `made` holds what the
# ones before created (by operationId), for those that refer to it (in the body or the path).
Made = dict[str, dict[str, Any]]
Body = Callable[[Made], dict[str, Any]]
CREATES: dict[str, tuple[str | Callable[[Made], str], Body]] = {
    "registerCustomer": (
        "/api/v1/auth/register",
        lambda made: {"email": "new.customer@shop.com", "password": "a long enough secret"},
    ),
    "createUser": (
        "/api/v1/users",
        lambda made: {
            "email": "new.clerk@shop.com",
            "password": "a long enough secret",
            "roles": ["manager"],
        },
    ),
    "createCategory": ("/api/v1/categories", lambda made: {"code": "lamps", "name": "Lamps"}),
    "createProduct": (
        "/api/v1/products",
        lambda made: {
            "sku": "LAMP-1",
            "name": "Desk lamp",
            "category_id": made["createCategory"]["id"],
            "price": "39.00",
            "stock": 5,
        },
    ),
    "createWorkflowStatus": (
        "/api/v1/workflow/statuses",
        lambda made: {"code": "on_hold", "name": "On hold"},
    ),
    "createWorkflowTransition": (
        "/api/v1/workflow/transitions",
        lambda made: {"from_status": "new", "to_status": "on_hold", "roles": ["admin"]},
    ),
    "createWorkerConfiguration": (
        "/api/v1/worker-configurations",
        lambda made: {
            "worker_type": "email",
            "name": "Order mail",
            "trigger_events": ["order.created"],
            "settings": {"send_to_customer": True},
        },
    ),
    "createOrder": (
        "/api/v1/orders",
        lambda made: {
            "items": [{"product_id": made["createProduct"]["id"], "quantity": 1}],
            "shipping_address": ADDRESS,
        },
    ),
    "createSavedAddress": ("/api/v1/me/addresses", lambda made: {**ADDRESS, "label": "Home"}),
    "addOrderNote": (
        lambda made: f"/api/v1/orders/{made['createOrder']['id']}/notes",
        lambda made: {"text": "Leave it with the neighbour."},
    ),
}


# Creates whose body is not JSON: (operation, path of the thing made in CREATES, content type,
# bytes); what their `Location` names is bytes too.
def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "#1f4e79").save(out, "PNG")
    return out.getvalue()


RAW_CREATES: dict[str, tuple[Callable[[dict[str, Any]], str], str, bytes]] = {
    "addProductImage": (
        lambda made: f"/api/v1/products/{made['createProduct']['id']}/images",
        "image/png",
        _png(),
    ),
}


async def test_every_create_answers_where_what_it_created_is(
    client: AsyncClient, admin: Actor, document: dict[str, Any], demo_workflow: None
) -> None:
    creates = {
        operation["operationId"]
        for _, operation in operations(document)
        if "201" in operation["responses"]
    }
    assert creates == set(CREATES) | set(RAW_CREATES), (
        "every operation answering 201 has a body in CREATES (or RAW_CREATES)"
    )
    made: Made = {}
    for operation_id, (path, body) in CREATES.items():
        url = path(made) if callable(path) else path
        created = await client.post(url, json=body(made), headers=admin.headers)
        assert created.status_code == 201, f"{operation_id}: {created.text}"
        documented = next(
            template
            for template, item in document["paths"].items()
            if item.get("post", {}).get("operationId") == operation_id
        )
        assert_headers_documented(document, "post", documented, created)
        made[operation_id] = created.json()

        there = await client.get(created.headers["location"], headers=admin.headers)

        assert there.status_code == 200, f"{operation_id}: {created.headers['location']}"
        assert there.json() == made[operation_id]

    for operation_id, (raw_path, content_type, data) in RAW_CREATES.items():
        path = raw_path(made)
        created = await client.post(
            path, content=data, headers={**admin.headers, "Content-Type": content_type}
        )
        assert created.status_code == 201, f"{operation_id}: {created.text}"
        there = await client.get(created.headers["location"])
        assert there.status_code == 200, f"{operation_id}: {created.headers['location']}"
        assert there.content == data


async def test_a_refusal_to_authenticate_names_the_scheme(
    client: AsyncClient, document: dict[str, Any], customer: Actor
) -> None:
    anonymous = await client.get("/api/v1/orders")
    wrong_password = await client.post(
        "/api/v1/auth/token", json={"email": customer.user.email, "password": "not the password"}
    )
    stale_token = await client.get(
        f"/api/v1/orders/{uuid.uuid4()}", headers={"Authorization": "Bearer not-a-token"}
    )

    for method, path, response in (
        ("get", "/api/v1/orders", anonymous),
        ("post", "/api/v1/auth/token", wrong_password),
        ("get", "/api/v1/orders/{order_id}", stale_token),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert_headers_documented(document, method, path, response)


async def test_conditional_answers_carry_the_version_as_documented(
    client: AsyncClient, admin: Actor, document: dict[str, Any]
) -> None:
    read = await client.get("/api/v1/branding")
    current = await client.get("/api/v1/branding", headers={"If-None-Match": read.headers["etag"]})
    template = await client.get("/api/v1/email-templates/order_created", headers=admin.headers)

    assert (read.status_code, current.status_code, template.status_code) == (200, 304, 200)
    for path, response in (
        ("/api/v1/branding", read),
        ("/api/v1/branding", current),
        ("/api/v1/email-templates/{key}", template),
    ):
        assert response.headers["etag"].strip('"').isdigit()
        assert_headers_documented(document, "get", path, response)
