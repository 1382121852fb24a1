"""Users: creation, registration, admin management and one's own profile."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import repository
from oms.auth.errors import (
    EmailTaken,
    LastActiveAdmin,
    ManagedByIdentityProvider,
    RegistrationDisabled,
    UserNotFound,
    WrongCurrentPassword,
)
from oms.auth.models import User
from oms.auth.passwords import hash_password, verify_password
from oms.auth.permissions import Role
from oms.auth.principal import Principal
from oms.auth.repository import UserFilter
from oms.auth.schemas import UserRead
from oms.auth.sign_in import normalize_email, unlock_sign_in
from oms.core import audit
from oms.core.db_errors import violations_as
from oms.core.pagination import DEFAULT_LIMIT, Page, decode_cursor, page_of
from oms.core.settings import Settings

log = structlog.get_logger(__name__)

# The unique index a concurrent insert or change of the same email runs into.
EMAIL_UNIQUE = "uq_users_email_lower"


async def add_user(session: AsyncSession, user: User) -> User:
    """Store a new user; an email taken meanwhile is `EmailTaken`, not a 500."""
    async with violations_as(session, {EMAIL_UNIQUE: EmailTaken()}):
        return await repository.add_user(session, user)


async def save_user(session: AsyncSession, user: User) -> User:
    """Store a user's changes; an email taken meanwhile is `EmailTaken`, not a 500."""
    async with violations_as(session, {EMAIL_UNIQUE: EmailTaken()}):
        return await repository.save_user(session, user)


def audited_fields(user: User) -> dict[str, object]:
    """What the audit log shows of a user: never the password hash."""
    return {
        "email": user.email,
        "full_name": user.full_name,
        "roles": sorted(user.roles),
        "is_active": user.is_active,
    }


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    roles: frozenset[Role] = frozenset({Role.CUSTOMER}),
) -> User:
    email = normalize_email(email)
    if await repository.user_by_email(session, email) is not None:
        raise EmailTaken()
    user = User(
        email=email,
        full_name=full_name,
        roles=sorted(role.value for role in roles),
        password_hash=await hash_password(password) if password is not None else None,
    )
    user = await add_user(session, user)
    audit.record(
        session, action="user.created", entity="user", entity_id=user.id, after=audited_fields(user)
    )
    return user


async def register_customer(
    session: AsyncSession, settings: Settings, *, email: str, password: str, full_name: str
) -> User:
    """Self-service sign-up: always a customer, whatever the caller asks for."""
    if not settings.registration_enabled:
        raise RegistrationDisabled()
    return await create_user(
        session,
        email=email,
        password=password,
        full_name=full_name,
        roles=frozenset({Role.CUSTOMER}),
    )


async def require_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await repository.user_by_id(session, user_id)
    if user is None:
        raise UserNotFound()
    return user


async def list_users(
    session: AsyncSession,
    *,
    role: Role | None = None,
    active: bool | None = None,
    search: str | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page[UserRead]:
    """Oldest first, keyset-paged on (created_at, id)."""
    where = UserFilter(role=role.value if role else None, active=active, search=search)
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    rows = await repository.list_users(session, where, after=after, limit=limit + 1)
    return page_of(rows, limit, lambda row: (row.created_at, row.id), UserRead.model_validate)


@dataclass(frozen=True)
class UserChanges:
    """What an admin may change; None leaves a field as it is."""

    full_name: str | None = None
    roles: frozenset[Role] | None = None
    is_active: bool | None = None
    password: str | None = None


def _is_active_admin(roles: Sequence[str], active: bool) -> bool:
    return active and Role.ADMIN.value in roles


def _revoke_access_tokens(user: User) -> None:
    """Every access token issued to the user so far is refused from now on, on every API
    process (see `user_states`)."""
    user.token_version += 1


async def update_user(session: AsyncSession, user_id: uuid.UUID, changes: UserChanges) -> User:
    """Applies an admin's changes. Deactivating a user or setting a password ends their
    sign-ins: their access tokens are refused at once and their refresh tokens revoked. A
    change of roles refuses their access tokens only, so that a refresh brings the new
    roles. OMS always keeps at least one active admin."""
    if changes.roles is not None or changes.is_active is not None:
        await repository.lock_admin_set(session)
    user = await require_user(session, user_id)
    before = audited_fields(user)
    new_roles = (
        sorted(role.value for role in changes.roles) if changes.roles is not None else user.roles
    )
    new_active = changes.is_active if changes.is_active is not None else user.is_active
    loses_admin = _is_active_admin(user.roles, user.is_active) and not _is_active_admin(
        new_roles, new_active
    )
    if loses_admin and await repository.count_active_admins(session, excluding=user.id) == 0:
        raise LastActiveAdmin()
    if changes.full_name is not None:
        user.full_name = changes.full_name
    if sorted(user.roles) != list(new_roles):
        _revoke_access_tokens(user)
    user.roles = list(new_roles)
    if user.is_active and not new_active:
        _revoke_access_tokens(user)
        await repository.revoke_families_of_user(session, user.id, "deactivated")
    user.is_active = new_active
    if changes.password is not None:
        user.password_hash = await hash_password(changes.password)
        _revoke_access_tokens(user)
        await repository.revoke_families_of_user(session, user.id, "password-set")
        audit.record(session, action="user.password_reset", entity="user", entity_id=user.id)
    user = await save_user(session, user)
    audit.record(
        session,
        action="user.updated",
        entity="user",
        entity_id=user.id,
        before=before,
        after=audited_fields(user),
    )
    return user


async def update_profile(
    session: AsyncSession,
    principal: Principal,
    *,
    full_name: str | None = None,
    current_password: str | None = None,
    new_password: str | None = None,
) -> User:
    """One's own profile: the name, and the password given the current one. Never roles or
    the active flag."""
    user = await require_user(session, principal.user_id)
    if full_name is not None and full_name != user.full_name:
        audit.record(
            session,
            action="user.updated",
            entity="user",
            entity_id=user.id,
            before={"full_name": user.full_name},
            after={"full_name": full_name},
        )
        user.full_name = full_name
    if new_password is not None:
        if user.external_subject is not None:
            raise ManagedByIdentityProvider()
        if current_password is None or not await verify_password(
            current_password, user.password_hash
        ):
            raise WrongCurrentPassword()
        user.password_hash = await hash_password(new_password)
        _revoke_access_tokens(user)
        await repository.revoke_families_of_user(session, user.id, "password-changed")
        audit.record(session, action="user.password_changed", entity="user", entity_id=user.id)
    return await save_user(session, user)


async def unlock_user_sign_in(session: AsyncSession, user_id: uuid.UUID, by: Principal) -> None:
    """An admin lifts the pauses that failed logins put on the user's account, from every
    address (an address's own count across accounts stays)."""
    user = await require_user(session, user_id)
    cleared = await unlock_sign_in(session, user.email)
    audit.record(
        session,
        action="user.sign_in_unlocked",
        entity="user",
        entity_id=user.id,
        after={"counters_cleared": cleared},
    )
    log.info(
        "sign-in unlocked",
        user_id=str(user.id),
        email=user.email,
        unlocked_by=str(by.user_id),
        counters_cleared=cleared,
    )
