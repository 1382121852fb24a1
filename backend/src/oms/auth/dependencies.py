"""FastAPI dependencies every router uses to know the caller and check a permission."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from oms.auth.errors import InvalidToken, MissingPermission
from oms.auth.permissions import Permission
from oms.auth.principal import Principal
from oms.auth.tokens import TokenVerifier
from oms.core import audit
from oms.core.idempotency import IdempotentRequest, idempotency
from oms.core.openapi import may_raise
from oms.core.rate_limits import Quota, RateLimiter, client_address
from oms.core.settings import Settings

bearer_token = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@may_raise(
    {
        401: "No valid bearer token.",
        503: "The identity provider's keys cannot be fetched (OpenID Connect mode).",
    }
)
async def current_principal(
    request: Request, token: Annotated[str | None, Depends(bearer_token)]
) -> Principal:
    if not token:
        raise InvalidToken()
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(token)
    audit.identify(principal.user_id, principal.email, principal.roles)
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


async def _caller_id(user: CurrentUser) -> uuid.UUID:
    return user.user_id


# `Idempotency-Key` support for POSTs that create things; keys are kept per user.
Idempotent = Annotated[IdempotentRequest, Depends(idempotency(_caller_id))]


def Requires(permission: Permission) -> Any:
    """`user: Annotated[Principal, Requires(Permission.X)]`: 401 without a valid token,
    403 with a valid token that lacks the permission."""

    @may_raise({403: f"The token lacks the permission `{permission}`."})
    async def check(principal: CurrentUser) -> Principal:
        if not principal.can(permission):
            raise MissingPermission(permission)
        return principal

    checker: Callable[[Principal], Awaitable[Principal]] = check
    return Depends(checker)


# What a route needs of its caller, one name per permission, so that a name means the same
# everywhere: `_: ConfigWriter` is a caller who may change the configuration, in any router.
CatalogueReader = Annotated[Principal, Requires(Permission.CATALOGUE_READ)]
CatalogueWriter = Annotated[Principal, Requires(Permission.CATALOGUE_WRITE)]
OrderCreator = Annotated[Principal, Requires(Permission.ORDERS_CREATE)]
OrderReader = Annotated[Principal, Requires(Permission.ORDERS_READ_OWN)]
"""Reads their own orders (staff may read all: the service checks `orders:read-all`)."""
AllOrdersReader = Annotated[Principal, Requires(Permission.ORDERS_READ_ALL)]
OrderTransitioner = Annotated[Principal, Requires(Permission.ORDERS_TRANSITION)]
BulkTransitioner = Annotated[Principal, Requires(Permission.ORDERS_BULK_TRANSITION)]
NoteKeeper = Annotated[Principal, Requires(Permission.ORDER_NOTES)]
CustomerReader = Annotated[Principal, Requires(Permission.CUSTOMERS_READ)]
ConfigReader = Annotated[Principal, Requires(Permission.CONFIG_READ)]
ConfigWriter = Annotated[Principal, Requires(Permission.CONFIG_WRITE)]
UserManager = Annotated[Principal, Requires(Permission.USERS_MANAGE)]
AuditReader = Annotated[Principal, Requires(Permission.AUDIT_READ)]
ProfileOwner = Annotated[Principal, Requires(Permission.PROFILE)]
"""A signed-in user acting on their own profile and saved addresses."""


# --- request rate limits (counted per API process: `oms.core.rate_limits`) ------------------


def _count_request(request: Request, *quotas: Quota) -> None:
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit(*quotas)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@may_raise({429: "Too many password checks from this client address; see `Retry-After`."})
async def limit_password_checks(request: Request) -> None:
    """For routes that check a password for anyone: counted per client address."""
    limits = _settings(request).rate_limit_password_checks_per_address
    _count_request(request, Quota(limits, "password-checks", client_address(request)))


def limit_password_change(request: Request, user: Principal) -> None:
    """A signed-in user's password change: counted per user and per client address."""
    settings = _settings(request)
    _count_request(
        request,
        Quota(settings.rate_limit_password_checks_per_user, "password-changes", str(user.user_id)),
        Quota(
            settings.rate_limit_password_checks_per_address,
            "password-checks",
            client_address(request),
        ),
    )


def limit_password_resets(request: Request, email: str) -> None:
    """A password-reset request: counted per client address (with the password checks) and
    per email address, so nobody can flood a mailbox with reset links."""
    settings = _settings(request)
    _count_request(
        request,
        Quota(settings.rate_limit_password_resets_per_email, "password-resets", email),
        Quota(
            settings.rate_limit_password_checks_per_address,
            "password-checks",
            client_address(request),
        ),
    )


def RateLimited(
    scope: str, *, per_user: Callable[[Settings], str], per_address: Callable[[Settings], str]
) -> Any:
    """`dependencies=[RateLimited("orders", per_user=..., per_address=...)]`: 429 with
    `Retry-After` once the caller, or their client address, has spent the limit."""

    @may_raise({429: "Too many requests from this user or client address; see `Retry-After`."})
    async def limit(request: Request, user: CurrentUser) -> None:
        settings = _settings(request)
        _count_request(
            request,
            Quota(per_user(settings), f"{scope}:user", str(user.user_id)),
            Quota(per_address(settings), f"{scope}:address", client_address(request)),
        )

    checker: Callable[[Request, Principal], Awaitable[None]] = limit
    return Depends(checker)
