"""OMS's own identity provider: sign-in, refresh, sign-out, registration and its JWKS.

All of it answers 404 when OMS trusts an external OpenID provider (`OMS_AUTH_MODE=oidc`).
"""

from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from oms.auth import browser_session as cookies
from oms.auth import service as auth
from oms.auth.dependencies import limit_password_checks, limit_password_resets
from oms.auth.schemas import (
    EXAMPLE_EMAIL,
    EXAMPLE_PASSWORD,
    ClientConfig,
    Credentials,
    PasswordResetAccepted,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    Registration,
    SessionTokenRead,
    TokenRead,
    UserRead,
)
from oms.core.db import Session
from oms.core.openapi import may_raise, problems
from oms.core.outage import DATABASE_UNAVAILABLE
from oms.core.rate_limits import client_address
from oms.core.settings import Settings

FORM = "application/x-www-form-urlencoded"
# As long as `RefreshRequest` allows: a longer cookie is no refresh token of OMS's.
MAX_REFRESH_TOKEN_LENGTH = 200
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@may_raise({404: "OMS signs users in through an OpenID provider here: its own sign-in is off."})
def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    auth.ensure_built_in_identity(settings)
    return settings


@may_raise({503: DATABASE_UNAVAILABLE})  # the signing keys are kept in the database
def _keys(request: Request) -> auth.KeyStore:
    keys: auth.KeyStore = request.app.state.keys
    return keys


BuiltInSettings = Annotated[Settings, Depends(_settings)]
Keys = Annotated[auth.KeyStore, Depends(_keys)]

router = APIRouter(prefix="/auth", tags=["auth"])
well_known_router = APIRouter(tags=["auth"])


def _invalid(error: ValidationError) -> RequestValidationError:
    return RequestValidationError(
        [{**item, "loc": ("body", *item["loc"])} for item in error.errors(include_url=False)]
    )


async def _credentials(request: Request) -> Credentials:
    """A JSON `{email, password}` body, or the OAuth2 password grant's form (what the API
    docs' Authorize button sends)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        if content_type == FORM:
            form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
            if form.get("grant_type", "password") != "password":
                raise RequestValidationError(
                    [
                        {
                            "loc": ("body", "grant_type"),
                            "msg": "only the password grant is supported here",
                            "type": "value_error",
                        }
                    ]
                )
            return Credentials.model_validate(
                {"email": form.get("username", ""), "password": form.get("password", "")}
            )
        return Credentials.model_validate_json(body)
    except ValidationError as error:
        raise _invalid(error) from error
    except UnicodeDecodeError as error:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "not UTF-8", "type": "value_error"}]
        ) from error


_TOKEN_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": Credentials.model_json_schema()},
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["password"]},
                        "username": {"type": "string", "description": "The email."},
                        "password": {"type": "string", "format": "password"},
                    },
                    "examples": [
                        {
                            "grant_type": "password",
                            "username": EXAMPLE_EMAIL,
                            "password": EXAMPLE_PASSWORD,
                        }
                    ],
                }
            },
        },
    }
}


@router.post(
    "/token",
    openapi_extra=_TOKEN_REQUEST_BODY,
    dependencies=[Depends(limit_password_checks)],
    responses=problems(
        {
            401: "Wrong email or password.",
            429: "Sign-in from this address is paused after failed attempts, or too many"
            " attempts; see `Retry-After`.",
        }
    ),
)
async def sign_in(
    request: Request, response: Response, session: Session, settings: BuiltInSettings, keys: Keys
) -> TokenRead:
    """Sign in with email and password: an access token and a refresh token."""
    credentials = await _credentials(request)
    pair = await auth.sign_in(
        session,
        email=credentials.email,
        password=credentials.password,
        client_address=client_address(request),
        ring=await keys.ring(),
        settings=settings,
    )
    response.headers.update(NO_STORE)
    return TokenRead(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post(
    "/refresh", responses=problems({401: "The refresh token is invalid, expired or revoked."})
)
async def refresh_tokens(
    body: RefreshRequest,
    response: Response,
    session: Session,
    settings: BuiltInSettings,
    keys: Keys,
) -> TokenRead:
    """Trade a refresh token for new tokens; the presented one cannot be used again."""
    pair = await auth.refresh(
        session, body.refresh_token, ring=await keys.ring(), settings=settings
    )
    response.headers.update(NO_STORE)
    return TokenRead(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post("/logout", status_code=204)
async def sign_out(body: RefreshRequest, session: Session, settings: BuiltInSettings) -> None:
    """End the sign-in the refresh token belongs to (its access tokens expire on their own)."""
    await auth.sign_out(session, body.refresh_token)


@router.post(
    "/register",
    status_code=201,
    responses=problems(
        {403: "Self-registration is switched off.", 409: "A user with this email exists."}
    ),
)
async def register_customer(
    body: Registration,
    session: Session,
    settings: BuiltInSettings,
    request: Request,
    response: Response,
) -> UserRead:
    """Sign up as a customer (when the installation allows it)."""
    user = await auth.register_customer(
        session, settings, email=body.email, password=body.password, full_name=body.full_name
    )
    response.headers["Location"] = str(request.url_for("get_user", user_id=user.id))
    return UserRead.model_validate(user)


@router.get("/client-config")
async def get_client_config(
    request: Request,
    response: Response,
    app: Annotated[
        Literal["customer", "admin"], Query(description="The app asking: whose client id.")
    ] = "customer",
) -> ClientConfig:
    """How a browser app signs users in here (both modes): OMS's own forms, or the OpenID
    provider's pages with the app's public client."""
    response.headers["Cache-Control"] = "no-cache"
    return auth.client_config(request.app.state.settings, app)


# --- the browser's session: the refresh token in an HttpOnly cookie (docs/api.md) ---------

CROSS_SITE = "The request came from another site (`Origin`, `Sec-Fetch-Site`)."
CSRF = "`X-CSRF-Token` does not repeat the `oms_csrf` cookie, or the request is cross-site."
SESSION_ENDED = "No valid refresh cookie (missing, expired, revoked): the cookies are cleared."


def _session_answer(
    response: Response, pair: auth.TokenPair, settings: Settings
) -> SessionTokenRead:
    cookies.set_session_cookies(response, pair.refresh_token, settings)
    response.headers.update(NO_STORE)
    return SessionTokenRead(access_token=pair.access_token, expires_in=pair.expires_in)


@router.post(
    "/session",
    dependencies=[Depends(limit_password_checks)],
    responses=problems(
        {
            401: "Wrong email or password.",
            403: CROSS_SITE,
            429: "Sign-in from this address is paused after failed attempts, or too many"
            " attempts; see `Retry-After`.",
        }
    ),
)
async def create_browser_session(
    body: Credentials,
    request: Request,
    response: Response,
    session: Session,
    settings: BuiltInSettings,
    keys: Keys,
) -> SessionTokenRead:
    """Sign in from a browser: the access token in the answer, the refresh token in the
    HttpOnly `oms_refresh` cookie, and the `oms_csrf` cookie to echo in `X-CSRF-Token`."""
    cookies.refuse_cross_site(request, settings)
    pair = await auth.sign_in(
        session,
        email=body.email,
        password=body.password,
        client_address=client_address(request),
        ring=await keys.ring(),
        settings=settings,
    )
    return _session_answer(response, pair, settings)


@router.post("/session/refresh", responses=problems({401: SESSION_ENDED, 403: CSRF}))
async def refresh_browser_session(
    request: Request, response: Response, session: Session, settings: BuiltInSettings, keys: Keys
) -> SessionTokenRead:
    """A new access token for the browser's session; both cookies are replaced, and the
    refresh token presented cannot be used again."""
    cookies.refuse_cross_site(request, settings)
    cookies.check_csrf_token(request)
    refresh_token = cookies.refresh_cookie(request)
    if refresh_token is None or len(refresh_token) > MAX_REFRESH_TOKEN_LENGTH:
        raise auth.SessionEnded(cookies.cleared_cookie_headers(settings))
    try:
        pair = await auth.refresh(session, refresh_token, ring=await keys.ring(), settings=settings)
    except auth.InvalidRefreshToken as error:
        raise auth.SessionEnded(cookies.cleared_cookie_headers(settings)) from error
    return _session_answer(response, pair, settings)


@router.delete("/session", status_code=204, responses=problems({403: CSRF}))
async def end_browser_session(
    request: Request, response: Response, session: Session, settings: BuiltInSettings
) -> None:
    """Sign out in the browser: the refresh token is revoked and both cookies cleared
    (without a refresh cookie there is nothing to revoke, and the answer is 204 alike)."""
    cookies.refuse_cross_site(request, settings)
    refresh_token = cookies.refresh_cookie(request)
    if refresh_token is not None:
        cookies.check_csrf_token(request)
        if len(refresh_token) <= MAX_REFRESH_TOKEN_LENGTH:
            await auth.sign_out(session, refresh_token)
    cookies.clear_session_cookies(response, settings)


# --- forgotten passwords ------------------------------------------------------------------


@router.post(
    "/password-reset",
    status_code=202,
    responses=problems(
        {429: "Too many reset requests for this email or from this address; see `Retry-After`."}
    ),
)
async def request_password_reset(
    body: PasswordResetRequest, request: Request, session: Session, settings: BuiltInSettings
) -> PasswordResetAccepted:
    """Mail a link to set a new password. The answer is the same whether or not the address
    belongs to an active account."""
    email = auth.normalize_email(body.email)
    limit_password_resets(request, email)
    await auth.request_password_reset(session, email, settings)
    return PasswordResetAccepted()


@router.post(
    "/password-reset/confirm",
    status_code=204,
    responses=problems(
        {400: "The reset token is unknown, used or expired (`invalid-reset-token`)."}
    ),
)
async def confirm_password_reset(
    body: PasswordResetConfirm, session: Session, settings: BuiltInSettings
) -> None:
    """Set a new password with a reset link's token; every sign-in of the account ends."""
    await auth.confirm_password_reset(session, body.token, body.password)


@well_known_router.get("/.well-known/jwks.json")
async def get_jwks(response: Response, settings: BuiltInSettings, keys: Keys) -> dict[str, Any]:
    """The public keys that verify OMS's access tokens."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return (await keys.ring()).jwks()
