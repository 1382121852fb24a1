"""Logo and favicon: uploaded, checked, stored in the database and served at a URL that
never changes, with no script in any image able to run."""

import io
from typing import Any

import pytest
from httpx import AsyncClient
from PIL import Image

from tests.actors import Actor

BRANDING = "/api/v1/branding"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10" onclick="alert(2)"/></svg>'
)


def _image(kind: str, size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#1f4e79").save(out, kind)
    return out.getvalue()


async def _upload(
    client: AsyncClient, admin: Actor, slot: str, data: bytes, content_type: str
) -> Any:
    tag = (await client.get(BRANDING)).headers["ETag"]
    headers = {**admin.headers, "If-Match": tag, "Content-Type": content_type}
    return await client.put(f"{BRANDING}/{slot}", content=data, headers=headers)


@pytest.mark.parametrize(
    ("kind", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
async def test_a_raster_logo_is_stored_and_served_for_good(
    client: AsyncClient, admin: Actor, kind: str, content_type: str
) -> None:
    data = _image(kind)

    response = await _upload(client, admin, "logo", data, content_type)

    assert response.status_code == 200, response.text
    url = response.json()["logo_url"]
    assert url.startswith("/api/v1/branding/assets/")
    served = await client.get(url)
    assert served.status_code == 200
    assert served.content == data
    assert served.headers["content-type"] == content_type
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await client.get(BRANDING)).json()["logo_url"] == url


async def test_an_svg_is_served_under_a_policy_that_runs_no_script(
    client: AsyncClient, admin: Actor
) -> None:
    response = await _upload(client, admin, "favicon", SVG_WITH_SCRIPT, "image/svg+xml")

    assert response.status_code == 200, response.text
    served = await client.get(response.json()["favicon_url"])
    assert served.headers["content-type"].startswith("image/svg+xml")
    policy = served.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy  # default-src 'none' forbids scripts; none re-allowed
    assert served.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"GIF89a not allowed", "image/gif"),
        (b"<html></html>", "text/html"),
        (b"", ""),
    ],
)
async def test_other_types_are_415(
    client: AsyncClient, admin: Actor, data: bytes, content_type: str
) -> None:
    response = await _upload(client, admin, "logo", data, content_type)

    assert response.status_code == 415, response.text
    assert response.json()["allowed"] == ["image/jpeg", "image/png", "image/svg+xml", "image/webp"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n but then nothing", "image/png"),
        (_image("JPEG"), "image/png"),
        (b"<html><body/></html>", "image/svg+xml"),
        (b"<svg", "image/svg+xml"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "image/svg+xml",
        ),
    ],
)
async def test_bytes_that_are_not_the_type_sent_are_400(
    client: AsyncClient, admin: Actor, data: bytes, content_type: str
) -> None:
    response = await _upload(client, admin, "logo", data, content_type)

    assert response.status_code == 400, response.text
    assert response.json()["type"] == "urn:oms:problem:invalid-image"
    assert (await client.get(BRANDING)).json()["logo_url"] is None


async def test_an_image_over_the_limit_is_413(client: AsyncClient, admin: Actor) -> None:
    noise = Image.effect_noise((600, 600), 100).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 512 * 1024

    response = await _upload(client, admin, "logo", out.getvalue(), "image/png")

    assert response.status_code == 413
    assert response.json()["limit"] == 512 * 1024


async def test_a_decompression_bomb_is_refused(client: AsyncClient, admin: Actor) -> None:
    data = _image("PNG", (5000, 5000))  # a few KiB of one colour, 25 million pixels

    response = await _upload(client, admin, "logo", data, "image/png")

    assert response.status_code == 400
    assert "pixels" in response.json()["detail"]


async def test_an_image_is_removed_and_only_an_admin_uploads(
    client: AsyncClient, admin: Actor, manager: Actor
) -> None:
    uploaded = await _upload(client, admin, "logo", _image("PNG"), "image/png")
    url = uploaded.json()["logo_url"]
    refused = await _upload(client, manager, "logo", _image("PNG"), "image/png")
    assert refused.status_code == 403

    tag = (await client.get(BRANDING)).headers["ETag"]
    removed = await client.delete(f"{BRANDING}/logo", headers={**admin.headers, "If-Match": tag})

    assert removed.status_code == 200
    assert removed.json()["logo_url"] is None
    assert (await client.get(url)).status_code == 200  # old emails still show it


async def test_an_unknown_asset_is_404_and_a_malformed_digest_400(client: AsyncClient) -> None:
    missing = await client.get(f"{BRANDING}/assets/{'0' * 64}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"{BRANDING}/assets/nothex")).status_code == 400
