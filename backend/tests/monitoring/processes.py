"""OMS processes serving a port for the monitoring tests: `oms api`, and relays and workers
with their own `/health` port (OMS_HEALTH_PORT). Starting Python processes is slow on a busy
machine, so the tests that use them have a longer timeout (`PROCESS_TIMEOUT`)."""

import signal
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import OMS, free_port, oms_env, wait_until_serving

PROCESS_TIMEOUT = pytest.mark.timeout(400)


@dataclass
class Served:
    """A process and the base URL of its port (the API's, or a relay's or worker's own)."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start(args: Sequence[str], log: Path, **env: str) -> Served:
    """`oms <args>` with its port free; call `wait()` on it before use."""
    port = free_port()
    port_setting = "OMS_PORT" if args[0] in ("api", "run") else "OMS_HEALTH_PORT"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [OMS, *args],
            env=oms_env(**{port_setting: str(port)}, OMS_RELAY_POLL_INTERVAL="0.5", **env),
            stdout=output,
            stderr=output,
        )
    return Served(f"http://127.0.0.1:{port}", process, log)


def wait(served: Served, timeout: float = 180) -> Served:
    try:
        wait_until_serving(f"{served.url}/health/live", served.process, timeout)
    except AssertionError as error:
        stop(served)
        raise AssertionError(f"{error}\n{served.log_text()}") from None
    return served


def stop(served: Served) -> int:
    """SIGTERM, as an orchestrator stops it; its exit code."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
    try:
        return served.process.wait(30)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()
        raise


@contextmanager
def serving(*started: Served) -> Iterator[tuple[Served, ...]]:
    """Waits for every process (started together, so they start up side by side), and
    stops them all at the end."""
    try:
        for served in started:
            wait(served)
        yield started
    finally:
        for served in started:
            stop(served)
