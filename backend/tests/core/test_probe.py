"""The image's health probe (`python -m oms.core.probe`): the port of the command the
container runs, and its exit code against a real HTTP server on this machine."""

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from oms.core.probe import DEFAULT_HEALTH_PORT, DEFAULT_PORT, probe, probe_port
from oms.core.settings import Settings


class _Health(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        status = {"/health/live": 200, "/health": 503}.get(self.path, 404)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def health_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("command_line", "expected"),
    [
        (["/opt/oms/bin/python", "/opt/oms/bin/oms", "api"], 3100),
        (["/opt/oms/bin/python", "/opt/oms/bin/oms", "run", "--seed-demo"], 3100),
        (["/sbin/docker-init", "--", "/opt/oms/bin/python", "/opt/oms/bin/oms", "relay"], 9100),
        (["/opt/oms/bin/python", "/opt/oms/bin/oms", "worker", "email"], 9100),
        ([], 3100),
    ],
)
def test_the_port_is_the_apis_or_the_background_processes(
    command_line: list[str], expected: int
) -> None:
    environ = {"OMS_PORT": "3100", "OMS_HEALTH_PORT": "9100"}

    assert probe_port(command_line, environ) == expected


def test_without_settings_the_ports_are_the_defaults() -> None:
    assert probe_port(["oms", "api"], {}) == DEFAULT_PORT == Settings.model_fields["port"].default
    assert probe_port(["oms", "worker", "webhook"], {}) == DEFAULT_HEALTH_PORT == 9000


def test_a_2xx_answer_is_healthy_anything_else_is_not(health_port: int) -> None:
    base = f"http://127.0.0.1:{health_port}"

    assert probe(f"{base}/health/live") is None
    assert probe(f"{base}/health") == f"{base}/health answered 503"
    assert probe(f"{base}/nothing") == f"{base}/nothing answered 404"


def test_no_answer_is_unhealthy() -> None:
    problem = probe("http://127.0.0.1:1/health/live")

    assert problem is not None
    assert "did not answer" in problem


def run_probe(port: int, *arguments: str) -> subprocess.CompletedProcess[str]:
    # Whatever this machine's first process is, both ports lead to the server; a proxy from the
    # environment would make every probe fail.
    environ = {
        **os.environ,
        "OMS_PORT": str(port),
        "OMS_HEALTH_PORT": str(port),
        "HTTP_PROXY": "http://127.0.0.1:1",
    }
    return subprocess.run(
        [sys.executable, "-m", "oms.core.probe", *arguments],
        env=environ,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_probe_command_exits_0_when_live_and_1_when_not_ready(health_port: int) -> None:
    live = run_probe(health_port)
    ready = run_probe(health_port, "/health")

    assert (live.returncode, live.stderr) == (0, "")
    assert ready.returncode == 1
    assert "answered 503" in ready.stderr
