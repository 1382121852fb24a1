"""Request rate limits: moving windows counted in each API process's memory.

Counting in memory keeps the hot paths (placing an order) free of any extra round trip; the
price is that each replica counts on its own, so N replicas let through up to N times a
limit. What must hold across replicas (the sign-in back-off protecting accounts) is kept in
PostgreSQL by its owner instead.
"""

import math
import time
from dataclasses import dataclass
from functools import lru_cache

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from oms.core.errors import ProblemError

RETRY_AFTER = "Retry-After"


class TooManyRequests(ProblemError):
    """429 with `Retry-After` (and `retry_after`): seconds until a request would be taken."""

    status, slug, title = 429, "too-many-requests", "Too Many Requests"

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(
            detail or f"Too many requests; retry after {retry_after} seconds.",
            headers={RETRY_AFTER: str(retry_after)},
            retry_after=retry_after,
        )


@lru_cache(maxsize=64)
def parse_limits(text: str) -> tuple[RateLimitItem, ...]:
    """`"10/minute;100/hour"` as limit items; an empty text is no limit at all."""
    return tuple(parse_many(text)) if text.strip() else ()


def check_limits(text: str) -> str:
    """For settings: the text if it parses (`ValueError` otherwise)."""
    parse_limits(text)
    return text


def client_address(request: Request) -> str:
    """The socket peer, or the address a trusted proxy forwarded (`OMS_TRUSTED_PROXIES`:
    uvicorn rewrites `request.client` from `X-Forwarded-For` for those peers only)."""
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Quota:
    """Requests of `key` (a user id, an address) in `scope`, counted against `limits`."""

    limits: str
    scope: str
    key: str


class RateLimiter:
    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, *quotas: Quota) -> None:
        """Counts one request against every quota, or raises `TooManyRequests` when any is
        spent, without counting it against the others."""
        items = [(limit, quota) for quota in quotas for limit in parse_limits(quota.limits)]
        for limit, quota in items:
            if not self._limiter.test(limit, quota.scope, quota.key):
                reset_at = self._limiter.get_window_stats(limit, quota.scope, quota.key).reset_time
                raise TooManyRequests(max(1, math.ceil(reset_at - time.time())))
        for limit, quota in items:
            self._limiter.hit(limit, quota.scope, quota.key)
