"""Verifying tokens of an external OpenID provider (Keycloak, Entra ID, ...).

The provider's keys are found through its discovery document, cached, and fetched again
when a token names a key id not seen yet (at most every `min_refresh_interval` seconds, so
tokens with made-up key ids cannot make OMS hammer the provider). Each token's subject is
mapped to an OMS user row, created or updated on first sight; a small in-process cache keeps
ordinary requests from writing.
"""

import asyncio
import math
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.auth import repository
from oms.auth.errors import IdentityProviderUnavailable, InvalidToken
from oms.auth.models import User
from oms.auth.permissions import Role, known_roles
from oms.auth.principal import Principal
from oms.auth.user_states import UserStates
from oms.auth.users import save_user

REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
# Keycloak marks access tokens "Bearer" (ID tokens "ID"); Entra ID sets no `typ` claim.
ACCESS_TOKEN_TYPES = (None, "Bearer")
# Keys are also re-read after this long, so a provider's rotation is picked up in time.
MAX_KEY_AGE_SECONDS = 3600.0
MAX_CACHED_USERS = 10_000
# The widths of the users table's columns.
MAX_SUBJECT_LENGTH, MAX_EMAIL_LENGTH, MAX_NAME_LENGTH = 255, 320, 200

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ProviderKey:
    jwk: jwt.PyJWK
    declared_algorithm: str | None


class RemoteKeySet:
    def __init__(self, issuer: str, http: httpx.AsyncClient, min_refresh_interval: float) -> None:
        self._issuer = issuer
        self._http = http
        self._min_refresh_interval = min_refresh_interval
        self._keys: dict[str, ProviderKey] | None = None
        self._attempted_at: float | None = None
        self._attempts = 0
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str) -> ProviderKey | None:
        attempts, attempted_at = self._attempts, self._attempted_at
        age = math.inf if attempted_at is None else time.monotonic() - attempted_at
        wanted = self._keys is None or kid not in self._keys or age > MAX_KEY_AGE_SECONDS
        # Failed and unknown-kid fetches alike are rate-limited; a fetch already under way
        # is waited for (its result may hold the key), never followed by another.
        if wanted and (age >= self._min_refresh_interval or self._lock.locked()):
            await self._refresh(attempts)
        if self._keys is None:
            # The keys are fetched again once `min_refresh_interval` has passed, not sooner.
            raise IdentityProviderUnavailable(
                retry_after=max(1, math.ceil(self._min_refresh_interval))
            )
        return self._keys.get(kid)

    async def _refresh(self, attempts_seen: int) -> None:
        async with self._lock:
            if self._attempts != attempts_seen:
                return  # a fetch ended while this request waited: use its result
            try:
                self._keys = await self._fetch()
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
                log.warning("identity provider keys unavailable", error=str(error))
            finally:
                self._attempted_at = time.monotonic()
                self._attempts += 1

    async def _fetch(self) -> dict[str, ProviderKey]:
        discovery_url = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = await self._http.get(discovery_url)
        response.raise_for_status()
        discovery = response.json()
        if discovery["issuer"] != self._issuer:
            raise ValueError("the discovery document names another issuer")
        response = await self._http.get(discovery["jwks_uri"])
        response.raise_for_status()
        keys: dict[str, ProviderKey] = {}
        for jwk in response.json()["keys"]:
            if not isinstance(jwk, dict) or "kid" not in jwk or jwk.get("use", "sig") != "sig":
                continue
            try:
                key = jwt.PyJWK(jwk)
            except jwt.PyJWTError:
                continue  # a key type or algorithm OMS does not verify with
            declared = jwk.get("alg")
            keys[str(jwk["kid"])] = ProviderKey(key, str(declared) if declared else None)
        return keys


def claim_at(claims: dict[str, Any], path: str) -> object:
    """The value at a dotted path (`realm_access.roles`), or None."""
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


@dataclass(frozen=True)
class ExternalIdentity:
    subject: str
    email: str
    email_verified: bool
    full_name: str
    roles: frozenset[Role]


def identity_from_claims(claims: dict[str, Any], roles_claim: str) -> ExternalIdentity:
    """What OMS keeps of a verified token; `ValueError` for a subject it cannot store."""
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= MAX_SUBJECT_LENGTH:
        raise ValueError("the subject is not a string of a sensible length")
    names = claim_at(claims, roles_claim)
    roles = known_roles([str(name) for name in names] if isinstance(names, list) else [])
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    full_name = claims.get("name") or " ".join(
        str(claims[part]) for part in ("given_name", "family_name") if claims.get(part)
    )
    return ExternalIdentity(
        subject=subject,
        email=email if "@" in email and len(email) <= MAX_EMAIL_LENGTH else "",
        email_verified=claims.get("email_verified") is True,
        full_name=str(full_name)[:MAX_NAME_LENGTH],
        roles=roles,
    )


async def sync_external_user(session: AsyncSession, identity: ExternalIdentity) -> User:
    """The OMS user for an external subject, created or brought up to date.

    An existing local user with the same email is linked only when the provider says the
    email is verified; otherwise the new row gets a placeholder email.
    """
    roles = sorted(role.value for role in identity.roles)
    placeholder = f"{identity.subject}@external.invalid"
    user = await repository.user_by_external_subject(session, identity.subject)
    if user is None and identity.email and identity.email_verified:
        existing = await repository.user_by_email(session, identity.email)
        if existing is not None and existing.external_subject is None:
            existing.external_subject = identity.subject
            user = existing
    if user is None:
        for email in (identity.email or placeholder, placeholder):
            inserted = await repository.insert_external_user(
                session,
                subject=identity.subject,
                email=email,
                full_name=identity.full_name,
                roles=roles,
            )
            user = await repository.user_by_external_subject(session, identity.subject)
            if inserted is not None or user is not None:
                break
        if user is None:
            raise InvalidToken("The account cannot be matched to an OMS user.")
        return user
    email_free = identity.email and (
        (other := await repository.user_by_email(session, identity.email)) is None
        or other.id == user.id
    )
    if email_free:
        user.email = identity.email
    user.full_name = identity.full_name or user.full_name
    user.roles = roles
    return await save_user(session, user)


class ExternalUsers:
    """Maps external identities to OMS user ids; writes only when the identity changed or
    the cached answer is older than `ttl` seconds."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], ttl: float) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._cache: dict[str, tuple[ExternalIdentity, uuid.UUID, float]] = {}

    async def user_id_for(self, identity: ExternalIdentity) -> uuid.UUID:
        cached = self._cache.get(identity.subject)
        if cached and cached[0] == identity and time.monotonic() - cached[2] < self._ttl:
            return cached[1]
        async with self._sessions() as session, session.begin():
            user_id = (await sync_external_user(session, identity)).id
        if len(self._cache) >= MAX_CACHED_USERS:
            self._cache.clear()
        self._cache[identity.subject] = (identity, user_id, time.monotonic())
        return user_id


class OidcTokenVerifier:
    """Verifies an external provider's access tokens (RFC 8725 rules) into a `Principal`.

    The roles are the token's; whether the user is active is OMS's (`UserStates`), so a user
    deactivated in OMS is refused at once whatever the provider says.
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        algorithms: list[str],
        roles_claim: str,
        sessions: async_sessionmaker[AsyncSession],
        states: UserStates,
        min_refresh_interval: float,
        user_cache_ttl: float,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._http = http or httpx.AsyncClient(timeout=5.0)
        self._issuer = issuer
        self._audience = audience
        self._algorithms = algorithms
        self._roles_claim = roles_claim
        self._keys = RemoteKeySet(issuer, self._http, min_refresh_interval)
        self._users = ExternalUsers(sessions, user_cache_ttl)
        self._states = states

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken("The token is malformed.") from error
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in self._algorithms or not isinstance(kid, str):
            raise InvalidToken("The token's algorithm or key id is not accepted.")
        key = await self._keys.key_for(kid)
        if key is None or key.declared_algorithm not in (algorithm, None):
            raise InvalidToken("The token was not signed by a known key.")
        try:
            claims = jwt.decode(
                token,
                key.jwk.key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": REQUIRED_CLAIMS},
            )
            if claims.get("typ") not in ACCESS_TOKEN_TYPES:
                raise jwt.InvalidTokenError("not an access token")
            identity = identity_from_claims(claims, self._roles_claim)
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken("The token is invalid or expired.") from error
        user_id = await self._users.user_id_for(identity)
        if not await self._states.accepts(user_id, None):
            raise InvalidToken("The account is deactivated.")
        return Principal(
            user_id=user_id,
            roles=identity.roles,
            email=identity.email,
            name=identity.full_name,
            token_id=str(claims.get("jti", "")),
        )

    def start(self) -> None:
        self._states.start()

    async def aclose(self) -> None:
        await self._states.stop()
        await self._http.aclose()
