"""Errors of the auth module."""

from oms.core.errors import Forbidden, Unauthorized

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class InvalidToken(Unauthorized):
    slug = "invalid-token"

    def __init__(self, detail: str = "A valid bearer token is required.") -> None:
        super().__init__(detail, headers=BEARER_CHALLENGE)


class MissingPermission(Forbidden):
    slug = "missing-permission"

    def __init__(self, permission: str) -> None:
        super().__init__(f"This needs the permission {permission!r}.", permission=permission)
