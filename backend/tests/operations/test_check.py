"""`oms check` against real services: a readable report, exit 0 when all is well and 1 when
anything is a problem (a bad setting, an unreachable PostgreSQL, RabbitMQ or SMTP server,
pending migrations, an outbox backlog too old)."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory

from oms.core import migrations
from oms.core.db import create_engine, create_sessionmaker
from oms.integrations.samples import sample_event_data
from oms.outbox import service as outbox
from tests.events.services import SmtpServer
from tests.monitoring.processes import PROCESS_TIMEOUT
from tests.operations.conftest import Databases, oms
from tests.processes import free_port

pytestmark = PROCESS_TIMEOUT


def findings(stdout: str) -> dict[str, str]:
    """{check name: level} of the report's lines."""
    report = {}
    for line in stdout.splitlines()[:-1]:
        level, rest = line.split(maxsplit=1)
        name = rest[:12].strip()
        report[name] = level
    return report


def test_all_is_well_with_postgresql_rabbitmq_and_smtp(databases: Databases, amqp_url: str) -> None:
    smtp = SmtpServer()
    smtp.start()
    try:
        result = oms(
            "check",
            OMS_DATABASE_URL=databases.create(),
            OMS_AMQP_URL=amqp_url,
            OMS_SMTP_URL=smtp.url,
        )
    finally:
        smtp.stop()
    assert result.returncode == 0, result.stdout
    assert findings(result.stdout) == {
        "settings": "ok",
        "postgresql": "ok",
        "migrations": "ok",
        "rabbitmq": "ok",
        "smtp": "ok",
        "outbox": "ok",
        "dead letters": "ok",
    }
    assert result.stdout.splitlines()[-1] == "0 problem(s), 0 warning(s)"
    assert not smtp.mails  # a check sends nothing


def test_a_broken_broker_and_smtp_url_are_problems(databases: Databases) -> None:
    closed = free_port()
    result = oms(
        "check",
        OMS_DATABASE_URL=databases.create(),
        OMS_AMQP_URL=f"amqp://guest:guest@127.0.0.1:{closed}/",
        OMS_SMTP_URL=f"smtp://127.0.0.1:{closed}",
    )
    assert result.returncode == 1
    report = findings(result.stdout)
    assert report["rabbitmq"] == "problem"
    assert report["smtp"] == "problem"
    assert report["postgresql"] == "ok"
    assert report["dead letters"] == "warning"  # not checked without the broker
    assert "2 problem(s)" in result.stdout


def test_an_unreachable_database_is_a_problem_and_the_rest_still_checked() -> None:
    result = oms("check", OMS_DATABASE_URL=f"postgresql://oms@127.0.0.1:{free_port()}/oms")
    assert result.returncode == 1
    report = findings(result.stdout)
    assert report["postgresql"] == "problem"
    assert report["rabbitmq"] == "ok"
    assert "migrations" not in report


def test_a_bad_setting_is_a_problem() -> None:
    result = oms("check", OMS_PORT="not-a-port", OMS_DATABASE_URL="postgresql://x@127.0.0.1/x")
    assert result.returncode == 1
    assert result.stdout.startswith("problem  settings")
    assert "OMS_PORT" in result.stdout


def test_pending_migrations_are_a_problem(databases: Databases) -> None:
    scripts = ScriptDirectory.from_config(migrations.alembic_config("postgresql://unused/x"))
    current_head = scripts.get_current_head()
    assert current_head is not None
    head = scripts.get_revision(current_head)
    assert head is not None
    assert isinstance(head.down_revision, str)
    url = databases.create(migrated=False)
    migrated = oms("migrate", "--revision", head.down_revision, OMS_DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    result = oms("check", OMS_DATABASE_URL=url)
    assert result.returncode == 1
    assert f"problem  migrations   1 pending ({head.revision}): run `oms migrate`" in result.stdout


async def test_an_outbox_backlog_older_than_allowed_is_a_problem(databases: Databases) -> None:
    url = await asyncio.to_thread(databases.create)
    engine = create_engine(url, pool_size=1)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await outbox.record_event(
                session,
                sample_event_data(
                    outbox.EventType.ORDER_CREATED,
                    outbox.StatusRef(code="new", name="New"),
                    currency="EUR",
                ),
                occurred_at=datetime.now(UTC) - timedelta(hours=1),
            )
    finally:
        await engine.dispose()
    lenient = oms("check", OMS_DATABASE_URL=url)
    assert lenient.returncode == 1  # an hour is over the default 300 s
    assert "problem  outbox       1 event(s) wait to be published" in lenient.stdout
    allowed = oms("check", "--max-outbox-age", "7200", OMS_DATABASE_URL=url)
    assert allowed.returncode == 0, allowed.stdout


def test_the_embedded_database_is_checked_too(tmp_path: Path) -> None:
    data_dir = str(tmp_path / uuid.uuid4().hex)
    assert oms("migrate", OMS_DATA_DIR=data_dir, timeout=300).returncode == 0
    result = oms("check", OMS_DATA_DIR=data_dir, timeout=300)
    assert result.returncode == 0, result.stdout
    assert "reachable at" in result.stdout
