"""An OMS server process for tests that reach it over real sockets, its log kept in a file."""

import json
import resource
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.processes import OMS, free_port, oms_env, wait_until_serving


class Api:
    def __init__(self, url: str, port: int, log: Path, pid: int) -> None:
        self.url, self.port, self.log, self.pid = url, port, log, pid

    def log_lines(self) -> list[dict[str, Any]]:
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


def _open_files_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return apply


@contextmanager
def running(
    command: str,
    log: Path,
    env: Mapping[str, str],
    *,
    args: Sequence[str] = (),
    port: int | None = None,
    max_open_files: int | None = None,
    start_timeout: float = 30,
) -> Iterator[Api]:
    """`oms <command> [args]` serving on `port` (a free one by default) until the block ends."""
    port = port or free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [OMS, command, *args],
            env=oms_env(OMS_PORT=str(port), OMS_RELAY_POLL_INTERVAL="0.5", **env),
            stdout=output,
            stderr=output,
            preexec_fn=None if max_open_files is None else _open_files_limit(max_open_files),
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}/health/live", process, start_timeout)
        yield Api(url, port, log, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
