"""All SQL of the auth module."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Integer,
    Interval,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth.models import (
    PasswordResetToken,
    RefreshToken,
    RefreshTokenFamily,
    SigningKey,
    User,
)
from oms.core.locks import Lock, xact_lock
from oms.core.pagination import keyset_after


async def lock_signing_keys(session: AsyncSession) -> None:
    await xact_lock(session, Lock.SIGNING_KEYS)


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


# --- users -----------------------------------------------------------------------------


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def user_token_state(session: AsyncSession, user_id: uuid.UUID) -> tuple[int, bool] | None:
    """The user's token version and active flag, without loading the whole row."""
    row = (
        await session.execute(select(User.token_version, User.is_active).where(User.id == user_id))
    ).first()
    return None if row is None else (row[0], row[1])


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.scalars(select(User).where(func.lower(User.email) == email.lower()))
    return result.first()


async def user_by_external_subject(session: AsyncSession, subject: str) -> User | None:
    result = await session.scalars(select(User).where(User.external_subject == subject))
    return result.first()


async def add_user(session: AsyncSession, user: User) -> User:
    session.add(user)
    await session.flush()
    await session.refresh(user)
    return user


async def save_user(session: AsyncSession, user: User) -> User:
    await session.flush()
    await session.refresh(user)
    return user


@dataclass(frozen=True)
class UserFilter:
    role: str | None = None
    active: bool | None = None
    search: str | None = None


def _conditions(where: UserFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.role is not None:
        conditions.append(User.roles.contains([where.role]))
    if where.active is not None:
        conditions.append(User.is_active.is_(where.active))
    if where.search:
        escaped = where.search.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        pattern = f"%{escaped}%"
        conditions.append(
            or_(User.email.ilike(pattern, escape="\\"), User.full_name.ilike(pattern, escape="\\"))
        )
    return conditions


async def list_users(
    session: AsyncSession,
    where: UserFilter,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[User]:
    """Oldest first on (created_at, id), the `ix_users_created_at_id` index; `after` is the
    key of the last row of the previous page."""
    query = select(User).where(*_conditions(where))
    if after is not None:
        query = query.where(keyset_after((User.created_at, User.id), after))
    rows = await session.scalars(query.order_by(User.created_at, User.id).limit(limit))
    return rows.all()


async def lock_admin_set(session: AsyncSession) -> None:
    """Serialises changes that could remove an active admin, so two cannot race past the
    "at least one active admin" check."""
    await xact_lock(session, Lock.ADMIN_SET)


async def first_active_admin(session: AsyncSession) -> User | None:
    rows = await session.scalars(
        select(User)
        .where(User.is_active.is_(True), User.roles.contains(["admin"]))
        .order_by(User.created_at, User.id)
        .limit(1)
    )
    return rows.first()


async def count_active_admins(session: AsyncSession, *, excluding: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.is_active.is_(True), User.roles.contains(["admin"]), User.id != excluding)
    )
    return int(count or 0)


# --- refresh tokens ----------------------------------------------------------------------


async def add_refresh_family(
    session: AsyncSession, user_id: uuid.UUID, expires_at: datetime
) -> uuid.UUID:
    family = RefreshTokenFamily(user_id=user_id, expires_at=expires_at)
    session.add(family)
    await session.flush()
    return family.id


async def add_refresh_token(
    session: AsyncSession, family_id: uuid.UUID, token_hash: str, expires_at: datetime
) -> None:
    session.add(RefreshToken(family_id=family_id, token_hash=token_hash, expires_at=expires_at))
    await session.execute(
        update(RefreshTokenFamily)
        .where(RefreshTokenFamily.id == family_id)
        .values(expires_at=expires_at)
    )
    await session.flush()


PURGE_BATCH = 100


async def purge_expired_refresh_families(session: AsyncSession) -> None:
    """Drops a batch of families whose every token has expired (with their tokens)."""
    expired = (
        select(RefreshTokenFamily.id)
        .where(RefreshTokenFamily.expires_at < func.now())
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    await session.execute(delete(RefreshTokenFamily).where(RefreshTokenFamily.id.in_(expired)))


async def refresh_token_for_update(
    session: AsyncSession, token_hash: str
) -> tuple[RefreshToken, RefreshTokenFamily] | None:
    """The token and its family, both locked: concurrent uses of one token queue here, and
    the second sees the first's rotation."""
    result = await session.execute(
        select(RefreshToken, RefreshTokenFamily)
        .join(RefreshTokenFamily, RefreshTokenFamily.id == RefreshToken.family_id)
        .where(RefreshToken.token_hash == token_hash)
        .with_for_update()
    )
    row = result.first()
    return None if row is None else (row[0], row[1])


async def family_of_token(session: AsyncSession, token_hash: str) -> uuid.UUID | None:
    return await session.scalar(
        select(RefreshToken.family_id).where(RefreshToken.token_hash == token_hash)
    )


async def mark_rotated(session: AsyncSession, token_id: uuid.UUID, at: datetime) -> None:
    await session.execute(
        update(RefreshToken).where(RefreshToken.id == token_id).values(rotated_at=at)
    )


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, reason: str) -> None:
    await session.execute(
        update(RefreshTokenFamily)
        .where(RefreshTokenFamily.id == family_id, RefreshTokenFamily.revoked_at.is_(None))
        .values(revoked_at=func.now(), revoked_reason=reason)
    )


async def revoke_families_of_user(session: AsyncSession, user_id: uuid.UUID, reason: str) -> None:
    await session.execute(
        update(RefreshTokenFamily)
        .where(RefreshTokenFamily.user_id == user_id, RefreshTokenFamily.revoked_at.is_(None))
        .values(revoked_at=func.now(), revoked_reason=reason)
    )


# --- failed logins -----------------------------------------------------------------------


async def seconds_paused(session: AsyncSession, keys: Sequence[str]) -> int:
    """Whole seconds until none of `keys` is paused any more (0: none is)."""
    seconds = await session.scalar(
        text(
            "SELECT ceil(extract(epoch FROM max(locked_until) - now())) FROM login_failures"
            " WHERE key = ANY(:keys) AND locked_until > now()"
        ),
        {"keys": list(keys)},
    )
    return int(seconds or 0)


_COUNT_FAILURE = text(
    """
    INSERT INTO login_failures AS f (key, account, failures, window_started_at)
    VALUES (:key, :account, 1, now())
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN f.window_started_at < now() - :window THEN 1
                        ELSE f.failures + 1 END,
        window_started_at = CASE WHEN f.window_started_at < now() - :window THEN now()
                                 ELSE f.window_started_at END
    RETURNING failures
    """
).bindparams(bindparam("window", type_=Interval()))


async def count_login_failure(
    session: AsyncSession, key: str, *, account: str | None, window: timedelta
) -> int:
    """One more failure for `key`, atomically (replicas may count the same key at once): the
    failures within the window, this one included. The row stays locked until commit."""
    failures = await session.scalar(
        _COUNT_FAILURE, {"key": key, "account": account, "window": window}
    )
    return int(failures or 0)


async def pause_logins(session: AsyncSession, key: str, pause: timedelta) -> None:
    await session.execute(
        text("UPDATE login_failures SET locked_until = now() + :pause WHERE key = :key").bindparams(
            bindparam("pause", type_=Interval())
        ),
        {"key": key, "pause": pause},
    )


async def purge_stale_login_failures(session: AsyncSession, window: timedelta) -> None:
    """Drops a batch of counters that no longer count nor pause (made-up emails pile up)."""
    await session.execute(
        text(
            """
            DELETE FROM login_failures WHERE key IN (
                SELECT key FROM login_failures
                WHERE window_started_at < now() - :window
                  AND (locked_until IS NULL OR locked_until < now())
                LIMIT :batch FOR UPDATE SKIP LOCKED)
            """
        ).bindparams(bindparam("window", type_=Interval()), bindparam("batch", type_=Integer())),
        {"window": window, "batch": PURGE_BATCH},
    )


async def clear_login_failures(session: AsyncSession, key: str) -> None:
    await session.execute(text("DELETE FROM login_failures WHERE key = :key"), {"key": key})


async def clear_account_login_failures(session: AsyncSession, account: str) -> int:
    """Drops the account's counters from every address; how many there were."""
    result = await session.execute(
        text("DELETE FROM login_failures WHERE account = :account RETURNING key"),
        {"account": account},
    )
    return len(result.all())


# --- users of an external identity provider ----------------------------------------------


async def insert_external_user(
    session: AsyncSession, *, subject: str, email: str, full_name: str, roles: list[str]
) -> uuid.UUID | None:
    """Inserts the user unless any unique key (subject or email) is taken already."""
    return await session.scalar(
        insert(User)
        .values(external_subject=subject, email=email, full_name=full_name, roles=roles)
        .on_conflict_do_nothing()
        .returning(User.id)
    )


# --- password-reset tokens -----------------------------------------------------------------


async def drop_unused_reset_tokens(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Drops the user's unused tokens (a newer request or a new password supersedes them),
    and a batch of anyone's expired ones."""
    await session.execute(
        delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None)
        )
    )
    expired = (
        select(PasswordResetToken.id)
        .where(PasswordResetToken.expires_at < func.now())
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    await session.execute(delete(PasswordResetToken).where(PasswordResetToken.id.in_(expired)))


async def add_reset_token(
    session: AsyncSession, user_id: uuid.UUID, token_hash: str, expires_at: datetime
) -> None:
    session.add(PasswordResetToken(user_id=user_id, token_hash=token_hash, expires_at=expires_at))
    await session.flush()


async def reset_token_for_update(
    session: AsyncSession, token_hash: str
) -> PasswordResetToken | None:
    """The token, locked: two confirmations of one token queue here, the second sees it used."""
    return await session.scalar(
        select(PasswordResetToken)
        .where(PasswordResetToken.token_hash == token_hash)
        .with_for_update()
    )


async def mark_reset_token_used(session: AsyncSession, token_id: uuid.UUID) -> None:
    await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == token_id)
        .values(used_at=func.now())
    )
