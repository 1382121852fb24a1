"""Attribute schemas and attributes are bounded in depth and size, and a schema that no
validator could finish, or that points outside itself, is refused: never a 500, never a
request to the network."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.core.settings import Settings
from oms.products.attributes import attribute_errors, check_attribute_schema
from oms.products.errors import InvalidAttributeSchema, UnusableAttributeSchema
from tests.actors import Actor
from tests.products.conftest import create_category

CATEGORIES = "/api/v1/categories"
PRODUCTS = "/api/v1/products"


def nested(levels: int, leaf: Any = None) -> Any:
    document: Any = {} if leaf is None else leaf
    for _ in range(levels):
        document = {"a": document}
    return document


async def _rows(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)  # noqa: S608


def _fields(response_json: dict[str, Any]) -> list[str]:
    return [error["field"] for error in response_json["errors"]]


@pytest.mark.parametrize(
    "schema",
    [
        {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}},
        {"properties": {"x": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"$ref": "#/$defs/a"}}},
        {"$ref": "https://schemas.example.com/chair.json"},
        {"$id": "https://schemas.example.com/", "$ref": "chair.json"},
        {"type": "string", "pattern": "(["},
        {"patternProperties": {"*": {}}},
    ],
    ids=[
        "cycle",
        "cycle-through-allof",
        "cycle-behind-a-property",
        "remote",
        "relative",
        "regex",
        "regex-key",
    ],
)
def test_schemas_no_validator_can_apply_are_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(InvalidAttributeSchema):
        check_attribute_schema(schema)


def test_a_recursive_schema_that_descends_into_the_value_is_fine() -> None:
    tree = {
        "$defs": {"node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/node"}}}},
        "$ref": "#/$defs/node",
    }
    check_attribute_schema(tree)
    assert attribute_errors("trees", tree, nested(10, {"child": {}})) == []


def test_a_cycle_only_some_values_reach_is_unusable_not_a_crash() -> None:
    schema = {"properties": {"x": {"if": {"const": "loop"}, "then": {"$ref": "#/properties/x"}}}}
    check_attribute_schema(schema)  # no trial value is "loop"
    assert attribute_errors("c", schema, {"x": "fine"}) == []
    with pytest.raises(UnusableAttributeSchema):
        attribute_errors("c", schema, {"x": "loop"})


async def test_a_schema_nested_past_the_bound_is_400_naming_where(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    for levels in (100, 300, 5000):
        # Written by hand: past ~1000 levels no JSON encoder in Python can write it.
        schema = '{"a": ' * levels + "{}" + "}" * levels
        response = await client.post(
            CATEGORIES,
            content=f'{{"code": "deep", "name": "Deep", "attribute_schema": {schema}}}',
            headers={**admin.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 400, (levels, response.text[:300])
        [field] = _fields(response.json())
        assert field == "attribute_schema" + ".a" * 31  # 32 levels: the body, then the schema
    assert await _rows(engine, "categories") == 0


async def test_attributes_nested_past_the_bound_are_400_naming_where(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    category = await create_category(client, admin, "open")
    for levels in (40, 300):
        response = await client.post(
            PRODUCTS,
            json={
                "sku": "DEEP-1",
                "name": "Deep",
                "category_id": category["id"],
                "price": "1.00",
                "attributes": {"tree": nested(levels, 1)},
            },
            headers=admin.headers,
        )
        assert response.status_code == 400, response.text[:300]
        assert _fields(response.json()) == ["attributes.tree" + ".a" * 30]
    assert await _rows(engine, "products") == 0


async def test_schemas_and_attributes_past_their_size_are_400(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    enum = [f"value-{index:06d}" for index in range(5000)]  # ~80 KiB
    too_big = await client.post(
        CATEGORIES,
        json={"code": "big", "name": "Big", "attribute_schema": {"enum": enum}},
        headers=admin.headers,
    )
    assert too_big.status_code == 400, too_big.text[:300]
    assert too_big.json()["type"] == "urn:oms:problem:document-too-large"
    assert _fields(too_big.json()) == ["attribute_schema"]

    category = await create_category(client, admin, "open")
    grown = await client.patch(
        f"{CATEGORIES}/{category['id']}",
        json={"attribute_schema": {"enum": enum}},
        headers=admin.headers,
    )
    assert grown.status_code == 400
    assert _fields(grown.json()) == ["attribute_schema"]

    product = {"sku": "BIG-1", "name": "Big", "category_id": category["id"], "price": "1.00"}
    wordy = {"notes": "ü" * 9000}  # 18,000 bytes of UTF-8
    refused = await client.post(
        PRODUCTS, json={**product, "attributes": wordy}, headers=admin.headers
    )
    assert refused.status_code == 400
    assert refused.json()["max_bytes"] == 16 * 1024
    assert _fields(refused.json()) == ["attributes"]
    created = await client.post(PRODUCTS, json=product, headers=admin.headers)
    assert created.status_code == 201
    patched = await client.patch(
        f"{PRODUCTS}/{created.json()['id']}", json={"attributes": wordy}, headers=admin.headers
    )
    assert patched.status_code == 400
    assert _fields(patched.json()) == ["attributes"]
    assert await _rows(engine, "categories") == 1


async def test_the_bounds_are_settings(settings: Settings, admin: Actor) -> None:
    from tests.conftest_helpers import running_app

    strict = settings.model_copy(update={"max_json_depth": 4, "max_attribute_schema_bytes": 64})
    async with running_app(strict) as client:
        deep = await client.post(
            CATEGORIES,
            json={"code": "d", "name": "D", "attribute_schema": nested(4)},
            headers=admin.headers,
        )
        large = await client.post(
            CATEGORIES,
            json={"code": "l", "name": "L", "attribute_schema": {"description": "x" * 64}},
            headers=admin.headers,
        )
        fits = await client.post(
            CATEGORIES,
            json={"code": "f", "name": "F", "attribute_schema": nested(2)},
            headers=admin.headers,
        )
    assert (deep.status_code, large.status_code, fits.status_code) == (400, 400, 201)


@pytest.fixture
def schema_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on localhost serving a schema, recording every request it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b'{"type": "string"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/schema+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()


async def test_a_remote_reference_is_refused_without_being_fetched(
    client: AsyncClient, admin: Actor, schema_server: tuple[str, list[str]]
) -> None:
    url, requests = schema_server
    for schema in (
        {"$ref": f"{url}/chair.json"},
        {"properties": {"legs": {"$ref": f"{url}/legs.json"}}},
    ):
        response = await client.post(
            CATEGORIES,
            json={"code": "remote", "name": "Remote", "attribute_schema": schema},
            headers=admin.headers,
        )
        assert response.status_code == 400, response.text
        assert response.json()["type"] == "urn:oms:problem:invalid-attribute-schema"
    assert requests == []
