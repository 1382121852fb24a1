"""Products and categories carry a version: every change adds one, `PATCH` answers its ETag
and takes it as `If-Match`, so an edit made on a stale copy is refused instead of
overwriting someone else's change."""

import io
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from PIL import Image

from oms.products import service as products
from tests.actors import Actor
from tests.products.conftest import create_product

PRODUCTS = "/api/v1/products"
CATEGORIES = "/api/v1/categories"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "#336699").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
async def chair(client: AsyncClient, admin: Actor, furniture: dict[str, Any]) -> dict[str, Any]:
    return await create_product(client, admin, furniture, "CH-1", stock=5)


async def _product(client: AsyncClient, actor: Actor, product_id: str) -> dict[str, Any]:
    response = await client.get(f"{PRODUCTS}/{product_id}", headers=actor.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_an_edit_with_the_current_etag_changes_the_product_and_answers_the_next(
    client: AsyncClient, admin: Actor, chair: dict[str, Any]
) -> None:
    assert chair["version"] == 0

    response = await client.patch(
        f"{PRODUCTS}/{chair['id']}",
        json={"name": "Oak chair"},
        headers={**admin.headers, "If-Match": '"0"'},
    )

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1
    assert response.headers["etag"] == '"1"'
    assert (await _product(client, admin, chair["id"]))["name"] == "Oak chair"


async def test_an_edit_with_a_stale_etag_is_412_and_changes_nothing(
    client: AsyncClient, admin: Actor, manager: Actor, chair: dict[str, Any]
) -> None:
    first = await client.patch(
        f"{PRODUCTS}/{chair['id']}",
        json={"price": "12.00"},
        headers={**manager.headers, "If-Match": '"0"'},
    )
    assert first.status_code == 200, first.text

    stale = await client.patch(
        f"{PRODUCTS}/{chair['id']}",
        json={"price": "15.00"},
        headers={**admin.headers, "If-Match": '"0"'},
    )

    assert stale.status_code == 412
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert stale.json()["type"] == "urn:oms:problem:stale-product"
    assert stale.headers["etag"] == '"1"'
    assert (await _product(client, admin, chair["id"]))["price"] == "12.00"


async def test_a_weak_or_foreign_etag_never_matches(
    client: AsyncClient, admin: Actor, chair: dict[str, Any]
) -> None:
    for tag in ('W/"0"', '"x"', "0"):
        response = await client.patch(
            f"{PRODUCTS}/{chair['id']}",
            json={"name": "Renamed"},
            headers={**admin.headers, "If-Match": tag},
        )
        assert response.status_code == 412, tag
    assert (await _product(client, admin, chair["id"]))["version"] == 0


async def test_an_edit_without_if_match_is_applied_as_before(
    client: AsyncClient, admin: Actor, chair: dict[str, Any]
) -> None:
    response = await client.patch(
        f"{PRODUCTS}/{chair['id']}", json={"stock": 7}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    assert (response.json()["stock"], response.json()["version"]) == (7, 1)


async def test_an_edit_that_changes_nothing_keeps_the_version(
    client: AsyncClient, admin: Actor, chair: dict[str, Any]
) -> None:
    response = await client.patch(
        f"{PRODUCTS}/{chair['id']}", json={"name": chair["name"]}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 0


async def test_images_and_archiving_change_the_version_so_an_older_copy_is_stale(
    client: AsyncClient, admin: Actor, chair: dict[str, Any]
) -> None:
    uploaded = await client.post(
        f"{PRODUCTS}/{chair['id']}/images",
        content=_png(),
        headers={**admin.headers, "Content-Type": "image/png"},
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["version"] == 1
    [image] = uploaded.json()["images"]

    removed = await client.delete(
        f"{PRODUCTS}/{chair['id']}/images/{image['id']}", headers=admin.headers
    )
    assert removed.json()["version"] == 2
    archived = await client.delete(f"{PRODUCTS}/{chair['id']}", headers=admin.headers)
    assert archived.status_code == 204
    assert (await _product(client, admin, chair["id"]))["version"] == 3

    stale = await client.patch(
        f"{PRODUCTS}/{chair['id']}",
        json={"active": True},
        headers={**admin.headers, "If-Match": '"2"'},
    )
    assert stale.status_code == 412


async def test_taking_and_giving_back_stock_changes_the_version(
    app: FastAPI, client: AsyncClient, admin: Actor, chair: dict[str, Any]
) -> None:
    product_id = uuid.UUID(chair["id"])
    async with app.state.sessions() as session, session.begin():
        await products.reserve_stock(session, [products.StockLine(2, product_id=product_id)])
    taken = await _product(client, admin, chair["id"])
    async with app.state.sessions() as session, session.begin():
        await products.release_stock(session, [(product_id, 1)])
    given_back = await _product(client, admin, chair["id"])

    assert (taken["stock"], taken["version"]) == (3, 1)
    assert (given_back["stock"], given_back["version"]) == (4, 2)
    stale = await client.patch(
        f"{PRODUCTS}/{chair['id']}",
        json={"stock": 10},
        headers={**admin.headers, "If-Match": '"1"'},
    )
    assert stale.status_code == 412


async def test_a_category_edit_is_checked_against_its_version(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    assert furniture["version"] == 0
    url = f"{CATEGORIES}/{furniture['id']}"

    renamed = await client.patch(
        url, json={"name": "Chairs and tables"}, headers={**admin.headers, "If-Match": '"0"'}
    )
    stale = await client.patch(
        url, json={"name": "Tables"}, headers={**admin.headers, "If-Match": '"0"'}
    )

    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["version"], renamed.headers["etag"]) == (1, '"1"')
    assert stale.status_code == 412
    assert stale.json()["type"] == "urn:oms:problem:stale-category"
    assert stale.headers["etag"] == '"1"'
    current = await client.get(url, headers=admin.headers)
    assert current.json()["name"] == "Chairs and tables"


async def test_a_stale_category_edit_is_refused_before_its_schema_is_checked(
    client: AsyncClient, admin: Actor, furniture: dict[str, Any]
) -> None:
    url = f"{CATEGORIES}/{furniture['id']}"
    await client.patch(url, json={"name": "Furniture!"}, headers=admin.headers)

    stale = await client.patch(
        url,
        json={"attribute_schema": {"type": "nonsense"}},
        headers={**admin.headers, "If-Match": '"0"'},
    )

    assert stale.status_code == 412
