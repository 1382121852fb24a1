"""Access tokens: issuing OMS's own, and verifying any bearer token into a `Principal`."""

import time
import uuid
from typing import Any, Protocol

import jwt

from oms.auth.errors import InvalidToken
from oms.auth.keys import KeyRing, KeyStore
from oms.auth.permissions import Role, known_roles
from oms.auth.principal import Principal

REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti"]


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Principal: ...

    async def aclose(self) -> None: ...


def issue_access_token(
    ring: KeyRing,
    *,
    user_id: uuid.UUID,
    email: str,
    name: str = "",
    roles: frozenset[Role] | list[str],
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
    }
    return jwt.encode(
        claims, ring.signing_key, algorithm="RS256", headers={"kid": ring.signing_kid}
    )


class LocalTokenVerifier:
    """Verifies tokens OMS issued itself, against its own key ring (RFC 8725 rules)."""

    def __init__(self, keys: KeyStore, *, issuer: str, audience: str, algorithms: list[str]):
        self._keys = keys
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
        roles = claims.get("roles")
        return Principal(
            user_id=user_id,
            roles=known_roles(roles if isinstance(roles, list) else []),
            email=str(claims.get("email", "")),
            name=str(claims.get("name", "")),
            token_id=str(claims["jti"]),
        )

    async def aclose(self) -> None:
        """Nothing to release: the key store shares the app's database pool."""
