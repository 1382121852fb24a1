"""Starting OMS processes for tests that need a real server, port or signal."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

OMS = str(Path(sys.executable).parent / "oms")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def oms_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env["OMS_LOG_FORMAT"] = "json"
    # Many relays and workers run side by side here; the default port 9000 fits one each.
    env["OMS_HEALTH_PORT"] = "0"
    env.update(overrides)
    return env


def wait_until_serving(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited early with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def start_api(database_url: str, **env: str) -> tuple[str, subprocess.Popen[bytes]]:
    """`oms api` on a free port of 127.0.0.1, serving; its base URL and process."""
    port = free_port()
    process = subprocess.Popen(
        [OMS, "api"],
        env=oms_env(OMS_DATABASE_URL=database_url, OMS_PORT=str(port), **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}/health", process)
    except AssertionError:
        process.kill()
        process.wait()
        raise
    return url, process
