"""The shape every action shares: a context in, a result out."""

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from oms.core.settings import Settings
from oms.integrations.http import GuardedHttp, HttpSender
from oms.integrations.mailer import Mailer
from oms.integrations.models import WorkerConfiguration
from oms.outbox import service as outbox

Event = outbox.OrderEvent


@dataclass
class WorkerServices:
    """Long-lived things an action uses: settings, the outbound HTTP port, the mailer."""

    settings: Settings
    http: HttpSender
    mailer: Mailer

    @classmethod
    def create(cls, settings: Settings, mailer: Mailer) -> "WorkerServices":
        return cls(
            settings=settings, http=GuardedHttp(settings.webhook_allowed_networks), mailer=mailer
        )

    async def close(self) -> None:
        await self.http.close()


@dataclass(frozen=True)
class ActionContext:
    session: AsyncSession
    event: Event
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
