"""All SQL of the auth module."""

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth.models import SigningKey, User

# Any constant shared by all OMS processes; serialises creation of the first signing key.
_SIGNING_KEY_LOCK = 7_301_001


async def lock_signing_keys(session: AsyncSession) -> None:
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SIGNING_KEY_LOCK})


async def active_signing_keys(session: AsyncSession) -> Sequence[SigningKey]:
    rows = await session.scalars(
        select(SigningKey)
        .where(SigningKey.active.is_(True))
        .order_by(SigningKey.created_at.desc(), SigningKey.kid)
    )
    return rows.all()


async def add_signing_key(session: AsyncSession, kid: str, private_key_pem: str) -> None:
    session.add(SigningKey(kid=kid, private_key_pem=private_key_pem))
    await session.flush()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.scalars(select(User).where(func.lower(User.email) == email.lower()))
    return result.first()


async def add_user(session: AsyncSession, user: User) -> User:
    session.add(user)
    await session.flush()
    await session.refresh(user)
    return user
