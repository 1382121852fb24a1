"""The built apps are served at `/` and `/admin/`: files with their caching, the history
fallback for page addresses, the security headers, and never a file outside the build."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from starlette.types import Message

from oms.app import create_app
from oms.core.errors import PROBLEM_JSON
from oms.core.settings import Settings
from oms.core.web_apps import app_directories, content_security_policy

CUSTOMER_INDEX = '<!doctype html><html lang="en"><title>Shop</title><div id="root"></div>'
ADMIN_INDEX = '<!doctype html><html lang="en"><title>Admin</title><div id="root"></div>'
SCRIPT = "document.getElementById('root').textContent = 'hello';"
SECRET = "root:x:0:0:secret"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'; object-src 'none'"
)


def build(directory: Path, index: str) -> Path:
    (directory / "assets").mkdir(parents=True)
    (directory / "index.html").write_text(index)
    (directory / "assets" / "index-abc123.js").write_text(SCRIPT)
    (directory / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return directory


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    """A built customer app (no admin app) inside `web/`, a secret file beside it."""
    (tmp_path / "secret.txt").write_text(SECRET)
    build(tmp_path / "web" / "customer", CUSTOMER_INDEX)
    return tmp_path / "web"


def serving(web_dir: Path, **settings: Any) -> FastAPI:
    # Serving files needs no database: the app runs without its lifespan.
    return create_app(
        Settings(
            _env_file=None,
            database_url="postgresql://web@127.0.0.1/unused",
            web_dir=web_dir,
            **settings,
        )
    )


@pytest.fixture
async def client(web_dir: Path) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=serving(web_dir), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://oms") as http:
        yield http


def assert_app_headers(headers: Any) -> None:
    assert headers["content-security-policy"] == CSP
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_the_customer_app_is_served_at_the_root_revalidated_with_security_headers(
    client: AsyncClient,
) -> None:
    response = await client.get("/", headers=HTML)

    assert response.status_code == 200
    assert response.text == CUSTOMER_INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["etag"]
    assert_app_headers(response.headers)
    assert (await client.get("/index.html")).headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_a_year_as_immutable(client: AsyncClient) -> None:
    response = await client.get("/assets/index-abc123.js")

    assert response.status_code == 200
    assert response.text == SCRIPT
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["etag"]
    assert_app_headers(response.headers)


async def test_other_files_of_the_build_are_revalidated(client: AsyncClient) -> None:
    response = await client.get("/favicon.svg")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/", "/assets/index-abc123.js", "/orders/42"])
async def test_a_current_etag_answers_304(client: AsyncClient, path: str) -> None:
    first = await client.get(path, headers=HTML)
    again = await client.get(path, headers={**HTML, "If-None-Match": first.headers["etag"]})
    changed = await client.get(path, headers={**HTML, "If-None-Match": '"other"'})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == first.headers["cache-control"]
    assert changed.status_code == 200


async def test_head_answers_the_headers_without_the_body(client: AsyncClient) -> None:
    response = await client.head("/assets/index-abc123.js")

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(SCRIPT))


@pytest.mark.parametrize("path", ["/orders/42", "/p/7", "/reset-password", "/c/shoes/"])
async def test_a_browser_navigating_to_a_page_of_the_app_gets_index_html(
    client: AsyncClient, path: str
) -> None:
    response = await client.get(path, params={"token": "t"}, headers=HTML)

    assert response.status_code == 200
    assert response.text == CUSTOMER_INDEX
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["vary"] == "Accept"
    assert_app_headers(response.headers)


@pytest.mark.parametrize(
    "accept", [None, "application/json", "*/*", "image/avif,image/webp,*/*", "text/html;q=0"]
)
async def test_a_request_not_for_a_page_gets_a_404_problem_for_a_missing_file(
    client: AsyncClient, accept: str | None
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = await client.get("/orders/42", headers=headers)

    assert_problem(response, 404)


@pytest.mark.parametrize(
    "path", ["/assets/index-gone99.js", "/assets/", "/assets", "/assets/deep/er.css"]
)
async def test_a_missing_asset_is_a_404_even_for_a_navigation(
    client: AsyncClient, path: str
) -> None:
    assert_problem(await client.get(path, headers=HTML), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here",
        "/api",
        "/api/",
        "/health/nothing-here",
        "/.well-known/nothing-here",
        "/.well-known",
    ],
)
async def test_api_paths_never_fall_back_to_the_app(client: AsyncClient, path: str) -> None:
    response = await client.get(path, headers=HTML)

    assert_problem(response, 404)
    assert "content-security-policy" not in response.headers


async def test_api_routes_still_answer_before_the_app(client: AsyncClient) -> None:
    response = await client.get("/api/openapi.json", headers=HTML)

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "OMS"


async def test_other_methods_on_the_app_answer_405_allowing_get_and_head(
    client: AsyncClient,
) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/", "/orders/42", "/assets/index-abc123.js"):
            response = await client.request(method, path, headers=HTML)
            assert_problem(response, 405)
            assert response.headers["allow"] == "GET, HEAD"


async def test_unknown_api_paths_stay_404_whatever_the_method(client: AsyncClient) -> None:
    assert_problem(await client.post("/api/v1/nothing-here"), 404)
    assert_problem(await client.delete("/health/nothing-here"), 404)
    api_route = await client.put("/api/v1/orders")
    assert_problem(api_route, 405)
    assert api_route.headers["allow"] == "GET, POST"


async def test_the_admin_app_answers_a_clear_404_until_it_is_built(client: AsyncClient) -> None:
    for path in ("/admin/", "/admin/orders/1", "/admin/assets/index-abc123.js"):
        body = assert_problem(await client.get(path, headers=HTML), 404)
        assert body["type"] == "urn:oms:problem:app-not-built"
        assert "admin app is not built" in body["detail"]


async def test_a_missing_customer_build_answers_a_clear_404(tmp_path: Path) -> None:
    transport = ASGITransport(app=serving(tmp_path / "nothing"))
    async with AsyncClient(transport=transport, base_url="http://oms") as http:
        body = assert_problem(await http.get("/", headers=HTML), 404)
        health = await http.get("/api/openapi.json")

    assert body["type"] == "urn:oms:problem:app-not-built"
    assert "customer app is not built" in body["detail"]
    assert health.status_code == 200


async def test_the_admin_app_is_served_under_admin_once_built(web_dir: Path) -> None:
    build(web_dir / "admin", ADMIN_INDEX)
    transport = ASGITransport(app=serving(web_dir))
    async with AsyncClient(transport=transport, base_url="http://oms") as http:
        redirect = await http.get("/admin", params={"next": "/x"}, headers=HTML)
        index = await http.get("/admin/", headers=HTML)
        page = await http.get("/admin/orders/42", headers=HTML)
        asset = await http.get("/admin/assets/index-abc123.js")
        missing = await http.get("/admin/assets/index-gone99.js", headers=HTML)
        customer_page = await http.get("/administrators", headers=HTML)

    assert redirect.status_code == 308
    assert redirect.headers["location"] == "/admin/?next=%2Fx"
    assert (index.status_code, index.text) == (200, ADMIN_INDEX)
    assert (page.status_code, page.text) == (200, ADMIN_INDEX)
    assert_app_headers(page.headers)
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert_problem(missing, 404)
    assert customer_page.text == CUSTOMER_INDEX


async def call_asgi(app: FastAPI, raw_path: bytes, path: str) -> tuple[int, bytes]:
    """A GET with the path exactly as given: HTTP clients remove dot segments before sending."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": raw_path,
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"oms"), (b"accept", HTML["Accept"].encode())],
        "client": ("127.0.0.1", 5000),
        "server": ("oms", 80),
    }
    status = 0
    body = b""

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")

    await app(scope, receive, send)
    return status, body


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/assets/../../secret.txt",
        "/assets/../../x",
        "/..%2fsecret.txt",
        "/admin/../../secret.txt",
        "/%2e%2e/secret.txt",
        "//etc/passwd",
        "/./../secret.txt",
    ],
)
async def test_no_path_reaches_a_file_outside_the_build(web_dir: Path, path: str) -> None:
    # Servers decode %2F into the path the app sees; the raw path keeps it.
    decoded = path.replace("%2f", "/").replace("%2e", ".")
    status, body = await call_asgi(serving(web_dir), path.encode(), decoded)

    assert SECRET.encode() not in body
    assert b"root:" not in body
    assert status in (200, 404)
    if status == 200:
        assert body == CUSTOMER_INDEX.encode()


async def test_encoded_traversal_through_the_http_client_stays_inside(
    client: AsyncClient,
) -> None:
    for path in ("/..%2f..%2fetc/passwd", "/..%2f..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt"):
        response = await client.get(path, headers=HTML)
        assert SECRET not in response.text
        assert "root:" not in response.text
        assert response.status_code in (200, 404)


async def test_a_symlink_out_of_the_build_is_not_followed(web_dir: Path) -> None:
    (web_dir / "customer" / "assets" / "leak.txt").symlink_to(web_dir.parent / "secret.txt")
    transport = ASGITransport(app=serving(web_dir))
    async with AsyncClient(transport=transport, base_url="http://oms") as http:
        response = await http.get("/assets/leak.txt", headers=HTML)

    assert_problem(response, 404)
    assert SECRET not in response.text


async def test_api_responses_carry_nosniff_and_the_referrer_policy(client: AsyncClient) -> None:
    for response in (
        await client.get("/api/openapi.json"),
        await client.get("/api/v1/nothing-here"),
        await client.put("/api/v1/orders"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "content-security-policy" not in response.headers


async def test_the_api_docs_page_is_not_held_to_the_apps_policy(client: AsyncClient) -> None:
    """Swagger UI loads its bundle from a CDN and starts with an inline script."""
    response = await client.get("/api/docs", headers=HTML)

    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in response.text
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_openapi_document_lists_no_app_route(web_dir: Path) -> None:
    document = serving(web_dir).openapi()

    app_paths = [
        path
        for path in document["paths"]
        if not path.startswith(("/api/", "/health", "/.well-known/"))
    ]
    assert app_paths == []


def test_signing_in_through_a_provider_lets_the_apps_reach_its_origin() -> None:
    settings = Settings(
        _env_file=None,
        auth_mode="oidc",
        oidc_issuer="https://sso.example.com:8443/realms/oms",
    )

    policy = content_security_policy(settings)

    assert "connect-src 'self' https://sso.example.com:8443;" in policy
    assert "form-action 'self' https://sso.example.com:8443;" in policy
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert content_security_policy(Settings(_env_file=None)) == CSP


def test_without_a_setting_the_apps_are_found_in_the_checkout(tmp_path: Path) -> None:
    frontend = Path(__file__).resolve().parents[3] / "frontend"

    assert app_directories(Settings(_env_file=None)) == {
        "customer": frontend / "customer" / "dist",
        "admin": frontend / "admin" / "dist",
    }
    assert app_directories(Settings(_env_file=None, web_dir=tmp_path)) == {
        "customer": tmp_path / "customer",
        "admin": tmp_path / "admin",
    }


async def test_a_route_added_after_the_apps_still_comes_first(web_dir: Path) -> None:
    app = serving(web_dir)

    @app.get("/late/{name}")
    async def late(name: str) -> dict[str, str]:
        return {"name": name}

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://oms") as http:
        response = await http.get("/late/route", headers=HTML)

    assert response.json() == {"name": "route"}
