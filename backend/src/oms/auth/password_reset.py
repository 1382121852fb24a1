"""Forgotten passwords: a single-use, expiring link mailed through the outbox, and setting a
new password with it.

The token is a random string stored only as its SHA-256. A request answers alike whether or
not the address belongs to an active account; only for one that does is a token stored and
the event `user.password_reset_requested` recorded, which the email worker turns into mail.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import repository
from oms.auth.errors import InvalidResetToken
from oms.auth.passwords import hash_password
from oms.auth.sign_in import normalize_email, unlock_sign_in
from oms.core import audit
from oms.core.settings import Settings
from oms.outbox import service as outbox

RESET_PATH = "/reset-password"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{RESET_PATH}?{urlencode({'token': token})}"


async def request_password_reset(session: AsyncSession, email: str, settings: Settings) -> None:
    """Mails a reset link to the active account with this email, if there is one; replaces
    any link sent before. Accounts of an identity provider get none (their password is not
    OMS's)."""
    user = await repository.user_by_email(session, normalize_email(email))
    if user is None or not user.is_active or user.external_subject is not None:
        return
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires_at = now + timedelta(seconds=settings.password_reset_ttl)
    await repository.drop_unused_reset_tokens(session, user.id)
    await repository.add_reset_token(session, user.id, _hash(token), expires_at)
    await outbox.record_event(
        session,
        outbox.PasswordResetRequestedData(
            user_id=user.id,
            email=user.email,
            full_name=user.full_name,
            reset_url=reset_url(settings.public_url, token),
            expires_at=expires_at,
        ),
        occurred_at=now,
    )
    audit.record(
        session,
        action="user.password_reset_requested",
        entity="user",
        entity_id=user.id,
        after={"expires_at": expires_at.isoformat()},
    )


async def confirm_password_reset(session: AsyncSession, token: str, password: str) -> None:
    """Sets the password of the token's user and ends all their sign-ins; the token cannot be
    used again. `InvalidResetToken` for one unknown, used or expired."""
    found = await repository.reset_token_for_update(session, _hash(token))
    if found is None or found.used_at is not None or found.expires_at <= datetime.now(UTC):
        raise InvalidResetToken()
    user = await repository.user_by_id(session, found.user_id)
    if user is None or not user.is_active or user.external_subject is not None:
        raise InvalidResetToken()
    await repository.mark_reset_token_used(session, found.id)
    await repository.drop_unused_reset_tokens(session, user.id)
    user.password_hash = await hash_password(password)
    # Every access token issued so far is refused, on every API process (`user_states`).
    user.token_version += 1
    await repository.revoke_families_of_user(session, user.id, "password-reset")
    # Whoever holds the mailbox proved it: failed guesses by others no longer pause them.
    await unlock_sign_in(session, user.email)
    await repository.save_user(session, user)
    audit.record(session, action="user.password_reset_confirmed", entity="user", entity_id=user.id)
