"""PostgreSQL LISTEN/NOTIFY: a subscription that keeps itself connected in the background.

A notification is lost for good when it is sent while nobody listens, so the subscriber is
told of every such gap (before the first connection, after a lost one) and can drop what it
cached meanwhile.
"""

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg
import structlog
from sqlalchemy.engine import URL

log = structlog.get_logger("oms.notifications")

CONNECT_TIMEOUT_SECONDS = 5.0
# How often the idle connection is checked: a peer that vanished without closing it (a
# dropped network) would otherwise leave the subscription deaf without anyone knowing.
PING_INTERVAL_SECONDS = 5.0
RETRY_DELAY_SECONDS = 1.0

_CONNECTION_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


def plain_dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Subscription:
    """LISTENs on `channel`; `on_payload` gets each notification's payload, `on_gap` is
    called whenever notifications may have been missed."""

    def __init__(
        self,
        url: URL,
        channel: str,
        *,
        on_payload: Callable[[str], None],
        on_gap: Callable[[], None],
        ping_interval: float = PING_INTERVAL_SECONDS,
        retry_delay: float = RETRY_DELAY_SECONDS,
    ) -> None:
        self._dsn = plain_dsn(url)
        # Names the connection in `pg_stat_activity`.
        self.application_name = f"oms listen {channel}"
        self._channel = channel
        self._on_payload = on_payload
        self._on_gap = on_gap
        self._ping_interval = ping_interval
        self._retry_delay = retry_delay
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"listen {self._channel}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._on_payload(payload)

    async def _run(self) -> None:
        while True:
            try:
                await self._listen_until_lost()
            except _CONNECTION_ERRORS as error:
                log.warning("listen failed", channel=self._channel, error=str(error))
            finally:
                self.listening.clear()
                self._on_gap()
            await asyncio.sleep(self._retry_delay)

    async def _listen_until_lost(self) -> None:
        connection = await asyncpg.connect(
            self._dsn,
            timeout=CONNECT_TIMEOUT_SECONDS,
            server_settings={"application_name": self.application_name},
        )
        try:
            await connection.add_listener(self._channel, self._notified)
            # Whatever was cached before this point may have missed a notification.
            self._on_gap()
            self.listening.set()
            while True:
                await asyncio.sleep(self._ping_interval)
                async with asyncio.timeout(self._ping_interval):
                    await connection.execute("SELECT 1")
        finally:
            connection.terminate()
