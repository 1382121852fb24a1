"""Graceful stops: in-flight requests finish; the embedded database stops and keeps its data."""

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from oms.core.embedded_postgres import embedded_postgres
from tests.processes import OMS, free_port, oms_env, wait_until_serving

SLOW_APP = Path(__file__).with_name("slow_app.py")


async def test_sigterm_lets_an_in_flight_request_finish() -> None:
    port = free_port()
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, before any request
        [sys.executable, str(SLOW_APP), str(port)],
        env=oms_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        await asyncio.to_thread(wait_until_serving, f"http://127.0.0.1:{port}/ready", process)
        async with httpx.AsyncClient(timeout=10) as client:
            in_flight = asyncio.create_task(client.get(f"http://127.0.0.1:{port}/slow"))
            await asyncio.sleep(0.4)
            process.send_signal(signal.SIGTERM)
            response = await in_flight

        assert response.status_code == 200
        assert response.json() == {"status": "finished"}
        assert await asyncio.to_thread(process.wait, 10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _run_oms_until_healthy(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [OMS, "run"],
        env=oms_env(OMS_DATA_DIR=str(data_dir), OMS_PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_until_serving(f"http://127.0.0.1:{port}/health", process, timeout=60)
    assert httpx.get(f"http://127.0.0.1:{port}/health").json()["checks"]["database"] == "ok"
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()


def _postmaster_running(data_dir: Path) -> bool:
    return (data_dir / "pgdata" / "postmaster.pid").exists()


async def _write_marker(url: str) -> None:
    connection = await asyncpg.connect(url.replace("postgres:@", "postgres@"))
    try:
        await connection.execute("CREATE TABLE marker (note text)")
        await connection.execute("INSERT INTO marker VALUES ('kept')")
    finally:
        await connection.close()


async def _read_marker(url: str) -> list[str]:
    connection = await asyncpg.connect(url.replace("postgres:@", "postgres@"))
    try:
        return [row["note"] for row in await connection.fetch("SELECT note FROM marker")]
    finally:
        await connection.close()


@pytest.mark.timeout(180)
def test_oms_run_uses_an_embedded_database_that_survives_restarts(tmp_path: Path) -> None:
    data_dir = tmp_path / "oms-data"
    port = free_port()

    first = _run_oms_until_healthy(data_dir, port)
    # A second client joins the running embedded server to leave a mark in it.
    with embedded_postgres(data_dir) as url:
        asyncio.run(_write_marker(url))
    _stop(first)
    time.sleep(0.5)
    assert not _postmaster_running(data_dir), "SIGTERM left the embedded server running"

    second = _run_oms_until_healthy(data_dir, port)
    with embedded_postgres(data_dir) as url:
        assert asyncio.run(_read_marker(url)) == ["kept"]
    _stop(second)
    assert not _postmaster_running(data_dir)
