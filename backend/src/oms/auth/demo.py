"""Demo users for `oms seed --demo`: an admin, a manager and a customer, created if missing."""

import secrets
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import repository
from oms.auth.permissions import Role
from oms.auth.users import create_user
from oms.core.settings import get_settings

DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("admin@example.com", "Demo Admin", Role.ADMIN),
    ("manager@example.com", "Demo Manager", Role.MANAGER),
    ("customer@example.com", "Demo Customer", Role.CUSTOMER),
)


async def seed_demo_users(session: AsyncSession) -> None:
    """Creates the demo users that are missing, with `OMS_DEMO_PASSWORD` or else one random
    password, printed once (it is stored only as a hash)."""
    missing = [
        user for user in DEMO_USERS if await repository.user_by_email(session, user[0]) is None
    ]
    if not missing:
        return
    configured = get_settings().demo_password
    password = configured or secrets.token_urlsafe(12)
    for email, full_name, role in missing:
        await create_user(
            session, email=email, password=password, full_name=full_name, roles=frozenset({role})
        )
    emails = ", ".join(email for email, _, _ in missing)
    if configured:
        sys.stdout.write(f"Demo users created ({emails}) with the password in OMS_DEMO_PASSWORD.\n")
    else:
        sys.stdout.write(
            f"Demo users created ({emails}). Their password, shown only this once: {password}\n"
        )
    sys.stdout.flush()
