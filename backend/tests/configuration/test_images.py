"""A logo named by URL: fetched through the outbound guard, bounded, and OMS's own asset URL
(as an export writes it) taken back without a fetch."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient

from oms.app import create_app
from oms.auth.permissions import Role
from oms.core.settings import Settings
from tests.actors import Actor, sign_in_as
from tests.configuration.conftest import EXPORT, import_document
from tests.configuration.documents import EXAMPLES, minimal
from tests.conftest_helpers import serving

LOGO = (EXAMPLES / "furniture" / "logo.svg").read_bytes()


class ImageServer:
    """Answers every GET with `body` as `content_type`; counts the requests."""

    def __init__(self, body: bytes, content_type: str = "image/svg+xml") -> None:
        self.body, self.content_type, self.requests = body, content_type, 0
        self.port = 0
        self._server: asyncio.Server | None = None

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/logo.svg"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        self.requests += 1
        head = f"HTTP/1.1 200 OK\r\nContent-Type: {self.content_type}\r\n"
        writer.write(f"{head}Content-Length: {len(self.body)}\r\n\r\n".encode() + self.body)
        await writer.drain()
        writer.close()


@pytest.fixture
async def image_server() -> AsyncIterator[ImageServer]:
    server = ImageServer(LOGO)
    await server.start()
    yield server
    await server.stop()


def _with_logo(url: str) -> dict[str, object]:
    document = minimal()
    document["branding"]["logo"] = {"url": url}
    return document


async def test_a_logo_on_an_internal_address_is_refused_by_default(
    client: AsyncClient, admin: Actor, image_server: ImageServer
) -> None:
    response = await import_document(client, admin, _with_logo(image_server.url()))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "branding.logo"
    assert "internal address" in error["message"]
    assert image_server.requests == 0


async def test_a_logo_by_url_is_fetched_and_its_exported_url_imports_back_unchanged(
    settings: Settings, clean_database: None, image_server: ImageServer
) -> None:
    allowed = settings.model_copy(update={"webhook_allowed_networks": ["127.0.0.0/8"]})
    app = create_app(allowed)
    async with serving(app) as client:
        admin = await sign_in_as(app, "admin@example.test", frozenset({Role.ADMIN}))
        response = await import_document(client, admin, _with_logo(image_server.url()))
        assert response.status_code == 200, response.text
        assert image_server.requests == 1
        exported = (await client.get(EXPORT, headers=admin.headers)).json()
        logo_url = exported["branding"]["logo"]["url"]
        assert "/api/v1/branding/assets/" in logo_url
        assert (await client.get(logo_url.split("localhost:3000", 1)[1])).content == LOGO

        again = await import_document(client, admin, _with_logo(logo_url))
        assert again.json()["changes"] == []
        assert image_server.requests == 1


async def test_a_logo_that_is_not_an_image_is_refused(
    settings: Settings, clean_database: None
) -> None:
    server = ImageServer(b"<html>not an image</html>", "image/svg+xml")
    await server.start()
    allowed = settings.model_copy(update={"webhook_allowed_networks": ["127.0.0.0/8"]})
    try:
        app = create_app(allowed)
        async with serving(app) as client:
            admin = await sign_in_as(app, "admin@example.test", frozenset({Role.ADMIN}))
            response = await import_document(client, admin, _with_logo(server.url()))
    finally:
        await server.stop()
    assert response.status_code == 400
    assert "not a valid image/svg+xml image" in response.json()["errors"][0]["message"]
