"""Product images: uploaded by staff with the checks of the shop's logo, stored in the
database, served at immutable public URLs, shown in `images` of the product."""

import hashlib
import io
from typing import Any

import pytest
from httpx import AsyncClient
from PIL import Image
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.products.conftest import create_product

PRODUCTS = "/api/v1/products"


def _image(kind: str, size: tuple[int, int] = (8, 6), colour: str = "#1f4e79") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


async def _upload(
    client: AsyncClient, actor: Actor, product_id: str, data: bytes, content_type: str
) -> Any:
    return await client.post(
        f"{PRODUCTS}/{product_id}/images",
        content=data,
        headers={**actor.headers, "Content-Type": content_type},
    )


@pytest.fixture
async def chair(client: AsyncClient, admin: Actor, furniture: dict[str, Any]) -> dict[str, Any]:
    return await create_product(client, admin, furniture, "CH-1")


@pytest.mark.parametrize(
    ("kind", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
async def test_staff_upload_an_image_served_for_good(
    client: AsyncClient,
    admin: Actor,
    customer: Actor,
    chair: dict[str, Any],
    kind: str,
    content_type: str,
) -> None:
    data = _image(kind, (8, 6))

    response = await _upload(client, admin, chair["id"], data, content_type)

    assert response.status_code == 201, response.text
    [image] = response.json()["images"]
    digest = hashlib.sha256(data).hexdigest()
    assert image["url"] == f"/api/v1/product-images/{digest}"
    assert (image["content_type"], image["width"], image["height"]) == (content_type, 8, 6)
    assert response.headers["location"].endswith(image["url"])
    served = await client.get(image["url"])  # public: no token
    assert served.status_code == 200
    assert served.content == data
    assert served.headers["content-type"] == content_type
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert served.headers["x-content-type-options"] == "nosniff"
    shown = await client.get(f"{PRODUCTS}/{chair['id']}", headers=customer.headers)
    assert shown.json()["images"] == [image]


async def test_images_keep_their_order_and_are_removed_one_by_one(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, chair: dict[str, Any]
) -> None:
    first = (await _upload(client, admin, chair["id"], _image("PNG"), "image/png")).json()
    second = await _upload(client, admin, chair["id"], _image("PNG", colour="red"), "image/png")
    urls = [image["url"] for image in second.json()["images"]]
    assert urls[0] == first["images"][0]["url"]
    assert len(urls) == 2

    first_id = first["images"][0]["id"]
    removed = await client.delete(
        f"{PRODUCTS}/{chair['id']}/images/{first_id}", headers=admin.headers
    )
    assert removed.status_code == 200
    assert [image["url"] for image in removed.json()["images"]] == urls[1:]
    again = await client.delete(
        f"{PRODUCTS}/{chair['id']}/images/{first_id}", headers=admin.headers
    )
    assert again.status_code == 404
    assert again.json()["type"] == "urn:oms:problem:product-image-not-found"
    # The URL keeps meaning those bytes, wherever a copy of it is cached.
    assert (await client.get(urls[0])).status_code == 200

    async with engine.connect() as connection:
        actions = (
            await connection.execute(
                text(
                    "SELECT action, before, after FROM audit_log WHERE entity = 'product' "
                    "AND action LIKE 'product.image_%' ORDER BY id"
                )
            )
        ).all()
    assert [row.action for row in actions] == [
        "product.image_added",
        "product.image_added",
        "product.image_removed",
    ]
    assert actions[0].after["image_id"] == first_id
    assert actions[2].before["image_id"] == first_id


async def test_at_most_eight_images(
    client: AsyncClient, admin: Actor, chair: dict[str, Any]
) -> None:
    for number in range(8):
        colour = f"#{number:02x}0000"
        response = await _upload(
            client, admin, chair["id"], _image("PNG", colour=colour), "image/png"
        )
        assert response.status_code == 201, response.text

    refused = await _upload(
        client, admin, chair["id"], _image("PNG", colour="#ffffff"), "image/png"
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:oms:problem:too-many-product-images"
    assert refused.json()["limit"] == 8


async def test_uploads_are_checked_like_the_logo(
    client: AsyncClient, admin: Actor, manager: Actor, customer: Actor, chair: dict[str, Any]
) -> None:
    png = _image("PNG")
    cases = [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "image/svg+xml",
            415,
            "unsupported-image-type",
        ),
        (png, "text/plain", 415, "unsupported-image-type"),
        (png, "image/jpeg", 400, "invalid-image"),
        (b"not an image at all", "image/png", 400, "invalid-image"),
        (b"\x89PNG" + b"\0" * (600 * 1024), "image/png", 413, "image-too-large"),
    ]
    for data, content_type, status, slug in cases:
        response = await _upload(client, admin, chair["id"], data, content_type)
        assert response.status_code == status, (content_type, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == f"urn:oms:problem:{slug}"

    assert (await _upload(client, customer, chair["id"], png, "image/png")).status_code == 403
    assert (await _upload(client, manager, chair["id"], png, "image/png")).status_code == 201
    missing = await _upload(client, admin, "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07", png, "image/png")
    assert missing.status_code == 404
    unknown = await client.get(f"/api/v1/product-images/{'0' * 64}")
    assert unknown.status_code == 404


async def test_listing_products_reads_no_image_bytes(
    client: AsyncClient, admin: Actor, engine: AsyncEngine, app: Any, chair: dict[str, Any]
) -> None:
    await _upload(client, admin, chair["id"], _image("PNG"), "image/png")
    statements: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    sync_engine = app.state.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", remember)
    try:
        listed = await client.get(PRODUCTS, headers=admin.headers)
    finally:
        event.remove(sync_engine, "before_cursor_execute", remember)

    assert listed.json()["items"][0]["images"][0]["width"] == 8
    assert any("product_images" in statement for statement in statements), statements
    assert not any("product_image_files" in statement for statement in statements), statements
