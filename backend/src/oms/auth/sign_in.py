"""Built-in sign-in: password login with brute-force protection, and rotating refresh tokens.

Refresh tokens are opaque random strings stored only as their SHA-256. Every sign-in starts a
family; each refresh marks the presented token rotated and hands out a new one in the same
family. Presenting a rotated token again means it was copied: the whole family is revoked.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import repository
from oms.auth.errors import InvalidCredentials, InvalidRefreshToken
from oms.auth.keys import KeyRing
from oms.auth.models import User
from oms.auth.passwords import verify_password
from oms.auth.permissions import known_roles
from oms.auth.tokens import issue_access_token
from oms.core import audit
from oms.core.settings import Settings


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _hash(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def access_token_for(user: User, ring: KeyRing, settings: Settings) -> str:
    return issue_access_token(
        ring,
        user_id=user.id,
        email=user.email,
        name=user.full_name,
        roles=known_roles(user.roles),
        issuer=settings.public_url,
        audience=settings.jwt_audience,
        ttl_seconds=settings.access_token_ttl,
    )


async def _issue_pair(
    session: AsyncSession,
    user: User,
    ring: KeyRing,
    settings: Settings,
    family_id: uuid.UUID | None = None,
) -> TokenPair:
    refresh_token = secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl)
    family = family_id or await repository.add_refresh_family(session, user.id, expires_at)
    await repository.add_refresh_token(session, family, _hash(refresh_token), expires_at)
    return TokenPair(
        access_token=access_token_for(user, ring, settings),
        expires_in=settings.access_token_ttl,
        refresh_token=refresh_token,
    )


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (timing alike either way)."""
    user = await repository.user_by_email(session, normalize_email(email))
    valid = await verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        return None
    return user


async def sign_in(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    client_address: str,
    ring: KeyRing,
    settings: Settings,
) -> TokenPair:
    """A new token pair for a right email and password; `InvalidCredentials` otherwise.

    Failures are counted per account and per client address; past the limits, every
    attempt fails for `login_lockout` seconds, even with the right password.
    """
    account_key = f"account:{normalize_email(email)}"
    address_key = f"address:{client_address}"
    if await repository.any_locked(session, [account_key, address_key]):
        raise InvalidCredentials()
    user = await authenticate(session, email, password)
    if user is None:
        window = timedelta(seconds=settings.login_failure_window)
        lockout = timedelta(seconds=settings.login_lockout)
        await repository.record_login_failure(
            session,
            account_key,
            max_failures=settings.login_max_failures,
            window=window,
            lockout=lockout,
        )
        await repository.record_login_failure(
            session,
            address_key,
            max_failures=settings.login_max_failures_per_address,
            window=window,
            lockout=lockout,
        )
        await repository.purge_stale_login_failures(session, window)
        await _record_lockouts(session, [account_key, address_key])
        raise InvalidCredentials()
    await repository.clear_login_failures(session, account_key)
    await repository.purge_expired_refresh_families(session)
    return await _issue_pair(session, user, ring, settings)


async def _record_lockouts(session: AsyncSession, keys: list[str]) -> None:
    """None of `keys` was locked before this failure: those locked now were locked by it."""
    for key, until in (await repository.locks_of(session, keys)).items():
        kind, _, name = key.partition(":")
        audit.record(
            session,
            action="sign_in.locked_out",
            entity=kind,
            entity_id=name,
            after={"locked_until": until},
        )


async def refresh(
    session: AsyncSession, refresh_token: str, *, ring: KeyRing, settings: Settings
) -> TokenPair:
    found = await repository.refresh_token_for_update(session, _hash(refresh_token))
    if found is None:
        raise InvalidRefreshToken()
    token, family = found
    if family.revoked_at is not None:
        raise InvalidRefreshToken()
    if token.rotated_at is not None:
        await repository.revoke_family(session, family.id, "reuse")
        raise InvalidRefreshToken()
    now = datetime.now(UTC)
    if token.expires_at <= now:
        raise InvalidRefreshToken()
    user = await repository.user_by_id(session, family.user_id)
    if user is None or not user.is_active:
        await repository.revoke_family(session, family.id, "inactive")
        raise InvalidRefreshToken()
    await repository.mark_rotated(session, token.id, now)
    return await _issue_pair(session, user, ring, settings, family.id)


async def sign_out(session: AsyncSession, refresh_token: str) -> None:
    """Revokes the sign-in the token belongs to; an unknown token is quietly ignored."""
    family_id = await repository.family_of_token(session, _hash(refresh_token))
    if family_id is not None:
        await repository.revoke_family(session, family_id, "logout")
