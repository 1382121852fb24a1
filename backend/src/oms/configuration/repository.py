"""The configuration module has no tables; its one statement is the import's lock."""

from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.locks import Lock, xact_lock


async def lock_imports(session: AsyncSession) -> None:
    """Held until the transaction ends, so two imports never plan against each other."""
    await xact_lock(session, Lock.CONFIGURATION_IMPORT)
