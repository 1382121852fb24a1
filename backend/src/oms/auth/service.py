"""The auth module's public interface: users, tokens and the verifier the API trusts."""

import uuid
from typing import Literal

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.auth import repository
from oms.auth.errors import BuiltInIdentityOff, InvalidRefreshToken, SessionEnded
from oms.auth.keys import KeyRing, KeyStore
from oms.auth.models import User
from oms.auth.oidc import OidcTokenVerifier
from oms.auth.password_reset import confirm_password_reset, request_password_reset
from oms.auth.permissions import Permission, Role
from oms.auth.principal import Principal
from oms.auth.schemas import ClientConfig, OidcClientConfig, UserRead
from oms.auth.sign_in import (
    TokenPair,
    access_token_for,
    authenticate,
    normalize_email,
    refresh,
    sign_in,
    sign_out,
)
from oms.auth.tokens import LocalTokenVerifier, TokenVerifier
from oms.auth.user_states import UserStates
from oms.auth.users import (
    UserChanges,
    create_user,
    list_users,
    register_customer,
    require_user,
    unlock_user_sign_in,
    update_profile,
    update_user,
)
from oms.core.settings import Settings

__all__ = [
    "InvalidRefreshToken",
    "KeyRing",
    "KeyStore",
    "Permission",
    "Principal",
    "Role",
    "SessionEnded",
    "TokenPair",
    "TokenVerifier",
    "UserChanges",
    "UserRead",
    "access_token_for",
    "active_admin",
    "authenticate",
    "client_config",
    "confirm_password_reset",
    "create_user",
    "ensure_built_in_identity",
    "find_user",
    "get_user",
    "list_users",
    "normalize_email",
    "refresh",
    "register_customer",
    "request_password_reset",
    "require_user",
    "sign_in",
    "sign_out",
    "token_verifier",
    "unlock_user_sign_in",
    "update_profile",
    "update_user",
]


def token_verifier(
    settings: Settings,
    keys: KeyStore,
    sessions: async_sessionmaker[AsyncSession],
    listen_url: URL | None,
) -> TokenVerifier:
    """The verifier `OMS_AUTH_MODE` asks for: OMS's own keys, or the OIDC provider's.

    Either checks each token's user against a per-process cache of user states, kept in step
    through LISTEN on `listen_url` (None: aged by `OMS_USER_STATE_CACHE_TTL` alone)."""
    states = UserStates(sessions, settings.user_state_cache_ttl, listen_url=listen_url)
    if settings.auth_mode == "local":
        return LocalTokenVerifier(
            keys,
            states,
            issuer=settings.public_url,
            audience=settings.jwt_audience,
            algorithms=list(settings.jwt_algorithms),
        )
    if not settings.oidc_issuer:
        raise ValueError("OMS_AUTH_MODE=oidc needs OMS_OIDC_ISSUER")
    return OidcTokenVerifier(
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience or settings.jwt_audience,
        algorithms=list(settings.jwt_algorithms),
        roles_claim=settings.oidc_roles_claim,
        sessions=sessions,
        states=states,
        min_refresh_interval=settings.oidc_jwks_min_refresh_interval,
        user_cache_ttl=settings.oidc_user_cache_ttl,
    )


def ensure_built_in_identity(settings: Settings) -> None:
    """OMS's own sign-in, registration and JWKS exist only in `local` mode (404 otherwise)."""
    if settings.auth_mode != "local":
        raise BuiltInIdentityOff()


def client_config(settings: Settings, app: Literal["customer", "admin"]) -> ClientConfig:
    """How a browser app signs users in here: OMS's own forms, or the provider's pages with
    the app's client."""
    if settings.auth_mode == "local":
        return ClientConfig(
            mode="local",
            registration_enabled=settings.registration_enabled,
            password_reset_enabled=True,
            oidc=None,
        )
    assert settings.oidc_issuer is not None, "validated by the settings"
    client_id = (
        settings.oidc_admin_client_id if app == "admin" else settings.oidc_customer_client_id
    )
    return ClientConfig(
        mode="oidc",
        registration_enabled=False,
        password_reset_enabled=False,
        oidc=OidcClientConfig(issuer=settings.oidc_issuer, client_id=client_id),
    )


# --- what other modules may know of a user --------------------------------------------


def _read(user: User | None) -> UserRead | None:
    return UserRead.model_validate(user) if user is not None else None


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> UserRead | None:
    return _read(await repository.user_by_id(session, user_id))


async def find_user(session: AsyncSession, email: str) -> UserRead | None:
    """The user with this email (in any case), if there is one."""
    return _read(await repository.user_by_email(session, normalize_email(email)))


async def active_admin(session: AsyncSession) -> UserRead | None:
    """The longest-standing active admin, for work done on staff's behalf (demo data)."""
    return _read(await repository.first_active_admin(session))
