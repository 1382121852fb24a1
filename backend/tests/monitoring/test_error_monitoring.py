"""Sentry: real `oms api` and `oms worker` processes report an unexpected error to a local
HTTP endpoint standing in for Sentry, with the release, environment and component, and with
none of the personal data or secrets the request or the event carried (the raw envelope is
searched). The scrubbing rules themselves are checked on their own first."""

import asyncio
import gzip
import json
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms import __version__
from oms.core import migrations
from oms.core.db import create_engine, create_sessionmaker
from oms.core.error_monitoring import FILTERED, before_send, scrub, scrub_text
from oms.core.settings import Settings
from oms.outbox import service as outbox
from oms.outbox.relay import relay_pending_events
from oms.outbox.transport.embedded import EmbeddedTransport
from tests.database import checkout_tag, create_database, drop_database
from tests.events.services import HttpReceiver, ReceivedRequest, eventually
from tests.monitoring.processes import PROCESS_TIMEOUT, serving, start

pytestmark = PROCESS_TIMEOUT

EMAIL = "pia.private@example.com"
PASSWORD = "Correct-Horse-Battery-9"
WRONG_PASSWORD = "Wrong-Horse-Battery-1"
FULL_NAME = "Pia Private"
STREET = "17 Confidential Lane"
POSTAL_CODE = "SW1A 9ZZ"
PHONE = "+44 20 7946 0999"
COOKIE_SECRET = "cookie-secret-4b9e1c"
QUERY_EMAIL = "query.person@example.test"


# --- the rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kept_out"),
    [
        ("user pia@example.org failed", "pia@example.org"),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("token eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl seen", "eyJzdWIiOiIx"),
        ("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw here", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        ("postgresql://oms:s3cr3t@db:5432/oms unreachable", "s3cr3t"),
        ("/reset-password?token=abc123&x=1", "abc123"),
        ("?email=a.b%40c.d&limit=2", "a.b%40c.d"),
        (
            'duplicate key value violates unique constraint "uq_users_email"\n'
            "DETAIL:  Key (email)=(someone@example.org) already exists.",
            "someone@example.org",
        ),
        (
            "(sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) boom\n"
            "[SQL: INSERT INTO saved_addresses (address) VALUES ($1)]\n"
            '[parameters: (\'{"line1": "17 Confidential Lane"}\',)]\n'
            "(Background on this error at: https://sqlalche.me/e/20/gkpj)",
            "Confidential",
        ),
    ],
)
def test_text_is_scrubbed_of_personal_data_and_secrets(raw: str, kept_out: str) -> None:
    assert kept_out not in scrub_text(raw)


def test_sensitive_keys_are_filtered_wherever_they_are() -> None:
    scrubbed = scrub(
        {
            "headers": {"Authorization": "Basic x", "Cookie": "a=b", "X-Request-ID": "r1"},
            "pairs": [["set-cookie", "oms_refresh=z"], ["accept", "json"]],
            "extra": {"email": "x", "shipping_address": {"line1": "y"}, "note": "z"},
            "deep": [{"new_password": "p", "refresh_token": "t", "count": 3}],
        }
    )
    assert scrubbed == {
        "headers": {"Authorization": FILTERED, "Cookie": FILTERED, "X-Request-ID": "r1"},
        "pairs": [["set-cookie", FILTERED], ["accept", "json"]],
        "extra": {"email": FILTERED, "shipping_address": FILTERED, "note": FILTERED},
        "deep": [{"new_password": FILTERED, "refresh_token": FILTERED, "count": 3}],
    }


def test_what_says_who_sent_the_event_is_left_alone() -> None:
    event: Any = {
        "release": "oms@1.2.0",
        "environment": "production",
        "sdk": {"name": "sentry.python", "version": "2"},
        "contexts": {"runtime": {"name": "CPython"}},
        "request": {"cookies": {"a": "b"}, "data": {"password": "x"}, "url": "http://h/p"},
        "message": "mail to a@b.example failed",
    }
    sent = before_send(event, {})
    assert sent is not None
    assert sent["release"] == "oms@1.2.0"
    assert sent["contexts"] == {"runtime": {"name": "CPython"}}
    assert sent["request"] == {"url": "http://h/p"}
    assert sent["message"] == "mail to [email] failed"


def test_the_broker_clients_reconnection_errors_are_not_reported() -> None:
    record = logging.LogRecord("aiormq.connection", logging.ERROR, "", 0, "refused", (), None)
    event: Any = {"logger": "aiormq.connection", "message": "error when creating transport"}
    assert before_send(event, {"log_record": record}) is None
    own: Any = {"logger": "oms.outbox", "message": "message handling failed"}
    assert before_send(own, {"log_record": record}) is not None


# --- real processes ------------------------------------------------------------------------


@pytest.fixture
def own_database(server_url: str) -> Iterator[str]:
    """A database of this test's own: the test breaks tables on purpose."""
    name = f"oms_test_{checkout_tag()}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_sentry"
    url = create_database(server_url, name)
    migrations.upgrade(url)
    yield url
    drop_database(server_url, name)


@pytest.fixture
async def own_engine(own_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(own_database, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def sentry() -> AsyncIterator[HttpReceiver]:
    server = HttpReceiver()
    await server.start()
    yield server
    await server.stop()


def dsn(receiver: HttpReceiver) -> str:
    return f"http://0123456789abcdef@127.0.0.1:{receiver.port}/1"


def envelope_body(request: ReceivedRequest) -> bytes:
    encoding = request.headers.get("content-encoding", "")
    if encoding == "gzip":
        return gzip.decompress(request.body)
    assert encoding in ("", "identity"), f"unexpected encoding {encoding}"
    return request.body


def error_events(receiver: HttpReceiver) -> list[tuple[dict[str, Any], bytes]]:
    """(event, the raw envelope it came in) of every error event received."""
    found = []
    for request in receiver.at("/api/1/envelope/"):
        raw = envelope_body(request)
        lines = raw.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append((json.loads(payload), raw))
    return found


def assert_tagged(event: dict[str, Any], component: str) -> None:
    assert event["release"] == f"oms@{__version__}"
    assert event["environment"] == "acceptance"
    assert event["tags"]["component"] == component
    assert event["exception"]["values"], event


def assert_no_pii(raw: bytes, secrets: list[str]) -> None:
    text_sent = raw.decode(errors="replace")
    for secret in secrets:
        assert secret not in text_sent, f"{secret!r} was sent to Sentry"


async def test_an_api_error_reaches_sentry_tagged_and_without_personal_data(
    tmp_path: Path, own_database: str, own_engine: AsyncEngine, sentry: HttpReceiver
) -> None:
    api = start(
        ["api"],
        tmp_path / "api.log",
        OMS_DATABASE_URL=own_database,
        OMS_SENTRY_DSN=dsn(sentry),
        OMS_SENTRY_ENVIRONMENT="acceptance",
        OMS_RATE_LIMIT_PASSWORD_CHECKS_PER_ADDRESS="",
    )
    with serving(api):
        async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
            registered = await client.post(
                "/api/v1/auth/register",
                json={"email": EMAIL, "password": PASSWORD, "full_name": FULL_NAME},
            )
            assert registered.status_code == 201, registered.text
            signed_in = await client.post(
                "/api/v1/auth/token", json={"email": EMAIL, "password": PASSWORD}
            )
            assert signed_in.status_code == 200, signed_in.text
            tokens = signed_in.json()
            # Two tables the next requests need go missing: each request is a 500.
            async with own_engine.begin() as connection:
                await connection.execute(text("ALTER TABLE saved_addresses RENAME TO gone_1"))
                await connection.execute(text("ALTER TABLE login_failures RENAME TO gone_2"))
            saved = await client.post(
                "/api/v1/me/addresses",
                params={"email": QUERY_EMAIL},
                json={
                    "name": FULL_NAME,
                    "line1": STREET,
                    "city": "London",
                    "postal_code": POSTAL_CODE,
                    "country": "GB",
                    "phone": PHONE,
                },
                headers={
                    "Authorization": f"Bearer {tokens['access_token']}",
                    "Cookie": f"oms_refresh={COOKIE_SECRET}",
                },
            )
            assert saved.status_code == 500, saved.text
            refused = await client.post(
                "/api/v1/auth/token", json={"email": EMAIL, "password": WRONG_PASSWORD}
            )
            assert refused.status_code == 500, refused.text

        async def both_reported() -> bool:
            return len(error_events(sentry)) >= 2

        await eventually(both_reported, within=30)
        await asyncio.sleep(2)  # a duplicate report would have come by now

    events = error_events(sentry)
    assert len(events) == 2, [event.get("logentry") for event, _ in events]
    for event, raw in events:
        assert_tagged(event, "api")
        assert_no_pii(
            raw,
            [
                EMAIL,
                PASSWORD,
                WRONG_PASSWORD,
                FULL_NAME,
                STREET,
                POSTAL_CODE,
                PHONE,
                COOKIE_SECRET,
                QUERY_EMAIL,
                tokens["access_token"],
                tokens["refresh_token"],
            ],
        )
    # The request id ties the event to the log line and the answer.
    assert all(event["extra"]["request_id"] for event, _ in events)
    urls = {event["request"]["url"] for event, _ in events}
    assert any(url.endswith("/api/v1/me/addresses") for url in urls), urls
    assert any(url.endswith("/api/v1/auth/token") for url in urls), urls


async def test_a_worker_error_reaches_sentry_tagged_and_without_the_events_data(
    tmp_path: Path,
    own_database: str,
    own_engine: AsyncEngine,
    sentry: HttpReceiver,
    settings: Settings,
) -> None:
    reset_token = uuid.uuid4().hex
    sessions = create_sessionmaker(own_engine)
    async with sessions() as session, session.begin():
        await outbox.record_event(
            session,
            outbox.PasswordResetRequestedData(
                user_id=uuid.uuid4(),
                email=EMAIL,
                full_name=FULL_NAME,
                reset_url=f"https://shop.example.test/reset-password?token={reset_token}",
                expires_at=datetime.now(UTC) + timedelta(hours=1),
            ),
            occurred_at=datetime.now(UTC),
        )
    own_settings = settings.model_copy(update={"database_url": own_database})
    published, _ = await relay_pending_events(sessions, EmbeddedTransport(own_settings, own_engine))
    assert published == 1
    # The email worker cannot log its attempt: handling the message fails unexpectedly.
    async with own_engine.begin() as connection:
        await connection.execute(text("ALTER TABLE deliveries RENAME TO gone"))

    worker = start(
        ["worker", "email"],
        tmp_path / "email.log",
        OMS_DATABASE_URL=own_database,
        OMS_SENTRY_DSN=dsn(sentry),
        OMS_SENTRY_ENVIRONMENT="acceptance",
    )
    with serving(worker):

        async def reported() -> bool:
            return bool(error_events(sentry))

        await eventually(reported, within=60)

    event, raw = error_events(sentry)[0]
    assert_tagged(event, "worker-email")
    assert event["logentry"]["message"] == "message handling failed"
    assert event["extra"]["worker"] == "email"
    assert_no_pii(raw, [EMAIL, FULL_NAME, reset_token])
