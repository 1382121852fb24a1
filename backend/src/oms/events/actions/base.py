"""The shape every action shares: a context in, a result out."""

from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.settings import Settings
from oms.events.envelope import EventEnvelope
from oms.events.mailer import Mailer
from oms.events.models import WorkerConfiguration
from oms.events.outbound import IPNetwork, parse_networks


@dataclass
class WorkerServices:
    """Long-lived things an action uses: settings, one HTTP client, the mailer."""

    settings: Settings
    http: httpx.AsyncClient
    mailer: Mailer
    allowed_networks: list[IPNetwork] = field(default_factory=list)

    @classmethod
    def create(cls, settings: Settings, mailer: Mailer) -> "WorkerServices":
        return cls(
            settings=settings,
            http=httpx.AsyncClient(
                follow_redirects=False,
                trust_env=False,
                limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
            ),
            mailer=mailer,
            allowed_networks=parse_networks(settings.webhook_allowed_networks),
        )

    async def close(self) -> None:
        await self.http.aclose()


@dataclass(frozen=True)
class ActionContext:
    session: AsyncSession
    envelope: EventEnvelope
    configuration: WorkerConfiguration
    services: WorkerServices

    @property
    def settings(self) -> dict[str, Any]:
        return self.configuration.settings


@dataclass(frozen=True)
class ActionResult:
    succeeded: bool
    response: str | None = None
    error: str | None = None


class Action(Protocol):
    async def __call__(self, context: ActionContext) -> ActionResult: ...
