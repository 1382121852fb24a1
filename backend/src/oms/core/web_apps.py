"""The built single-page apps: the customer app at `/`, the admin app at `/admin/`.

They answer what no route of the API does (the router's default), so any route, even one
added later, comes first. A file of the
build is served as it is (`ETag`, 304); files under `assets/` carry a content hash in their
name, so they are cached for a year; anything else is revalidated. A page address of the app
(`/orders/42`) is no file: a browser navigating there gets `index.html` and the app's router
takes over, while a script asking for a missing asset, or anyone under `/api`, `/health` or
`/.well-known`, gets a 404 problem. (FastAPI's own `app.frontend()` cannot keep those prefixes
out of the fallback nor set these headers.)
"""

import mimetypes
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import anyio
from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from oms.core.errors import NotFound, problem_response
from oms.core.settings import Settings

# The first path segments that belong to the API, never to an app.
NOT_APP_SEGMENTS = frozenset({"api", "health", ".well-known"})
HASHED_ASSETS = "assets"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
APP_METHODS = frozenset({"GET", "HEAD"})

_PACKAGED = Path(__file__).resolve().parents[1] / "web"  # oms/web in an installed wheel
_CHECKOUT_FRONTEND = Path(__file__).resolve().parents[4] / "frontend"

# Under `nosniff` a script or style sheet with a wrong type is refused, so the types of what a
# build holds do not depend on the host's MIME table.
for _type, _suffix in (
    ("text/javascript", ".js"),
    ("text/javascript", ".mjs"),
    ("text/css", ".css"),
    ("image/svg+xml", ".svg"),
    ("font/woff2", ".woff2"),
    ("application/manifest+json", ".webmanifest"),
    ("application/wasm", ".wasm"),
    ("application/json", ".map"),
):
    mimetypes.add_type(_type, _suffix)


@dataclass(frozen=True)
class WebApp:
    name: str
    mount: str  # "/" or "/admin": the app answers at this path and below it
    directory: Path


def app_directories(settings: Settings) -> dict[str, Path]:
    """Where each app's build is: `OMS_WEB_DIR`, else in the package, else in the checkout."""
    if settings.web_dir is not None:
        return {name: settings.web_dir / name for name in ("customer", "admin")}
    if _PACKAGED.is_dir():
        return {name: _PACKAGED / name for name in ("customer", "admin")}
    return {name: _CHECKOUT_FRONTEND / name / "dist" for name in ("customer", "admin")}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def content_security_policy(settings: Settings) -> str:
    """The apps load only their own scripts and talk only to OMS (and, signing in through
    OpenID Connect, to the provider: token requests and the login form's redirect)."""
    provider = ""
    if settings.auth_mode == "oidc" and settings.oidc_issuer:
        provider = " " + _origin(settings.oidc_issuer)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            f"connect-src 'self'{provider}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            f"form-action 'self'{provider}",
            "object-src 'none'",
        )
    )


def security_headers(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def _accepts_html(scope: Scope) -> bool:
    for item in Headers(scope=scope).get("accept", "").split(","):
        media_type, _, parameters = item.partition(";")
        if media_type.strip().lower() not in ("text/html", "application/xhtml+xml"):
            continue
        quality = parameters.replace(" ", "").lower().partition("q=")[2]
        try:
            if not quality or float(quality) > 0:
                return True
        except ValueError:
            return True
    return False


class WebAppFiles:
    """One app's files under its mount path, with the history fallback to `index.html`."""

    def __init__(self, web_app: WebApp, headers: Mapping[str, str]) -> None:
        self.web_app = web_app
        self.mount = web_app.mount
        self.headers = dict(headers)
        self.files = StaticFiles(directory=web_app.directory, check_dir=False)

    def relative_path(self, path: str) -> str | None:
        """The request's path inside the app, or None when it is not the app's."""
        if self.mount == "/":
            relative = path.removeprefix("/")
            return None if relative.partition("/")[0] in NOT_APP_SEGMENTS else relative
        if path == self.mount or path.startswith(self.mount + "/"):
            return path[len(self.mount) + 1 :]
        return None

    async def respond(self, scope: Scope, relative: str) -> Response:
        if scope["method"] not in APP_METHODS:
            return problem_response(
                Request(scope), 405, headers={"Allow": ", ".join(sorted(APP_METHODS))}
            )
        if scope["path"] == self.mount and self.mount != "/":
            # Relative, so the answer never echoes the request's Host header.
            query = scope["query_string"].decode("latin-1")
            location = self.mount + "/" + (f"?{query}" if query else "")
            return RedirectResponse(location, status_code=308)
        if not await anyio.Path(self.web_app.directory / "index.html").is_file():
            raise NotFound(
                f"The {self.web_app.name} app is not built here: build it with `make run` or "
                "`npm run build` in frontend/, or point OMS_WEB_DIR at a built copy.",
                slug="app-not-built",
            )
        # Dot segments resolved against the app's root can never climb above it.
        path = posixpath.normpath("/" + relative).lstrip("/") or "index.html"
        try:
            response = await self.files.get_response(path, scope)
        except (HTTPException, OSError):
            response = await self._history_fallback(path, scope)
        is_hashed = path.startswith(HASHED_ASSETS + "/")
        response.headers.update(self.headers)
        response.headers["Cache-Control"] = IMMUTABLE if is_hashed else REVALIDATE
        return response

    async def _history_fallback(self, path: str, scope: Scope) -> Response:
        """`index.html` for a browser navigating to one of the app's pages."""
        first_segment = path.partition("/")[0]
        if first_segment == HASHED_ASSETS or not _accepts_html(scope):
            raise NotFound(f"There is no file {scope['path']!r} here.")
        response = await self.files.get_response("index.html", scope)
        response.headers["Vary"] = "Accept"
        return response


class WebApps:
    """The router's answer when no route matches: routes added at any time come first."""

    def __init__(self, apps: list[WebAppFiles], not_found: ASGIApp) -> None:
        self.apps, self.not_found = apps, not_found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for app in self.apps:
                relative = app.relative_path(scope["path"])
                if relative is not None:
                    response = await app.respond(scope, relative)
                    await response(scope, receive, send)
                    return
        await self.not_found(scope, receive, send)


def install_web_apps(app: FastAPI, settings: Settings) -> None:
    """The admin app first, as its path lies within the customer app's."""
    directories = app_directories(settings)
    headers = security_headers(settings)
    apps = [
        WebAppFiles(WebApp("admin", "/admin", directories["admin"]), headers),
        WebAppFiles(WebApp("customer", "/", directories["customer"]), headers),
    ]
    app.router.default = WebApps(apps, app.router.default)
