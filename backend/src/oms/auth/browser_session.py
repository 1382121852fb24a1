"""The browser's sign-in: the refresh token in an HttpOnly cookie, guarded against
cross-site request forgery.

`oms_refresh` holds the refresh token: HttpOnly (no script reads it), SameSite=Strict and
sent only to `/api/v1/auth/session…`. `oms_csrf` is a random value the app reads and echoes
in `X-CSRF-Token` (double submit); a request from another site can neither read it nor set
the header. Requests whose `Origin` is not OMS's own, or that the browser marks
`Sec-Fetch-Site: cross-site`, are refused before either cookie is looked at.
"""

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request, Response
from starlette.datastructures import MutableHeaders

from oms.auth.errors import CsrfFailed
from oms.core.settings import Settings

REFRESH_COOKIE = "oms_refresh"
CSRF_COOKIE = "oms_csrf"
CSRF_HEADER = "X-CSRF-Token"
SESSION_PATH = "/api/v1/auth/session"


def _secure(settings: Settings) -> bool:
    return settings.public_url.lower().startswith("https://")


def set_session_cookies(response: Response, refresh_token: str, settings: Settings) -> None:
    """Both cookies, living as long as the refresh token; a fresh CSRF value each time."""
    secure, max_age = _secure(settings), settings.refresh_token_ttl
    response.set_cookie(
        REFRESH_COOKIE,
        refresh_token,
        max_age=max_age,
        path=SESSION_PATH,
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(32),
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=False,
        samesite="strict",
    )


def clear_session_cookies(headers: MutableHeaders | Response, settings: Settings) -> None:
    """Expires both cookies (Max-Age=0) on `headers`, or on a response's."""
    scratch = Response()
    secure = _secure(settings)
    for name, path, httponly in ((REFRESH_COOKIE, SESSION_PATH, True), (CSRF_COOKIE, "/", False)):
        scratch.set_cookie(
            name, "", max_age=0, path=path, secure=secure, httponly=httponly, samesite="strict"
        )
    target = headers.headers if isinstance(headers, Response) else headers
    for key, value in scratch.raw_headers:
        if key == b"set-cookie":
            target.append("set-cookie", value.decode("latin-1"))


def cleared_cookie_headers(settings: Settings) -> list[str]:
    """The `Set-Cookie` values that expire both cookies, for an error answer."""
    headers = MutableHeaders()
    clear_session_cookies(headers, settings)
    return headers.getlist("set-cookie")


def _own_origins(request: Request, settings: Settings) -> set[str]:
    """OMS's public origin, and the host the request was sent to (the development server
    proxies the API under its own host)."""
    public = urlsplit(settings.public_url)
    origins = {f"{public.scheme}://{public.netloc}".lower()}
    host = request.headers.get("host")
    if host:
        origins.update({f"http://{host}".lower(), f"https://{host}".lower()})
    return origins


def refuse_cross_site(request: Request, settings: Settings) -> None:
    """403 `csrf-failed` for a request another site made the browser send."""
    if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        raise CsrfFailed("The request came from another site.")
    origin = request.headers.get("origin")
    if origin is not None and origin.lower().rstrip("/") not in _own_origins(request, settings):
        raise CsrfFailed("The request's Origin is not this site.")


def check_csrf_token(request: Request) -> None:
    """403 `csrf-failed` unless `X-CSRF-Token` equals the `oms_csrf` cookie."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise CsrfFailed(f"The {CSRF_HEADER} header must repeat the {CSRF_COOKIE} cookie.")


def refresh_cookie(request: Request) -> str | None:
    return request.cookies.get(REFRESH_COOKIE) or None
