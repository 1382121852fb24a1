"""`oms check`: settings, PostgreSQL, RabbitMQ and SMTP (when configured), migrations and the
backlogs, as a report; any problem makes the exit code 1."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from oms.core import migrations
from oms.core.database_url import describe
from oms.core.db import create_engine, create_sessionmaker
from oms.core.runtime import check_database
from oms.core.settings import Settings
from oms.core.startup_errors import StartupError
from oms.integrations import service as integrations
from oms.outbox import service as outbox

Level = Literal["ok", "warning", "problem"]
CHECK_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Finding:
    name: str
    level: Level
    text: str

    def line(self) -> str:
        return f"{self.level:<8} {self.name:<12} {self.text}"


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


def describe_settings(settings: Settings) -> Finding:
    parts = [
        f"auth {settings.auth_mode}",
        "events through RabbitMQ" if settings.amqp_url else "events through the embedded queue",
        "mail over SMTP" if settings.smtp_url else "mail kept in sent_emails (no OMS_SMTP_URL)",
        "errors to Sentry" if settings.sentry_dsn else "no error monitoring (no OMS_SENTRY_DSN)",
    ]
    return Finding("settings", "ok", ", ".join(parts))


async def _bounded(name: str, probe: Callable[[], Awaitable[Finding]]) -> Finding:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            return await probe()
    except TimeoutError:
        return Finding(name, "problem", f"no answer within {CHECK_TIMEOUT_SECONDS:g} s")
    except Exception as error:  # noqa: BLE001 - whatever fails is the finding
        return Finding(name, "problem", f"{type(error).__name__}: {_reason(error)}")


def check_postgresql(settings: Settings, url: str) -> Finding:
    try:
        check_database(url, settings.db_connect_timeout)
    except StartupError as error:
        return Finding("postgresql", "problem", _reason(error))
    return Finding("postgresql", "ok", f"reachable at {describe(url)}")


def check_migrations(url: str) -> Finding:
    try:
        found = migrations.state(url)
    except Exception as error:  # noqa: BLE001
        return Finding("migrations", "problem", f"cannot read: {_reason(error)}")
    if found.unknown:
        return Finding(
            "migrations",
            "warning",
            f"the database is at {', '.join(found.unknown)}, which this OMS does not know: "
            "a newer release migrated it (docs/upgrades.md)",
        )
    if found.pending:
        return Finding(
            "migrations",
            "problem",
            f"{len(found.pending)} pending ({', '.join(found.pending)}): run `oms migrate`",
        )
    return Finding("migrations", "ok", f"at head {', '.join(found.heads)}")


async def check_broker(settings: Settings) -> Finding:
    if not settings.amqp_url:
        return Finding("rabbitmq", "ok", "not configured: events go through the embedded queue")
    checks = outbox.health_checks(settings)

    async def probe() -> Finding:
        await checks["broker"]()
        return Finding("rabbitmq", "ok", "accepts a connection")

    return await _bounded("rabbitmq", probe)


async def check_smtp(settings: Settings) -> Finding:
    if not settings.smtp_url:
        return Finding("smtp", "ok", "not configured: mail is kept in sent_emails")
    url = settings.smtp_url

    async def probe() -> Finding:
        greeting = await integrations.check_smtp_server(url)
        return Finding("smtp", "ok", f"answers: {greeting.strip()[:80]}")

    return await _bounded("smtp", probe)


async def check_backlogs(settings: Settings, url: str, max_outbox_age: float) -> list[Finding]:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with create_sessionmaker(engine)() as session:
            pending, oldest = await outbox.backlog(session)
            outbox_finding = _outbox_finding(pending, oldest, max_outbox_age)
            depths = await _bounded_depths(session, settings)
    finally:
        await engine.dispose()
    return [outbox_finding, depths]


def _outbox_finding(pending: int, oldest: datetime | None, max_age: float) -> Finding:
    if not pending or oldest is None:
        return Finding("outbox", "ok", "no event waits to be published")
    age = (datetime.now(UTC) - oldest).total_seconds()
    text = f"{pending} event(s) wait to be published, the oldest for {age:.0f} s"
    if age > max_age:
        return Finding(
            "outbox", "problem", f"{text} (over {max_age:g} s: is a relay running? `oms outbox`)"
        )
    return Finding("outbox", "ok", text)


async def _bounded_depths(session: AsyncSession, settings: Settings) -> Finding:
    async def probe() -> Finding:
        depths = await outbox.queue_depths(session, settings)
        dead = {item.worker: item.messages for item in depths if item.state == "dead"}
        total = sum(dead.values())
        if total:
            listed = ", ".join(f"{count} {worker}" for worker, count in dead.items() if count)
            return Finding("dead letters", "warning", f"{listed}: see `oms dlq`")
        return Finding("dead letters", "ok", "none")

    return await _bounded("dead letters", probe)


def run_checks(settings: Settings, url: str, *, max_outbox_age: float) -> list[Finding]:
    findings = [describe_settings(settings)]
    database = check_postgresql(settings, url)
    findings.append(database)

    async def services() -> list[Finding]:
        return list(await asyncio.gather(check_broker(settings), check_smtp(settings)))

    if database.level == "ok":
        migrated = check_migrations(url)
        findings.append(migrated)
        broker, smtp = asyncio.run(services())
        findings += [broker, smtp]
        if migrated.level != "problem":
            try:
                outbox_finding, dead = asyncio.run(check_backlogs(settings, url, max_outbox_age))
            except Exception as error:  # noqa: BLE001
                outbox_finding = Finding("outbox", "problem", f"cannot read: {_reason(error)}")
                dead = Finding("dead letters", "warning", "not checked")
            if broker.level == "problem":
                dead = Finding("dead letters", "warning", "not checked: RabbitMQ is unreachable")
            findings += [outbox_finding, dead]
    else:
        findings += asyncio.run(services())
    return findings
