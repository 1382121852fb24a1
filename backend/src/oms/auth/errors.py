"""Errors of the auth module."""

from oms.core.errors import Conflict, Forbidden, NotFound, ProblemError, Unauthorized
from oms.core.rate_limits import TooManyRequests

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class InvalidToken(Unauthorized):
    slug = "invalid-token"

    def __init__(self, detail: str = "A valid bearer token is required.") -> None:
        super().__init__(detail, headers=BEARER_CHALLENGE)


class MissingPermission(Forbidden):
    slug = "missing-permission"

    def __init__(self, permission: str) -> None:
        super().__init__(f"This needs the permission {permission!r}.", permission=permission)


class InvalidCredentials(Unauthorized):
    """The one answer to every failed login, whatever the reason (no user enumeration).

    Keeps the request's writes: the failure counters must be stored although it fails.
    """

    slug = "invalid-credentials"
    keeps_writes = True

    def __init__(self) -> None:
        super().__init__("The email or password is wrong.")


class SignInPaused(TooManyRequests):
    """Too many failed logins from this address (for this account, or for any): no password
    is checked until `Retry-After` seconds have passed. Unknown accounts pause alike."""

    slug = "sign-in-paused"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            retry_after,
            f"Too many failed sign-ins from this address; retry after {retry_after} seconds.",
        )


class InvalidRefreshToken(Unauthorized):
    """Keeps the request's writes: reusing a rotated token revokes its family for good."""

    slug = "invalid-refresh-token"
    keeps_writes = True

    def __init__(self) -> None:
        super().__init__("The refresh token is invalid, expired or revoked.")


class SessionEnded(InvalidRefreshToken):
    """The browser's refresh cookie is missing, invalid, expired or revoked: the answer
    clears the session's cookies."""

    def __init__(self, cleared_cookies: list[str]) -> None:
        super().__init__()
        self.set_cookies = tuple(cleared_cookies)


class CsrfFailed(Forbidden):
    slug = "csrf-failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)


class RegistrationDisabled(Forbidden):
    slug = "registration-disabled"

    def __init__(self) -> None:
        super().__init__("Self-registration is switched off on this installation.")


class EmailTaken(Conflict):
    slug = "email-taken"

    def __init__(self) -> None:
        super().__init__("A user with this email already exists.")


class UserNotFound(NotFound):
    slug = "user-not-found"

    def __init__(self) -> None:
        super().__init__("There is no such user.")


class LastActiveAdmin(Conflict):
    slug = "last-active-admin"

    def __init__(self) -> None:
        super().__init__("This change would leave OMS without an active admin.")


class WrongCurrentPassword(ProblemError):
    status, slug, title = 400, "wrong-current-password", "Bad Request"

    def __init__(self) -> None:
        super().__init__("The current password is wrong.")


class ManagedByIdentityProvider(Conflict):
    slug = "managed-by-identity-provider"

    def __init__(self) -> None:
        super().__init__("This account's password is managed by the identity provider.")


class BuiltInIdentityOff(NotFound):
    """OMS's own sign-in endpoints do not exist while an external provider issues tokens."""

    slug = "not-found"

    def __init__(self) -> None:
        super().__init__("Not available: this installation signs users in through OpenID Connect.")


class IdentityProviderUnavailable(ProblemError):
    status, slug, title = 503, "identity-provider-unavailable", "Service Unavailable"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "The identity provider's keys cannot be fetched right now.",
            headers={"Retry-After": str(retry_after)},
        )


class InvalidResetToken(ProblemError):
    status, slug, title = 400, "invalid-reset-token", "Bad Request"

    def __init__(self) -> None:
        super().__init__("The password-reset link is unknown, used or expired; ask for a new one.")
