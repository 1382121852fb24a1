"""The auth module's public interface: users, tokens and the verifier the API trusts."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import repository
from oms.auth.keys import KeyRing, KeyStore
from oms.auth.models import User
from oms.auth.passwords import hash_password, verify_password
from oms.auth.permissions import Role, known_roles
from oms.auth.principal import Principal
from oms.auth.tokens import LocalTokenVerifier, TokenVerifier, issue_access_token
from oms.core.errors import Conflict
from oms.core.settings import Settings

__all__ = [
    "KeyRing",
    "KeyStore",
    "Principal",
    "Role",
    "TokenVerifier",
    "access_token_for",
    "authenticate",
    "create_user",
    "get_user",
    "token_verifier",
]


def token_verifier(settings: Settings, keys: KeyStore) -> TokenVerifier:
    return LocalTokenVerifier(
        keys,
        issuer=settings.public_url,
        audience=settings.jwt_audience,
        algorithms=list(settings.jwt_algorithms),
    )


def access_token_for(user: User, ring: KeyRing, settings: Settings) -> str:
    return issue_access_token(
        ring,
        user_id=user.id,
        email=user.email,
        roles=known_roles(user.roles),
        issuer=settings.public_url,
        audience=settings.jwt_audience,
        ttl_seconds=settings.access_token_ttl,
    )


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    roles: frozenset[Role] = frozenset({Role.CUSTOMER}),
) -> User:
    if await repository.user_by_email(session, email) is not None:
        raise Conflict("A user with this email already exists.", slug="email-taken")
    user = User(
        email=email,
        full_name=full_name,
        roles=sorted(role.value for role in roles),
        password_hash=hash_password(password) if password is not None else None,
    )
    return await repository.add_user(session, user)


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (timing alike either way)."""
    user = await repository.user_by_email(session, email)
    valid = verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        return None
    return user


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await repository.user_by_id(session, user_id)
