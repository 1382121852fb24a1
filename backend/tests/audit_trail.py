"""Reading the audit log in tests, straight from the table."""

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# httpx's ASGI transport presents every test request as coming from this address.
TEST_CLIENT_ADDRESS = "127.0.0.1"


async def recorded(engine: AsyncEngine, action: str | None = None) -> list[dict[str, Any]]:
    """The audit entries (of `action`, if given), oldest first."""
    query = "SELECT * FROM audit_log"
    if action is not None:
        query += " WHERE action = :action"
    async with engine.connect() as connection:
        rows = await connection.execute(text(query + " ORDER BY id"), {"action": action})
        return [dict(row) for row in rows.mappings()]


async def only(engine: AsyncEngine, action: str) -> dict[str, Any]:
    [entry] = await recorded(engine, action)
    return entry
