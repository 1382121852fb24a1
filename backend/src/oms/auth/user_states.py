"""What a user's existing tokens may still do, checked on every request without a query.

Each API process caches, per user, the token version and active flag for `ttl` seconds. A
trigger NOTIFYs `oms_users` whenever either changes, and every process drops its entry at
once; while notifications cannot be received, the short `ttl` bounds how long a revoked
token is still taken.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.auth import repository
from oms.core.notifications import Subscription

USERS_CHANNEL = "oms_users"
MAX_CACHED_USERS = 10_000


@dataclass(frozen=True, slots=True)
class UserState:
    token_version: int
    is_active: bool


class UserStates:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        ttl: float,
        *,
        listen_url: URL | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._clock = clock
        self.subscription = (
            None
            if listen_url is None
            else Subscription(
                listen_url, USERS_CHANNEL, on_payload=self.forget_notified, on_gap=self.forget_all
            )
        )
        self._cache: dict[uuid.UUID, tuple[UserState | None, float]] = {}
        # Counts invalidations, so that a read which overlapped one is not cached: it may
        # have seen the row from before the change.
        self._invalidations = 0

    async def accepts(self, user_id: uuid.UUID, token_version: int | None) -> bool:
        """Whether a token of this user still counts: the user exists and is active and,
        for OMS's own tokens, the token carries the current version."""
        state = await self.current(user_id)
        if state is None or not state.is_active:
            return False
        return token_version is None or token_version == state.token_version

    async def current(self, user_id: uuid.UUID) -> UserState | None:
        now = self._clock()
        cached = self._cache.get(user_id)
        if cached is not None and now - cached[1] < self._ttl:
            return cached[0]
        invalidations = self._invalidations
        async with self._sessions() as session:
            row = await repository.user_token_state(session, user_id)
        state = None if row is None else UserState(*row)
        if invalidations == self._invalidations:
            if len(self._cache) >= MAX_CACHED_USERS:
                self._cache.clear()
            self._cache[user_id] = (state, now)
        return state

    def forget(self, user_id: uuid.UUID) -> None:
        self._invalidations += 1
        self._cache.pop(user_id, None)

    def forget_all(self) -> None:
        self._invalidations += 1
        self._cache.clear()

    def forget_notified(self, payload: str) -> None:
        try:
            user_id = uuid.UUID(payload)
        except ValueError:
            self.forget_all()
            return
        self.forget(user_id)

    def start(self) -> None:
        """Starts listening for changes (without a `listen_url`, only `ttl` ages entries)."""
        if self.subscription is not None:
            self.subscription.start()

    async def stop(self) -> None:
        if self.subscription is not None:
            await self.subscription.stop()
