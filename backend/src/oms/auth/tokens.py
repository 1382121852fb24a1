"""Access tokens: issuing OMS's own, and verifying any bearer token into a `Principal`."""

import time
import uuid
from typing import Any, Protocol

import jwt

from oms.auth.errors import InvalidToken
from oms.auth.keys import KeyRing, KeyStore
from oms.auth.permissions import Role, known_roles
from oms.auth.principal import Principal
from oms.auth.user_states import UserStates

# The user's `token_version` when the token was issued; a token whose version is behind the
# user's current one is revoked.
TOKEN_VERSION_CLAIM = "token_version"  # noqa: S105 - a claim name, not a secret
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti", TOKEN_VERSION_CLAIM]


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Principal: ...

    def start(self) -> None: ...

    async def aclose(self) -> None: ...


def issue_access_token(
    ring: KeyRing,
    *,
    user_id: uuid.UUID,
    email: str,
    name: str = "",
    roles: frozenset[Role] | list[str],
    token_version: int,
    issuer: str,
    audience: str,
    ttl_seconds: int,
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": str(user_id),
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
        "email": email,
        "name": name,
        "roles": sorted(str(role) for role in roles),
        TOKEN_VERSION_CLAIM: token_version,
    }
    return jwt.encode(
        claims, ring.signing_key, algorithm="RS256", headers={"kid": ring.signing_kid}
    )


class LocalTokenVerifier:
    """Verifies tokens OMS issued itself, against its own key ring (RFC 8725 rules), and
    refuses those revoked since (the user deactivated, their roles or password changed)."""

    def __init__(
        self,
        keys: KeyStore,
        states: UserStates,
        *,
        issuer: str,
        audience: str,
        algorithms: list[str],
    ):
        self._keys = keys
        self._states = states
        self._issuer = issuer
        self._audience = audience
        self._algorithms = algorithms

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken("The token is malformed.") from error
        kid = str(header.get("kid"))
        key = (await self._keys.ring_knowing(kid)).public_keys.get(kid)
        if key is None:
            raise InvalidToken("The token was not signed by a known key.")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": REQUIRED_CLAIMS},
            )
            user_id = uuid.UUID(str(claims["sub"]))
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken("The token is invalid or expired.") from error
        version = claims.get(TOKEN_VERSION_CLAIM)
        if type(version) is not int or not await self._states.accepts(user_id, version):
            raise InvalidToken("The token has been revoked.")
        roles = claims.get("roles")
        return Principal(
            user_id=user_id,
            roles=known_roles(roles if isinstance(roles, list) else []),
            email=str(claims.get("email", "")),
            name=str(claims.get("name", "")),
            token_id=str(claims["jti"]),
        )

    def start(self) -> None:
        self._states.start()

    async def aclose(self) -> None:
        """Stops listening; the key store shares the app's database pool."""
        await self._states.stop()
