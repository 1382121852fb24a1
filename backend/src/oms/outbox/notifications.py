"""Waking up on PostgreSQL NOTIFY, with polling as the fallback when the listener is down."""

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg
import structlog
from sqlalchemy.engine import URL

from oms.core.notifications import plain_dsn

log = structlog.get_logger("oms.outbox")


class Listener:
    """LISTENs on one channel; `wait()` returns on a notification or after `seconds`."""

    def __init__(self, url: URL, channel: str, accept: Callable[[str], bool] | None = None):
        self.dsn = plain_dsn(url)
        self.channel = channel
        self.accept = accept
        self.woken = asyncio.Event()
        self._connection: asyncpg.Connection | None = None

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        if self.accept is None or self.accept(payload):
            self.woken.set()

    async def _ensure_listening(self) -> None:
        if self._connection is not None and not self._connection.is_closed():
            return
        try:
            self._connection = await asyncpg.connect(self.dsn, timeout=5)
            await self._connection.add_listener(self.channel, self._on_notify)
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            log.warning("listen failed; polling only", channel=self.channel, error=str(error))
            self._connection = None

    async def wait(self, seconds: float) -> None:
        await self._ensure_listening()
        # `asyncio.timeout`, not `wait_for`: on Python 3.11 `wait_for` drops a cancellation
        # that arrives together with the wake-up, and the caller's loop would run on.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self.woken.wait()
        self.woken.clear()

    async def close(self) -> None:
        if self._connection is not None and not self._connection.is_closed():
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await self._connection.close()
        self._connection = None
