"""Every advisory lock OMS takes, in one registry so that no number means two things.

All are transaction-scoped and use PostgreSQL's two-key form: the lock's namespace, and a
hash of the subject it guards within that namespace (empty for a lock that guards one thing).
"""

from enum import IntEnum, unique

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@unique  # a second name for a number would silently be the same lock, guarding two things
class Lock(IntEnum):
    SIGNING_KEYS = 7_301_001
    """Creating or rotating the built-in issuer's signing keys."""
    ADMIN_SET = 7_301_002
    """Changes that could leave no active admin."""
    IDEMPOTENCY_KEY = 7_301_003
    """One client's use of one Idempotency-Key (subject: user and key)."""
    DELIVERY = 7_301_004
    """One configuration's action for one event (subject: event and configuration)."""
    WORKFLOW_SIZE = 7_301_005
    """Adding order statuses or transitions (subject: which), so two cannot pass the cap."""
    EMAIL_TEMPLATES = 7_301_010
    """Adding edited email templates, so two cannot pass the cap."""
    CONFIGURATION_IMPORT = 7_301_020
    """Planning and applying a configuration document, one import at a time."""
    SAVED_ADDRESSES = 7_301_030
    """Adding a user's saved addresses (subject: the user), so two cannot pass the cap."""
    PRODUCT_IMPORT = 7_301_032
    """Importing products from CSV, one import at a time: two that create the same new SKUs
    in different orders would otherwise wait on each other's rows."""


_LOCK = text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:subject))")
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:namespace, hashtext(:subject))")


async def xact_lock(session: AsyncSession, lock: Lock, subject: str = "") -> None:
    """Wait for the lock; it is held until the transaction ends."""
    await session.execute(_LOCK, {"namespace": int(lock), "subject": subject})


async def try_xact_lock(session: AsyncSession, lock: Lock, subject: str = "") -> bool:
    """Take the lock if free, without waiting; True when taken."""
    return bool(await session.scalar(_TRY_LOCK, {"namespace": int(lock), "subject": subject}))
