"""Built-in sign-in: password login with brute-force back-off, and rotating refresh tokens.

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
from oms.auth.errors import InvalidCredentials, InvalidRefreshToken, SignInPaused
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
        token_version=user.token_version,
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


def _pause_after(failures: int, allowed: int, settings: Settings) -> timedelta | None:
    """How long sign-in pauses after `failures`: from the `allowed`-th on, the initial pause,
    doubled for every further failure, up to the longest."""
    if failures < allowed:
        return None
    doublings = min(failures - allowed, 30)
    seconds = min(settings.login_backoff_initial * 2**doublings, settings.login_backoff_max)
    return timedelta(seconds=seconds)


def _login_failure_keys(email: str, client_address: str) -> tuple[str, str]:
    """The counter of this account from this address, and of this address for any account.
    An address holds no spaces, so the first one ends it."""
    address_key = f"address:{client_address}"
    return f"{address_key} account:{email}", address_key


async def _count_failure(
    session: AsyncSession, key: str, account: str | None, allowed: int, settings: Settings
) -> None:
    window = timedelta(seconds=settings.login_failure_window)
    failures = await repository.count_login_failure(session, key, account=account, window=window)
    pause = _pause_after(failures, allowed, settings)
    if pause is not None:
        await repository.pause_logins(session, key, pause)
        entity, name = ("account", account) if account else ("address", key.partition(":")[2])
        audit.record(
            session,
            action="sign_in.paused",
            entity=entity,
            entity_id=name,
            after={"failures": failures, "paused_seconds": round(pause.total_seconds())},
        )


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

    Failures are counted per account and client address together, and per client address;
    past either limit, sign-in from that address pauses (`SignInPaused`, no password is
    checked), longer with every further failure. Nobody elsewhere is paused by them.
    """
    account = normalize_email(email)
    account_key, address_key = _login_failure_keys(account, client_address)
    paused_for = await repository.seconds_paused(session, [account_key, address_key])
    if paused_for > 0:
        raise SignInPaused(paused_for)
    user = await authenticate(session, email, password)
    if user is None:
        await _count_failure(session, account_key, account, settings.login_max_failures, settings)
        await _count_failure(
            session, address_key, None, settings.login_max_failures_per_address, settings
        )
        await repository.purge_stale_login_failures(
            session, timedelta(seconds=settings.login_failure_window)
        )
        raise InvalidCredentials()
    await repository.clear_login_failures(session, account_key)
    await repository.purge_expired_refresh_families(session)
    return await _issue_pair(session, user, ring, settings)


async def unlock_sign_in(session: AsyncSession, email: str) -> int:
    """Forgets the account's failed logins from every address; how many counters there were."""
    return await repository.clear_account_login_failures(session, normalize_email(email))


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
