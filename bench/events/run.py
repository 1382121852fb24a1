# ruff: noqa: S603, S607 - the benchmark starts its own `oms` and `rabbitmqctl` processes
"""Latency from outbox commit to webhook received (p50/p99) at a steady order rate, and the
sustained events/s one webhook worker delivers, with RabbitMQ and with the embedded queue.

The relay and the webhook worker run as their own `oms` processes, as in production; this
process records events (one transaction each) and runs the receiving HTTP endpoint, so both
timestamps come from one clock.

Environment: OMS_BENCH_DATABASE_URL (a PostgreSQL server; a scratch database is created and
dropped), OMS_BENCH_AMQP_URL (RabbitMQ; a scratch virtual host), OMS_BENCH_RATE (events/s,
default 200), OMS_BENCH_SECONDS (default 10), OMS_BENCH_BURST (default 2000),
OMS_BENCH_WORKERS (webhook worker processes, default 1).
"""

import asyncio
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.memory import RssSampler
from oms.core import migrations
from oms.core.db import create_engine, create_sessionmaker
from oms.integrations import service as integrations
from oms.integrations.samples import SAMPLE_ACTOR, sample_order
from oms.outbox import service as outbox

OMS = str(Path(sys.executable).parent / "oms")
SERVER = os.environ.get("OMS_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("OMS_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
RATE = float(os.environ.get("OMS_BENCH_RATE", "200"))
SECONDS = float(os.environ.get("OMS_BENCH_SECONDS", "10"))
BURST = int(os.environ.get("OMS_BENCH_BURST", "2000"))
WORKERS = int(os.environ.get("OMS_BENCH_WORKERS", "1"))


@dataclass
class Receiver:
    """Records when each event id (the `webhook-id` header) first arrives."""

    arrivals: dict[str, float] = field(default_factory=dict)
    requests: int = 0
    port: int = 0
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await reader.readline():
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, value = line.decode().split(":", 1)
                    headers[name.strip().lower()] = value.strip()
                await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests += 1
                self.arrivals.setdefault(headers.get("webhook-id", ""), time.perf_counter())
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()


def _dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


@contextmanager
def scratch_database() -> Iterator[str]:
    name = f"oms_bench_events_{os.getpid()}"

    async def run(statement: str) -> None:
        connection = await asyncpg.connect(_dsn(SERVER))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        url = _dsn(SERVER, name)
        migrations.upgrade(url)
        yield url
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def scratch_vhost() -> Iterator[str | None]:
    if shutil.which("rabbitmqctl") is None:
        yield None
        return
    name = f"oms_bench_{uuid.uuid4().hex[:8]}"
    try:
        subprocess.run(["rabbitmqctl", "add_vhost", name], check=True, capture_output=True)
        subprocess.run(
            ["rabbitmqctl", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError):
        yield None
        return
    try:
        yield AMQP.rstrip("/") + "/" + name
    finally:
        subprocess.run(["rabbitmqctl", "delete_vhost", name], check=False, capture_output=True)


@contextmanager
def pipeline_processes(
    database_url: str, amqp_url: str | None
) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env.update(
        OMS_DATABASE_URL=database_url,
        OMS_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        OMS_LOG_LEVEL="warning",
        OMS_RELAY_POLL_INTERVAL="1",
    )
    if amqp_url:
        env["OMS_AMQP_URL"] = amqp_url
    processes = [subprocess.Popen([OMS, "relay"], env=env)]
    processes += [
        subprocess.Popen([OMS, "worker", "webhook", "--concurrency", "16"], env=env)
        for _ in range(WORKERS)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def _event_data(order_id: uuid.UUID) -> outbox.OrderCreatedData:
    """The sample order of "send test", as a distinct order (each order's events are ordered)."""
    now = datetime.now(UTC)
    order = sample_order(outbox.StatusRef(code="new", name="New"), currency="EUR", at=now)
    return outbox.OrderCreatedData(
        order=order.model_copy(update={"id": order_id}), actor=SAMPLE_ACTOR
    )


@asynccontextmanager
async def configured(database_url: str, receiver: Receiver) -> AsyncIterator[Any]:
    engine = create_engine(database_url, pool_size=8)
    sessions = create_sessionmaker(engine)
    from oms.integrations.schemas import WebhookConfigurationCreate, WebhookSettings

    async with sessions() as session, session.begin():
        await integrations.create_configuration(
            session,
            WebhookConfigurationCreate(
                worker_type="webhook",
                name="bench",
                settings=WebhookSettings.model_validate(
                    {"url": f"http://127.0.0.1:{receiver.port}/hook"}
                ),
            ),
        )
    try:
        yield sessions
    finally:
        await engine.dispose()


async def _record(sessions: Any) -> tuple[str, float]:
    order_id = uuid.uuid4()
    async with sessions() as session, session.begin():
        event_id = await outbox.record_event(
            session, _event_data(order_id), occurred_at=datetime.now(UTC)
        )
    return str(event_id), time.perf_counter()


async def _wait_for(receiver: Receiver, ids: list[str], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if all(event_id in receiver.arrivals for event_id in ids):
            return True
        await asyncio.sleep(0.05)
    return False


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(database_url: str) -> dict[str, float]:
    receiver = Receiver()
    await receiver.start()
    try:
        async with configured(database_url, receiver) as sessions:
            # Warm-up: connections, queues, first-request costs.
            warm = [await _record(sessions) for _ in range(20)]
            await _wait_for(receiver, [event_id for event_id, _ in warm], 60)

            interval = 1.0 / RATE
            start = time.perf_counter()
            tasks: list[asyncio.Task[tuple[str, float]]] = []
            count = int(RATE * SECONDS)
            for index in range(count):
                delay = start + index * interval - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(_record(sessions)))
            committed = dict(await asyncio.gather(*tasks))
            achieved = count / (time.perf_counter() - start)
            delivered = await _wait_for(receiver, list(committed), 120)
            latencies = [
                (receiver.arrivals[event_id] - at) * 1000
                for event_id, at in committed.items()
                if event_id in receiver.arrivals
            ]

            # Throughput: a burst committed at once, drained by one webhook worker.
            burst_start = time.perf_counter()
            async with sessions() as session, session.begin():
                burst_ids = []
                for _ in range(BURST):
                    order_id = uuid.uuid4()
                    burst_ids.append(
                        str(
                            await outbox.record_event(
                                session, _event_data(order_id), occurred_at=datetime.now(UTC)
                            )
                        )
                    )
            drained = await _wait_for(receiver, burst_ids, 300)
            last = max(receiver.arrivals.get(event_id, 0.0) for event_id in burst_ids)
            return {
                "rate_requested": RATE,
                "rate_achieved": achieved,
                "events": len(latencies),
                "all_delivered": float(delivered and drained),
                "p50_ms": statistics.median(latencies) if latencies else float("nan"),
                "p99_ms": _percentile(latencies, 0.99) if latencies else float("nan"),
                "max_ms": max(latencies) if latencies else float("nan"),
                "throughput_eps": BURST / (last - burst_start) if drained else float("nan"),
                "duplicates": float(receiver.requests - len(receiver.arrivals)),
            }
    finally:
        await receiver.stop()


def run_mode(label: str, amqp_url: str | None) -> dict[str, float]:
    with scratch_database() as url, pipeline_processes(url, amqp_url) as processes:
        time.sleep(2)  # let the processes connect and declare their queues
        relay, *workers = processes
        with RssSampler(relay.pid) as relay_memory, RssSampler(workers[0].pid) as worker_memory:
            figures = asyncio.run(measure(url))
        print(f"events [{label}]: {relay_memory.summary('relay')}")
        print(f"events [{label}]: {worker_memory.summary('webhook worker')}")
        return figures


def main() -> int:
    print(
        f"events: {RATE:.0f} events/s for {SECONDS:.0f}s, then a burst of {BURST}; "
        f"{WORKERS} webhook worker process(es), one relay"
    )
    modes: list[tuple[str, str | None]] = [("embedded (PostgreSQL queue)", None)]
    with contextlib.ExitStack() as stack:
        vhost = stack.enter_context(scratch_vhost())
        if vhost:
            modes.insert(0, ("rabbitmq", vhost))
        else:
            print("events: RabbitMQ (rabbitmqctl) unavailable; measuring embedded mode only")
        for label, amqp_url in modes:
            figures = run_mode(label, amqp_url)
            print(
                f"events [{label}]: commit→webhook p50 {figures['p50_ms']:.1f} ms, "
                f"p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms "
                f"over {figures['events']:.0f} events at {figures['rate_achieved']:.0f}/s; "
                f"burst drained at {figures['throughput_eps']:.0f} events/s; "
                f"all delivered: {bool(figures['all_delivered'])}, "
                f"duplicates: {figures['duplicates']:.0f}"
            )
    return 0
