"""`POST /products/import`: CSV rows upserted by SKU through the catalogue's own writes, each
row on its own, and a file that cannot be read refused whole."""

import json
import time
from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.audit_trail import recorded
from tests.products.conftest import create_product

IMPORT = "/api/v1/products/import"
PRODUCTS = "/api/v1/products"
CSV = {"Content-Type": "text/csv"}


async def send(client: AsyncClient, actor: Actor, body: str | bytes, **params: Any) -> Response:
    content = body.encode() if isinstance(body, str) else body
    return await client.post(
        IMPORT, content=content, params=params, headers={**actor.headers, **CSV}
    )


def attributes(document: dict[str, Any]) -> str:
    """A JSON cell, quoted as CSV quotes it."""
    return '"' + json.dumps(document).replace('"', '""') + '"'


async def product_by_sku(client: AsyncClient, actor: Actor, sku: str) -> dict[str, Any]:
    found = await client.get(PRODUCTS, params={"q": sku}, headers=actor.headers)
    items: list[dict[str, Any]] = found.json()["items"]
    [product] = [item for item in items if item["sku"].lower() == sku.lower()]
    return product


async def product_count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM products"))).scalar_one())


OAK = attributes({"material": "oak", "width_cm": 45})


async def test_new_skus_are_created_and_known_ones_updated_ignoring_case(
    client: AsyncClient, manager: Actor, furniture: dict[str, Any]
) -> None:
    existing = await create_product(client, manager, furniture, "CH-001", stock=3)
    body = (
        "sku,name,description,price,stock,category,active,attributes\n"
        f"ch-001,Oak chair,Oiled,149.00,40,furniture,true,{OAK}\n"
        f"TB-001,Ash table,,399.50,,{furniture['id']},false,{OAK}\n"
    )

    response = await send(client, manager, body)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "created": 1,
        "updated": 1,
        "failed": 0,
        "rows": [
            {"row": 2, "sku": "ch-001", "outcome": "updated", "errors": []},
            {"row": 3, "sku": "TB-001", "outcome": "created", "errors": []},
        ],
    }
    chair = await product_by_sku(client, manager, "CH-001")
    assert chair["id"] == existing["id"]
    assert chair["sku"] == "CH-001", "the stored spelling stays"
    assert (chair["name"], chair["description"], chair["price"], chair["stock"]) == (
        "Oak chair",
        "Oiled",
        "149.00",
        40,
    )
    table = await product_by_sku(client, manager, "TB-001")
    assert (table["category_id"], table["price"], table["stock"]) == (
        furniture["id"],
        "399.50",
        None,
    )
    assert (table["active"], table["description"]) == (False, "")
    assert table["attributes"] == {"material": "oak", "width_cm": 45}


async def test_an_empty_cell_or_a_missing_column_leaves_the_field_as_it_is(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    await create_product(
        client, admin, furniture, "CH-001", name="Chair", description="Kept", stock=7
    )
    response = await send(client, admin, "sku,price,stock,description\nCH-001,12.00,,\n")

    assert response.json()["rows"][0]["outcome"] == "updated", response.text
    chair = await product_by_sku(client, admin, "CH-001")
    assert (chair["name"], chair["description"], chair["price"], chair["stock"]) == (
        "Chair",
        "Kept",
        "12.00",
        7,
    )
    assert chair["attributes"] == {"material": "oak", "width_cm": 50}


async def test_a_new_product_takes_the_defaults_of_the_fields_not_given(
    client: AsyncClient, admin: Actor, electronics: dict[str, Any]
) -> None:
    body = 'sku,name,price,category,attributes\nK-1,Kettle,20,electronics,"{""voltage"": 230}"\n'

    response = await send(client, admin, body)

    assert response.json()["created"] == 1, response.text
    kettle = await product_by_sku(client, admin, "K-1")
    assert (kettle["stock"], kettle["active"], kettle["description"]) == (None, True, "")
    assert kettle["price"] == "20.00"


async def test_invalid_rows_are_reported_and_the_valid_ones_written(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    body = (
        "sku,name,price,stock,category,attributes\n"
        f"OK-1,Fine chair,10,1,furniture,{OAK}\n"
        f"BAD-PRICE,Chair,19.999,1,furniture,{OAK}\n"
        f"BAD-ATTR,Chair,10,1,furniture,{attributes({'material': 'plastic'})}\n"
        f"BAD-CAT,Chair,10,1,lamps,{OAK}\n"
        "NO-PRICE,Chair,,1,furniture,{}\n"
        f"BAD-STOCK,Chair,10,-1,furniture,{OAK}\n"
        f"HALF-STOCK,Chair,10,1.5,furniture,{OAK}\n"
        "BAD-JSON,Chair,10,1,furniture,{material: oak}\n"
        'NOT-OBJECT,Chair,10,1,furniture,"[1, 2]"\n'
        f"bad sku!,Chair,10,1,furniture,{OAK}\n"
        "SHORT,Chair\n"
        f",Chair,10,1,furniture,{OAK}\n"
        f"OK-2,Fine table,10,1,furniture,{OAK}\n"
    )

    response = await send(client, admin, body)

    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["created"], result["updated"], result["failed"]) == (2, 0, 11)
    errors = {row["sku"]: (row["row"], row["errors"]) for row in result["rows"]}
    assert errors["OK-1"] == (2, [])
    assert [e["field"] for e in errors["BAD-PRICE"][1]] == ["price"]
    assert {e["field"] for e in errors["BAD-ATTR"][1]} == {
        "attributes.material",
        "attributes.width_cm",
    }
    assert errors["BAD-CAT"][1] == [{"field": "category", "message": "no such category"}]
    assert errors["NO-PRICE"][1] == [{"field": "price", "message": "is required for a new product"}]
    assert [e["field"] for e in errors["BAD-STOCK"][1]] == ["stock"]
    assert [e["field"] for e in errors["HALF-STOCK"][1]] == ["stock"]
    assert [e["field"] for e in errors["BAD-JSON"][1]] == ["attributes"]
    assert errors["NOT-OBJECT"][1][0]["message"].startswith("must be a JSON object")
    assert [e["field"] for e in errors["bad sku!"][1]] == ["sku"]
    assert errors["SHORT"] == (
        12,
        [{"field": "row", "message": "has 2 cells; the header names 6 columns"}],
    )
    assert errors[None] == (13, [{"field": "sku", "message": "is required"}])
    assert errors["OK-2"] == (14, [])
    assert await product_count(engine) == 2
    assert len(await recorded(engine, "product.created")) == 2


async def test_an_earlier_rows_write_and_audit_entry_survive_a_later_rows_failure(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    existing = await create_product(client, admin, furniture, "CH-1")
    body = (
        "sku,name,price,category,attributes\n"
        f"CH-1,Renamed,5,furniture,{OAK}\n"
        "CH-2,X,5,furniture,{}\n"
    )

    response = await send(client, admin, body)

    assert [row["outcome"] for row in response.json()["rows"]] == ["updated", "failed"]
    [update] = await recorded(engine, "product.updated")
    assert update["entity_id"] == existing["id"]
    assert update["after"]["name"] == "Renamed"
    assert update["actor_id"] == admin.user.id
    assert update["request_id"] == response.headers["x-request-id"]


async def test_a_sku_twice_in_a_file_is_created_then_updated(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    body = f"sku,name,price,category,attributes\nD-1,First,5,furniture,{OAK}\nd-1,Second,6,,\n"

    response = await send(client, admin, body)

    assert [row["outcome"] for row in response.json()["rows"]] == ["created", "updated"]
    product = await product_by_sku(client, admin, "D-1")
    assert (product["name"], product["price"]) == ("Second", "6.00")


async def test_a_dry_run_reports_the_same_outcomes_and_keeps_nothing(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    await create_product(client, admin, furniture, "CH-1", name="Before")
    body = (
        "sku,name,price,category,attributes\n"
        f"CH-1,After,5,furniture,{OAK}\n"
        f"NEW-1,New,5,furniture,{OAK}\n"
        f"new-1,Newer,5,furniture,{OAK}\n"
        "BAD-1,Bad,5,furniture,{}\n"
    )

    trial = await send(client, admin, body, dry_run="true")
    real = await send(client, admin, body)

    assert trial.status_code == 200, trial.text
    assert [row["outcome"] for row in trial.json()["rows"]] == [
        "updated",
        "created",
        "updated",
        "failed",
    ]
    assert trial.json() == real.json()


async def test_a_dry_run_writes_no_product_and_no_audit_entry(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    existing = await create_product(client, admin, furniture, "CH-1", name="Before")
    audit_before = len(await recorded(engine))
    body = (
        "sku,name,price,category,attributes\n"
        f"CH-1,After,5,furniture,{OAK}\n"
        f"NEW-1,N,5,furniture,{OAK}\n"
    )

    trial = await send(client, admin, body, dry_run="true")

    assert (trial.json()["created"], trial.json()["updated"]) == (1, 1), trial.text
    assert await product_count(engine) == 1
    assert (await product_by_sku(client, admin, "CH-1"))["name"] == "Before"
    assert existing["name"] == "Before"
    assert len(await recorded(engine)) == audit_before


async def test_rows_are_numbered_by_the_file_line_they_start_on_from_first_row(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    body = (
        "\ufeffSKU,Name,Description,Price,Category,Attributes\r\n"
        f'L-1,Lamp,"two\r\nlines",5,furniture,{OAK}\r\n'
        "\r\n"
        f"L-2,Lamp,,5,furniture,{OAK}\r\n"
        ",,,,,\r\n"
        "L-3,Lamp,,5,furniture,{}\r\n"
    )

    response = await send(client, admin, body, first_row=1001)

    assert response.status_code == 200, response.text
    assert [(row["row"], row["sku"]) for row in response.json()["rows"]] == [
        (1001, "L-1"),
        (1004, "L-2"),
        (1006, "L-3"),
    ], "a blank row is skipped, a quoted line break spans lines"
    assert (await product_by_sku(client, admin, "L-1"))["description"] == "two\r\nlines"


async def test_a_category_is_named_by_code_or_id(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any], electronics: dict[str, Any]
) -> None:
    body = (
        "sku,name,price,category,attributes\n"
        f'A-1,A,5,{electronics["id"]},"{{""voltage"": 12}}"\n'
        f"A-2,B,5,furniture,{OAK}\n"
    )

    response = await send(client, admin, body)

    assert response.json()["created"] == 2, response.text
    assert (await product_by_sku(client, admin, "A-1"))["category_id"] == electronics["id"]
    assert (await product_by_sku(client, admin, "A-2"))["category_id"] == furniture["id"]


async def test_moving_a_product_checks_its_attributes_against_the_new_category(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any], electronics: dict[str, Any]
) -> None:
    await create_product(client, admin, furniture, "CH-1")

    response = await send(client, admin, "sku,category\nCH-1,electronics\n")

    [row] = response.json()["rows"]
    assert row["outcome"] == "failed"
    assert "attributes.voltage" in {error["field"] for error in row["errors"]}


async def test_attribute_cells_postgresql_cannot_store_fail_their_row_only(
    client: AsyncClient, admin: Actor, electronics: dict[str, Any]
) -> None:
    cells = [
        '"{""voltage"": NaN}"',
        '"{""voltage"": 1e999}"',
        '"{""voltage"": 230, ""model"": ""a\\u0000b""}"',
        '"{""voltage"": 230, ""model"": ""\\ud800""}"',
        '"' + '{""a"":' * 40 + "1" + "}" * 40 + '"',
        '"' + "[" * 5000 + "]" * 5000 + '"',
    ]
    body = "sku,name,price,category,attributes\n" + "".join(
        f"X-{number},X,5,electronics,{cell}\n" for number, cell in enumerate(cells)
    )

    response = await send(client, admin, body)

    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [row["outcome"] for row in rows] == ["failed"] * len(cells)
    assert all([e["field"] for e in row["errors"]] == ["attributes"] for row in rows), rows


async def test_attributes_too_large_for_a_product_fail_their_row(
    client: AsyncClient, admin: Actor, electronics: dict[str, Any]
) -> None:
    big = attributes({"voltage": 230, "model": "m" * 20_000})

    response = await send(
        client, admin, f"sku,name,price,category,attributes\nX,X,5,electronics,{big}\n"
    )

    [row] = response.json()["rows"]
    assert (row["outcome"], row["errors"][0]["field"]) == ("failed", "attributes")


async def test_a_file_that_cannot_be_read_is_refused_whole_naming_the_line(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    good = f"G-1,Good,5,furniture,{OAK}\n"
    header = "sku,name,price,category,attributes\n"
    cases = {
        "not utf-8": ((header + good).encode() + b"G-2,Caf\xe9,5,furniture,{}\n", 3),
        "nul": ((header + good + "G-2,A\x00,5,furniture,{}\n").encode(), 3),
        "unknown column": (b"sku,name,colour\nX,Y,red\n", 1),
        "attr column": (b"sku,attr.color\nX,red\n", 1),
        "repeated column": (b"sku,name,NAME\nX,Y,Z\n", 1),
        "no sku column": (b"name,price\nX,5\n", 1),
        "unnamed column": (b"sku,,price\nX,Y,5\n", 1),
        "empty": (b"", 1),
        "broken quoting": ((header + good + 'G-2,"Open,5,furniture,{}\n').encode(), 3),
    }
    for name, (body, line) in cases.items():
        response = await send(client, admin, body)

        assert response.status_code == 400, (name, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"] == "urn:oms:problem:invalid-csv", name
        assert problem["line"] == line, (name, problem)
        assert problem["reason"], name
    assert await product_count(engine) == 0


async def test_a_broken_line_is_named_by_its_file_line_from_first_row(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    body = b"sku,name\nA,B\nC,D\n" + b"E,\xff\n"

    response = await send(client, admin, body, first_row=501)

    assert response.status_code == 400
    assert response.json()["line"] == 503


async def test_more_than_a_thousand_rows_is_413_naming_the_limit(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    body = "sku,name\n" + "".join(f"S-{number},N\n" for number in range(1001))

    response = await send(client, admin, body)

    assert response.status_code == 413, response.text
    assert response.json()["type"] == "urn:oms:problem:too-many-rows"
    assert response.json()["max_rows"] == 1000
    assert await product_count(engine) == 0


async def test_a_thousand_rows_are_imported_in_one_request(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, furniture: dict[str, Any]
) -> None:
    body = "sku,name,price,stock,category,attributes\n" + "".join(
        f"S-{number:04},Chair {number},{number}.50,{number},furniture,{OAK}\n"
        for number in range(1000)
    )

    started = time.perf_counter()
    created = await send(client, admin, body)
    creating = time.perf_counter() - started
    started = time.perf_counter()
    updated = await send(client, admin, body.replace(".50,", ".75,"))
    updating = time.perf_counter() - started

    assert created.status_code == 200, created.text
    assert (created.json()["created"], updated.json()["updated"]) == (1000, 1000)
    assert await product_count(engine) == 1000
    assert len(await recorded(engine, "product.updated")) == 1000
    print(f"1,000 rows: created in {creating:.2f} s, updated in {updating:.2f} s")


async def test_only_text_csv_in_utf_8_is_taken(client: AsyncClient, admin: Actor) -> None:
    for content_type in ("application/json", "text/plain", "text/csv; charset=latin-1", ""):
        response = await client.post(
            IMPORT,
            content=b"sku\nX\n",
            headers={**admin.headers, "Content-Type": content_type},
        )

        assert response.status_code == 415, (content_type, response.text)
        assert response.json()["type"] == "urn:oms:problem:unsupported-csv-type"
    fine = await client.post(
        IMPORT,
        content=b"sku\n",
        headers={**admin.headers, "Content-Type": 'text/csv; charset="UTF-8"; header=present'},
    )
    assert fine.status_code == 200, fine.text


async def test_first_row_is_a_file_line_after_the_header(client: AsyncClient, admin: Actor) -> None:
    for value in ("1", "0", "abc", "2147483648"):
        response = await send(client, admin, "sku\n", first_row=value)

        assert response.status_code == 400, value
        assert response.json()["errors"][0]["field"] == "first_row"


async def test_only_staff_who_may_write_the_catalogue_import(
    client: AsyncClient, customer: Actor
) -> None:
    refused = await send(client, customer, "sku,name\nX,Y\n")
    anonymous = await client.post(IMPORT, content=b"sku\nX\n", headers=CSV)

    assert refused.status_code == 403
    assert refused.json()["permission"] == "catalogue:write"
    assert anonymous.status_code == 401
