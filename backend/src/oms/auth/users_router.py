"""Admin user management (`/users`) and one's own profile (`/me`)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from oms.auth import service as auth
from oms.auth.dependencies import Idempotent, Requires, limit_password_change
from oms.auth.permissions import Permission, Role
from oms.auth.principal import Principal
from oms.auth.schemas import ProfileRead, ProfileUpdate, UserCreate, UserRead, UserUpdate
from oms.core.db import Session
from oms.core.openapi import problems
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit

UserManager = Annotated[Principal, Requires(Permission.USERS_MANAGE)]
ProfileOwner = Annotated[Principal, Requires(Permission.PROFILE)]

router = APIRouter(tags=["users"])


@router.get("/users")
async def list_users(
    _: UserManager,
    session: Session,
    role: Role | None = None,
    active: bool | None = None,
    q: Annotated[str | None, Query(max_length=320, description="Part of email or name.")] = None,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> Page[UserRead]:
    """Oldest first (by creation time, then id)."""
    return await auth.list_users(
        session, role=role, active=active, search=q, cursor=cursor, limit=limit
    )


@router.post(
    "/users",
    status_code=201,
    response_model=UserRead,
    responses=problems({409: "A user with this email exists."}),
)
async def create_user(
    body: UserCreate, _: UserManager, session: Session, request: Request, idempotent: Idempotent
) -> Response:
    """Create a user with any roles (staff, usually)."""
    user = await auth.create_user(
        session,
        email=body.email,
        password=body.password,
        full_name=body.full_name,
        roles=frozenset(body.roles),
    )
    location = str(request.url_for("get_user", user_id=user.id))
    return await idempotent.respond(
        session, 201, UserRead.model_validate(user), headers={"Location": location}
    )


@router.get("/users/{user_id}")
async def get_user(user_id: uuid.UUID, _: UserManager, session: Session) -> UserRead:
    return UserRead.model_validate(await auth.require_user(session, user_id))


@router.patch(
    "/users/{user_id}",
    responses=problems({409: "The change would leave OMS without an active admin."}),
)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, _: UserManager, session: Session
) -> UserRead:
    """Change name, roles, active flag or password. Deactivating ends the user's sign-ins at
    once; OMS keeps at least one active admin (409 otherwise)."""
    changes = auth.UserChanges(
        full_name=body.full_name,
        roles=frozenset(body.roles) if body.roles is not None else None,
        is_active=body.is_active,
        password=body.password,
    )
    return UserRead.model_validate(await auth.update_user(session, user_id, changes))


@router.post("/users/{user_id}/unlock", status_code=204)
async def unlock_user_sign_in(user_id: uuid.UUID, admin: UserManager, session: Session) -> None:
    """Lift the pause that failed sign-ins put on this user's account, from every address."""
    await auth.unlock_user_sign_in(session, user_id, admin)


@router.get("/me")
async def get_my_profile(me: ProfileOwner, session: Session) -> ProfileRead:
    return _profile(UserRead.model_validate(await auth.require_user(session, me.user_id)), me)


def _profile(account: UserRead, me: Principal) -> ProfileRead:
    return ProfileRead(**account.model_dump(), permissions=sorted(me.permissions))


@router.patch(
    "/me",
    responses=problems(
        {
            400: "The current password is wrong.",
            409: "The password is managed by the identity provider.",
            429: "Too many password changes by this user or from this address; see `Retry-After`.",
        }
    ),
)
async def update_my_profile(
    body: ProfileUpdate, me: ProfileOwner, session: Session, request: Request
) -> ProfileRead:
    if body.new_password is not None:
        limit_password_change(request, me)
    user = await auth.update_profile(
        session,
        me,
        full_name=body.full_name,
        current_password=body.current_password,
        new_password=body.new_password,
    )
    return _profile(UserRead.model_validate(user), me)
