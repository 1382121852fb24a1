"""What `/metrics` answers, in the API (`GET /metrics`) and on a relay's or worker's own port:
the process's counters (`oms.core.metrics` and each module's `metrics.py`), then the
backlogs read from the database and the transport when scraped (docs/monitoring.md)."""

import asyncio
import secrets
import time
from datetime import UTC, datetime

import structlog
from fastapi import APIRouter, Request, Response
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.core import metrics
from oms.core.errors import Unauthorized
from oms.core.settings import Settings
from oms.outbox import service as outbox

log = structlog.get_logger("oms.monitoring")

# Scrapes within this many seconds share one reading of the backlogs, so that many scrapers
# (or a scrape storm) cost the database one set of queries.
BACKLOG_TTL_SECONDS = 1.0
BACKLOG_TIMEOUT_SECONDS = 5.0


class Backlogs:
    """The outbox backlog and the queues' depths, read at most once a `BACKLOG_TTL_SECONDS`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self._lock = asyncio.Lock()
        self._families: list[Metric] = []
        self._read_at = float("-inf")

    async def families(self) -> list[Metric]:
        async with self._lock:
            if time.monotonic() - self._read_at >= BACKLOG_TTL_SECONDS:
                self._families = await self._read()
                self._read_at = time.monotonic()
            return self._families

    async def _read(self) -> list[Metric]:
        up = GaugeMetricFamily(
            "oms_dependency_up",
            "1 when the last scrape could read this dependency (`database`, `broker`), else 0.",
            labels=["dependency"],
        )
        families: list[Metric] = [up]
        try:
            async with asyncio.timeout(BACKLOG_TIMEOUT_SECONDS), self.sessions() as session:
                pending = await outbox.backlog_by_type(session)
                families += _outbox_families(pending)
                if not self.settings.amqp_url:
                    families.append(
                        _queue_family(await outbox.queue_depths(session, self.settings))
                    )
        except Exception as error:  # noqa: BLE001 - a scrape reports the outage, never fails
            log.warning("metrics cannot read the database", error=repr(error))
            up.add_metric(["database"], 0)
        else:
            up.add_metric(["database"], 1)
        if self.settings.amqp_url:
            try:
                async with asyncio.timeout(BACKLOG_TIMEOUT_SECONDS), self.sessions() as session:
                    families.append(
                        _queue_family(await outbox.queue_depths(session, self.settings))
                    )
            except Exception as error:  # noqa: BLE001
                log.warning("metrics cannot read the broker", error=repr(error))
                up.add_metric(["broker"], 0)
            else:
                up.add_metric(["broker"], 1)
        return families


def _outbox_families(pending: list[outbox.PendingEvents]) -> list[Metric]:
    by_type = {item.type: item for item in pending}
    count = GaugeMetricFamily(
        "oms_outbox_pending_events",
        "Outbox events not yet published, by event type.",
        labels=["type"],
    )
    for kind in sorted({*(str(kind) for kind in outbox.EventType), *by_type}):
        count.add_metric([kind], by_type[kind].count if kind in by_type else 0)
    oldest = min((item.oldest_occurred_at for item in pending), default=None)
    age = GaugeMetricFamily(
        "oms_outbox_oldest_pending_age_seconds",
        "Seconds since the oldest unpublished outbox event occurred; 0 when none waits.",
        value=max(0.0, (datetime.now(UTC) - oldest).total_seconds()) if oldest else 0.0,
    )
    return [count, age]


def _queue_family(depths: list[outbox.QueueDepth]) -> Metric:
    family = GaugeMetricFamily(
        "oms_queue_messages",
        "Messages in a worker's queues: `ready` to be taken, `waiting` for a retry (embedded "
        "queue: or in a consumer's hands), `dead` (dead letters).",
        labels=["worker", "state"],
    )
    for depth in depths:
        family.add_metric([depth.worker, depth.state], depth.messages)
    return family


async def metrics_text(backlogs: Backlogs) -> bytes:
    return metrics.exposition(await backlogs.families())


router = APIRouter()


def _check_token(request: Request, settings: Settings) -> None:
    if settings.metrics_token is None:
        return
    expected = f"Bearer {settings.metrics_token.get_secret_value()}".encode()
    given = request.headers.get("authorization", "").encode("latin-1", "replace")
    if not secrets.compare_digest(given, expected):
        raise Unauthorized("GET /metrics needs `Authorization: Bearer` with OMS_METRICS_TOKEN.")


@router.get("/metrics", include_in_schema=False)
async def get_metrics(request: Request) -> Response:
    """Prometheus text format; for scrapers, not the API's clients (docs/monitoring.md)."""
    _check_token(request, request.app.state.settings)
    body = await metrics_text(request.app.state.backlogs)
    return Response(body, media_type=metrics.CONTENT_TYPE)
