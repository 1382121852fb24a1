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
